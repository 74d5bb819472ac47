"""``coderlhf scan``: the security scan of every response (or one task's), in one batch.

Findings come from the store when the same code was scanned with the same rule pack
before; the rest are scanned in one offline semgrep call and stored. ``--json`` prints one
object per response; ``--sarif FILE`` writes a SARIF 2.1.0 log for code-scanning tools.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from coderlhf_tui.cli.common import (
    EXIT_OK,
    UserError,
    add_db_option,
    add_json_option,
    open_store,
    print_json,
    select_tasks,
)
from coderlhf_tui.domain import Finding, Language
from coderlhf_tui.scan.sarif import SarifTarget, write_sarif
from coderlhf_tui.scan.semgrep import SemgrepError
from coderlhf_tui.scan.service import ResponseScan, scan_tasks


def register(subparsers: Any) -> None:
    """Add ``coderlhf scan``."""
    p = subparsers.add_parser("scan", help="security-scan the responses (semgrep, offline)")
    p.add_argument("--task", action="append", metavar="ID", help="only this task (repeatable)")
    p.add_argument("--language", choices=[lang.value for lang in Language])
    p.add_argument("--sarif", type=Path, metavar="FILE", help="also write a SARIF 2.1.0 log")
    p.add_argument("--jobs", type=int, help="semgrep processes (default: cores)")
    add_db_option(p)
    add_json_option(p)
    p.set_defaults(handler=cmd_scan)


def finding_json(finding: Finding) -> dict[str, Any]:
    """The short finding shape of ``--json`` (rule, cwe, severity, line and the rest)."""
    return {
        "rule": finding.rule_id,
        "cwe": finding.cwe_id,
        "related_cwes": list(finding.related_cwes),
        "cwe_title": finding.cwe_title,
        "severity": finding.severity.value,
        "confidence": finding.confidence.value,
        "line": finding.start_line,
        "end_line": finding.end_line,
        "owasp": finding.owasp,
        "message": finding.message,
        "fix_hint": finding.fix_hint,
        "source": finding.source,
        "category": finding.category,
        "trace": [{"role": t.role, "line": t.line, "text": t.text} for t in finding.trace],
    }


def response_json(scan: ResponseScan) -> dict[str, Any]:
    """One response's scan result as ``--json`` prints it."""
    return {
        "task_id": scan.task_id,
        "response_id": scan.response_id,
        "response_key": scan.response_key,
        "language": scan.language.value,
        "cached": scan.cached,
        "findings": [finding_json(f) for f in scan.findings],
    }


def cmd_scan(args: argparse.Namespace) -> int:
    """Scan, store, and report."""
    if args.jobs is not None and args.jobs < 1:
        raise UserError("--jobs must be at least 1")
    store = open_store(args)
    try:
        tasks = select_tasks(store, args.task, args.language)
        if not tasks:
            raise UserError("no tasks match (import some with `coderlhf import FILE`)")
        started = time.monotonic()
        try:
            scans = scan_tasks(tasks, store, jobs=args.jobs)
        except SemgrepError as exc:
            raise UserError(f"scan failed: {exc}") from exc
        elapsed = time.monotonic() - started
    finally:
        store.close()
    if args.sarif:
        targets = [
            SarifTarget(
                s.uri,
                s.code,
                s.findings,
                {"taskId": s.task_id, "responseId": s.response_id},
            )
            for s in scans
        ]
        write_sarif(targets, args.sarif)
    if args.json:
        print_json([response_json(s) for s in scans])
        return EXIT_OK
    _print_summary(scans, elapsed, args.sarif)
    return EXIT_OK


def _print_summary(scans: list[ResponseScan], elapsed: float, sarif: Path | None) -> None:
    total = sum(len(s.findings) for s in scans)
    cached = sum(s.cached for s in scans)
    print(
        f"{len(scans)} responses scanned in {elapsed:.1f} s ({cached} from the cache): "
        f"{total} findings"
    )
    for scan in scans:
        if not scan.findings:
            continue
        print(f"{scan.task_id} / {scan.response_id} ({scan.language.value})")
        for f in scan.findings:
            print(f"  line {f.start_line:>4}  {f.severity.value:<8} {f.cwe_id:<8} {f.rule_id}")
    if sarif:
        print(f"SARIF written to {sarif}")
