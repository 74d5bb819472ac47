"""``coderlhf audit FILE``: the free baseline audit of a task file.

Imports the tasks, runs their tests in the sandbox, scans every response, computes the
automatic signals and writes report.md, report.html and report.json to ``--out``. Safe to
interrupt: run it again and it resumes from what the store already holds.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from coderlhf_tui.audit.run import AuditError, AuditOptions, run_audit
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
    options = AuditOptions(
        out_dir=args.out,
        run_tests=not args.skip_tests,
        runner=args.runner,
        jobs=args.jobs,
        weights=weights,
        scale=(rubric.scale_min, rubric.scale_max),
    )
    store = open_store(args)
    try:
        result = run_audit(store, args.file, options)
    except (AuditError, ConfigError, SemgrepError) as exc:
        raise UserError(str(exc)) from exc
    finally:
        store.close()
    totals = result.report["totals"]
    if args.json:
        files = [str(p) for p in result.files]
        print_json({"files": files, "totals": totals, "notes": result.notes})
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
