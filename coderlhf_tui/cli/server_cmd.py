"""``coderlhf server``: run the central server and administer it on its own database.

``coderlhf server [--db URL] [--host H] [--port P]`` serves; the sub-commands work on
the database directly (no server needs to run): ``user add|list|token|revoke``, ``import``,
``assign``, ``evidence import`` (an audit's results as trusted evidence) and ``openapi``
(print the published spec). The server's modules are
imported inside the handlers: every ``coderlhf`` command builds this parser, the
server's stack (FastAPI, SQLAlchemy, alembic, uvicorn, psycopg) comes only with the
``server`` extra, and an annotator's plain install must build the parser without it.
A handler that meets a missing server package says which extra to install.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from coderlhf_tui.cli.common import EXIT_OK, UserError, add_json_option, print_json

DEFAULT_PORT = 8765
SERVER_PACKAGES = frozenset(
    {"fastapi", "starlette", "pydantic", "uvicorn", "sqlalchemy", "alembic", "psycopg"}
)
"""Top-level packages the ``server`` extra brings (psycopg only for PostgreSQL URLs)."""
INSTALL_HINT = "pip install 'coderlhf[server]'"

Handler = Callable[[argparse.Namespace], int]


def needs_server_extra(handler: Handler) -> Handler:
    """``handler``, with a missing server package turned into a message naming the extra."""

    @wraps(handler)
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except ModuleNotFoundError as exc:
            missing = (exc.name or "").split(".")[0]
            if missing not in SERVER_PACKAGES:
                raise
            raise UserError(
                f"`coderlhf server` needs the server extra ({missing} is not installed):"
                f" install coderlhf[server], e.g. {INSTALL_HINT}"
            ) from exc

    return run


def register(subparsers: Any) -> None:
    """Add ``server`` and its sub-commands."""
    p = subparsers.add_parser("server", help="run or administer the central sync server")
    _db_option(p, None)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default loopback)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT)
    p.add_argument("--log-level", default="info")
    p.add_argument(
        "--forwarded-allow-ips",
        default="127.0.0.1",
        help="reverse proxies whose X-Forwarded-For is trusted (default 127.0.0.1)",
    )
    p.add_argument(
        "--db-pool",
        type=int,
        default=None,
        metavar="N",
        help="database connections this process keeps open (default $CODERLHF_SERVER_DB_POOL"
        " or 20); processes x N must fit the database's max_connections",
    )
    p.set_defaults(handler=needs_server_extra(cmd_serve))
    sub = p.add_subparsers(dest="server_command", metavar="SUBCOMMAND")

    user = sub.add_parser("user", help="accounts and tokens")
    user_sub = user.add_subparsers(dest="user_command", metavar="ACTION")
    user_sub.required = True
    add = user_sub.add_parser("add", help="add a user and print their token once")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=["admin", "lead", "annotator", "auditor"])
    add.add_argument("--languages", default="", help="comma-separated, e.g. python,go")
    add.add_argument("--years", type=int, default=None, help="years of engineering experience")
    add.add_argument("--expires-days", type=float, default=None, help="token lifetime")
    _leaf(add, cmd_user_add)
    listing = user_sub.add_parser("list", help="list accounts")
    _leaf(listing, cmd_user_list)
    token = user_sub.add_parser("token", help="issue another token for a user")
    token.add_argument("name")
    token.add_argument("--expires-days", type=float, default=None)
    _leaf(token, cmd_user_token)
    revoke = user_sub.add_parser("revoke", help="revoke every token of a user (their access)")
    revoke.add_argument("name")
    _leaf(revoke, cmd_user_revoke)

    imp = sub.add_parser("import", help="import a task file (validated like `coderlhf import`)")
    imp.add_argument("file", type=Path)
    _leaf(imp, cmd_import)

    assign = sub.add_parser("assign", help="assign tasks: k annotators each, gold mixed in")
    assign.add_argument("--k", type=int, default=2, help="annotators per task (default 2)")
    assign.add_argument("--gold-rate", type=float, default=0.1, help="share of gold (0.1)")
    _leaf(assign, cmd_assign)

    evidence = sub.add_parser("evidence", help="trusted evidence from an admin's audit")
    evidence_sub = evidence.add_subparsers(dest="evidence_command", metavar="ACTION")
    evidence_sub.required = True
    trusted = evidence_sub.add_parser(
        "import",
        help="store an audit's test runs and scans as trusted evidence for every annotator",
    )
    trusted.add_argument(
        "source",
        type=Path,
        help="the workspace the audit wrote (coderlhf audit --db FILE) or a JSONL file of"
        " evidence items (docs/server.md)",
    )
    trusted.add_argument(
        "--producer",
        required=True,
        help="the admin or auditor account the evidence is recorded under",
    )
    _leaf(trusted, cmd_evidence_import)

    spec = sub.add_parser("openapi", help="print the OpenAPI spec")
    _leaf(spec, cmd_openapi)


def _db_option(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument(
        "--db",
        default=default,
        help="database URL (sqlite:///file, postgresql://...) or a SQLite file path;"
        " default: $CODERLHF_SERVER_DB or server.db in the user data folder",
    )


def _leaf(parser: argparse.ArgumentParser, handler: Any) -> None:
    _db_option(parser, argparse.SUPPRESS)
    add_json_option(parser)
    parser.set_defaults(handler=needs_server_extra(handler))


def _url(args: argparse.Namespace) -> str:
    from coderlhf_tui.sync.server.db import default_db_url

    return str(
        getattr(args, "db", None) or os.environ.get("CODERLHF_SERVER_DB") or default_db_url()
    )


def _engine(args: argparse.Namespace) -> Any:
    from sqlalchemy.exc import SQLAlchemyError

    from coderlhf_tui.sync.server import db

    try:
        engine = db.make_engine(_url(args))
        db.upgrade(engine)
    except (SQLAlchemyError, OSError) as exc:
        raise UserError(f"server database {_url(args)}: {exc}") from exc
    return engine


def cmd_serve(args: argparse.Namespace) -> int:
    """Run the server in the foreground."""
    from coderlhf_tui.sync.server.serve import serve
    from coderlhf_tui.sync.server.settings import ROUTES_ENV, ServerSettings

    pool = _pool_size(args)
    fast_routes = os.environ.get(ROUTES_ENV, "fast") != "fastapi"  # the benchmark's peer
    _engine(args).dispose()  # fail early, with a clear message, on a bad --db
    print(
        f"coderlhf server on http://{args.host}:{args.port} (database {_url(args)},"
        f" {pool} connections)",
        file=sys.stderr,
    )
    serve(
        ServerSettings(db_url=_url(args), pool_size=pool, tune_gc=True, fast_routes=fast_routes),
        args.host,
        args.port,
        args.log_level,
        args.forwarded_allow_ips,
    )
    return EXIT_OK


def _pool_size(args: argparse.Namespace) -> int:
    from coderlhf_tui.sync.server.settings import DEFAULT_POOL, POOL_ENV

    value = args.db_pool if args.db_pool is not None else os.environ.get(POOL_ENV)
    if value is None:
        return DEFAULT_POOL
    try:
        size = int(value)
    except ValueError:
        size = 0
    if size < 3:
        raise UserError(f"database pool size {value!r}: expected a whole number >= 3")
    return size


def cmd_user_add(args: argparse.Namespace) -> int:
    """Add a user; the token is printed once and never stored in clear."""
    from coderlhf_tui.sync.server.accounts import AccountError, create_user

    try:
        account, token = create_user(
            _engine(args),
            args.name,
            args.role,
            args.languages,
            args.years,
            expires_days=args.expires_days,
        )
    except AccountError as exc:
        raise UserError(str(exc)) from exc
    if args.json:
        print_json({"user": account.to_dict(), "token": token})
    else:
        print(f"added {account.name} ({account.role.value}); token (shown once):", file=sys.stderr)
        print(token)
    return EXIT_OK


def cmd_user_list(args: argparse.Namespace) -> int:
    """List the accounts."""
    from coderlhf_tui.sync.server import db
    from coderlhf_tui.sync.server.accounts import list_accounts

    with db.reading(_engine(args)) as conn:
        people = [a.to_dict() for a in list_accounts(conn)]
    if args.json:
        print_json(people)
    else:
        for person in people:
            langs = ",".join(person["languages"]) or "-"  # type: ignore[arg-type]
            print(f"{person['name']}\t{person['role']}\t{langs}\t{person['years'] or '-'}")
    return EXIT_OK


def cmd_user_token(args: argparse.Namespace) -> int:
    """Issue another token for a user."""
    from coderlhf_tui.sync.server.accounts import AccountError, issue_token

    try:
        token = issue_token(_engine(args), args.name, expires_days=args.expires_days)
    except AccountError as exc:
        raise UserError(str(exc)) from exc
    print_json({"token": token}) if args.json else print(token)
    return EXIT_OK


def cmd_user_revoke(args: argparse.Namespace) -> int:
    """Revoke every token of a user: their requests get 401 from then on."""
    from coderlhf_tui.sync.server.accounts import AccountError, revoke_tokens

    try:
        count = revoke_tokens(_engine(args), args.name)
    except AccountError as exc:
        raise UserError(str(exc)) from exc
    if args.json:
        print_json({"user": args.name, "revoked": count})
    else:
        print(f"revoked {count} token(s) of {args.name}")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    """Validate and import a task file into the server database."""
    from coderlhf_tui.sync.server.tasks_import import import_task_file

    if not args.file.is_file():
        raise UserError(f"{args.file}: no such file")
    result = import_task_file(_engine(args), args.file)
    if args.json:
        print_json(result.model_dump())
    else:
        for error in result.errors:
            print(error, file=sys.stderr)
        print(f"imported {result.imported} tasks ({result.skipped_existing} already there)")
    if result.errors:
        raise UserError(f"{args.file}: {len(result.errors)} error(s); nothing imported")
    return EXIT_OK


def cmd_assign(args: argparse.Namespace) -> int:
    """Assign unassigned tasks."""
    from coderlhf_tui.sync.server.assign import assign

    if args.k < 1 or not 0 <= args.gold_rate < 1:
        raise UserError("--k must be >= 1 and --gold-rate in [0, 1)")
    result = assign(_engine(args), args.k, args.gold_rate)
    if args.json:
        print_json(result.model_dump())
    else:
        print(f"assigned {result.assigned} ({result.gold} gold)")
        for name, count in sorted(result.per_annotator.items()):
            print(f"  {name}: {count}")
    return EXIT_OK


def cmd_evidence_import(args: argparse.Namespace) -> int:
    """Store the latest test runs and scans of an audit as trusted evidence."""
    from pydantic import ValidationError

    from coderlhf_tui.sync.server import db
    from coderlhf_tui.sync.server.accounts import find_account
    from coderlhf_tui.sync.server.errors import ApiError
    from coderlhf_tui.sync.server.evidence_records import TRUSTED_ROLES, store_trusted_evidence
    from coderlhf_tui.sync.server.visibility import existing_task_ids
    from coderlhf_tui.sync.wire.protocol import MAX_EVIDENCE, EvidenceIn

    if not args.source.is_file():
        raise UserError(f"{args.source}: no such file")
    engine = _engine(args)
    with db.reading(engine) as conn:
        producer = find_account(conn, args.producer)
    if producer is None or producer.role not in TRUSTED_ROLES:
        raise UserError(f"--producer {args.producer!r}: expected an admin or auditor account")
    raw = _evidence_items(args.source)
    try:
        items = [EvidenceIn.model_validate(item) for item in raw]
    except ValidationError as exc:
        raise UserError(f"{args.source}: {exc.errors()[0]['msg']} in an evidence item") from exc
    with db.reading(engine) as conn:
        known = existing_task_ids(conn, {i.task_id for i in items})
    wanted = [i for i in items if i.task_id in known]
    stored = 0
    try:
        for start in range(0, len(wanted), MAX_EVIDENCE):
            chunk = wanted[start : start + MAX_EVIDENCE]
            stored += store_trusted_evidence(engine, producer, chunk)
    except ApiError as exc:
        raise UserError(f"{args.source}: {exc.message}") from exc
    result = {"items": len(items), "unknown_task": len(items) - len(wanted), "stored": stored}
    if args.json:
        print_json(result)
    else:
        print(
            f"stored {stored} trusted evidence record(s) from {len(items)} item(s)"
            f" ({result['unknown_task']} of tasks the server does not have)"
        )
    return EXIT_OK


def _evidence_items(source: Path) -> list[dict[str, Any]]:
    """Evidence items from a workspace database or a JSONL file of items."""
    with source.open("rb") as handle:
        is_workspace = handle.read(16) == b"SQLite format 3\x00"
    if is_workspace:
        from coderlhf_tui.store import Store
        from coderlhf_tui.sync.client.outbound import evidence_for

        store = Store.open(source)
        try:
            return evidence_for(store, store.task_ids())
        finally:
            store.close()
    items: list[dict[str, Any]] = []
    for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError as exc:
            raise UserError(f"{source}:{number}: not JSON: {exc}") from exc
        if not isinstance(item, dict):
            raise UserError(f"{source}:{number}: expected an evidence item (an object)")
        items.append(item)
    return items


def cmd_openapi(args: argparse.Namespace) -> int:
    """Print the OpenAPI document the server publishes at /openapi.json."""
    from coderlhf_tui.sync.server.app import create_app
    from coderlhf_tui.sync.server.settings import ServerSettings

    spec = create_app(ServerSettings(db_url="sqlite://")).openapi()
    json.dump(spec, sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")
    return EXIT_OK
