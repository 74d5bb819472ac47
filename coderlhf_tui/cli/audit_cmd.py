"""``coderlhf audit FILE``: the free baseline audit of a task file.

Imports the tasks, runs their tests in the sandbox, scans every response, computes the
automatic signals and writes report.md, report.html and report.json to ``--out``. Safe to
interrupt: run it again and it resumes from what the store already holds.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from coderlhf_tui.audit.run import AuditError, AuditOptions, load_tasks, run_audit
from coderlhf_tui.cli.common import (
    EXIT_OK,
    UserError,
    add_db_option,
    add_json_option,
    add_rubric_option,
    load_rubric_arg,
    open_store,
    print_json,
)
from coderlhf_tui.cli.worker_cmd import add_cluster_options, cluster_options
from coderlhf_tui.config import ConfigError
from coderlhf_tui.scan.semgrep import SemgrepError
from coderlhf_tui.scan.signals.weights import SignalWeights, SignalWeightsError


def register(subparsers: Any) -> None:
    """Add ``coderlhf audit``."""
    p = subparsers.add_parser("audit", help="tests + scan + signals for a task file, as a report")
    p.add_argument("file", type=Path, metavar="FILE.jsonl")
    p.add_argument("--out", type=Path, default=Path("audit"), help="report folder (./audit)")
    p.add_argument("--skip-tests", action="store_true", help="do not run tests (scan only)")
    p.add_argument("--runner", choices=("docker", "bwrap"), help="isolation for the tests")
    p.add_argument("--jobs", type=int, help="test runs in parallel")
    add_cluster_options(p)
    p.add_argument("--server", metavar="URL", help="store the results there as trusted evidence")
    p.add_argument("--token", help="an admin's or auditor's token for --server")
    add_rubric_option(p)
    add_db_option(p)
    add_json_option(p)
    p.set_defaults(handler=cmd_audit)


def cmd_audit(args: argparse.Namespace) -> int:
    """Run the audit and say where the reports are."""
    if args.jobs is not None and args.jobs < 1:
        raise UserError("--jobs must be at least 1")
    rubric = load_rubric_arg(args)
    try:
        weights = SignalWeights.from_mapping(rubric.signals, rubric.source)
    except SignalWeightsError as exc:
        raise UserError(str(exc)) from exc
    if args.server and not args.token:
        raise UserError("--server needs --token (an admin's or auditor's)")
    store = open_store(args)
    try:
        options = AuditOptions(
            out_dir=args.out,
            run_tests=not args.skip_tests,
            runner=args.runner,
            jobs=args.jobs,
            weights=weights,
            scale=(rubric.scale_min, rubric.scale_max),
            cluster=cluster_options(args, store),
            quiet=args.json,
        )
        result = run_audit(store, args.file, options)
        if args.server:
            result.notes.append(_share(store, args))
    except (AuditError, ConfigError, SemgrepError) as exc:
        raise UserError(str(exc)) from exc
    except Exception as exc:
        if _is_cluster_error(exc):
            raise UserError(str(exc)) from exc
        raise
    finally:
        store.close()
    totals = result.report["totals"]
    if args.json:
        files = [str(p) for p in result.files]
        out = {"files": files, "totals": totals, "notes": result.notes}
        if "cluster" in result.report:
            out["cluster"] = result.report["cluster"]
        print_json(out)
        return EXIT_OK
    for note in result.notes:
        print(f"note: {note}")
    print(
        f"{totals['pairs']} pairs: tests {totals['tests']}, {totals['findings']} findings in "
        f"{totals['responses_flagged']} responses"
    )
    for path in result.files:
        print(f"wrote {path}")
    return EXIT_OK


def _share(store: Any, args: argparse.Namespace) -> str:
    """Post the audited tasks' results to the server as trusted evidence; a note says so."""
    from coderlhf_tui.audit.trusted_upload import UploadError, evidence_of, upload_trusted

    tasks, _ = load_tasks(store, args.file)
    items = list(evidence_of(store, tasks))
    try:
        stored = upload_trusted(args.server, args.token, items)
    except UploadError as exc:
        raise UserError(str(exc)) from exc
    return f"{len(items)} evidence items sent to {args.server} as trusted, {stored} stored new"


def _is_cluster_error(exc: Exception) -> bool:
    """A cluster that cannot take the audit (no Dask, no scheduler, a refusing worker)."""
    from coderlhf_tui.cluster import ClusterUnavailable
    from coderlhf_tui.cluster.spec import WorkerRefused

    return isinstance(exc, ClusterUnavailable | WorkerRefused)
