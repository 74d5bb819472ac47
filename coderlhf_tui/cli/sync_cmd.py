"""``coderlhf login URL --token T`` and ``coderlhf sync``: a workspace and its server."""

from __future__ import annotations

import argparse
from typing import Any

from coderlhf_tui.cli.common import (
    EXIT_OK,
    UserError,
    add_db_option,
    add_json_option,
    open_store,
    print_json,
)

EXIT_NOT_SYNCED = 3
"""``coderlhf sync`` could not finish (offline, or the server refused something)."""


def register(subparsers: Any) -> None:
    """Add the login and sync commands."""
    p = subparsers.add_parser("login", help="remember a server and your token")
    p.add_argument("url", help="the server, e.g. https://coderlhf.example.org")
    p.add_argument("--token", required=True, help="the token `server user add` printed")
    p.add_argument(
        "--allow-http", action="store_true", help="allow plain http to a non-loopback host"
    )
    add_db_option(p)
    add_json_option(p)
    p.set_defaults(handler=cmd_login)

    p = subparsers.add_parser("sync", help="push your work and pull your tasks")
    add_db_option(p)
    add_json_option(p)
    p.set_defaults(handler=cmd_sync)


def cmd_login(args: argparse.Namespace) -> int:
    """Check the token and store it in the user config (mode 0600)."""
    # imported here: httpx costs ~50 ms of start-up every other command should not pay
    from coderlhf_tui.sync.client.login import LoginError, login

    with open_store(args) as store:
        try:
            account = login(args.url, args.token, store, allow_http=args.allow_http)
        except LoginError as exc:
            raise UserError(str(exc)) from exc
    if args.json:
        print_json({"server": args.url, "user": account})
    else:
        langs = ",".join(account.get("languages") or []) or "-"
        print(f"logged in to {args.url} as {account['name']} ({account['role']}; {langs})")
    return EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    """One full sync; exit status 3 when offline or refused."""
    from coderlhf_tui.sync.client import SyncClient

    with open_store(args) as store:
        client = SyncClient.from_config(store)
        if client is None:
            raise UserError("not logged in: run `coderlhf login URL --token T` first")
        with client:
            report = client.sync()
    if args.json:
        print_json(report.to_dict())
    else:
        pulled = report.pulled
        print(
            f"{report.state}: pushed {report.pushed} ({report.applied} new, {report.duplicate}"
            f" already there, {report.stale} superseded), pulled {pulled.tasks} tasks,"
            f" {pulled.annotations} annotations, {pulled.adjudications} adjudications,"
            f" {pulled.evidence} evidence"
        )
        for line in report.conflicts:
            print(f"conflict: {line}")
        for line in report.rejected:
            print(f"refused: {line}")
        if report.error:
            print(report.error)
    return EXIT_OK if report.ok else EXIT_NOT_SYNCED
