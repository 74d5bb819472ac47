"""``coderlhf import``, ``tasks`` and ``show``: getting tasks in and looking at them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from coderlhf_tui.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    UserError,
    add_db_option,
    add_json_option,
    open_store,
    print_json,
)
from coderlhf_tui.domain import RANKED_KEYS, Language, TaskStatus
from coderlhf_tui.ingest import FileReport, import_task_file
from coderlhf_tui.ranking import format_ranking
from coderlhf_tui.search_index import SearchSyntaxError
from coderlhf_tui.serialize import (
    annotation_to_dict,
    finding_to_dict,
    task_to_dict,
    test_run_to_dict,
)
from coderlhf_tui.store import Store

MAX_ERRORS_SHOWN = 50


def register(subparsers: Any) -> None:
    """Add the task commands."""
    p = subparsers.add_parser("import", help="import task files (JSONL or Parquet)")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument(
        "--skip-invalid", action="store_true", help="store the valid records, list the rest"
    )
    add_db_option(p)
    add_json_option(p)
    p.set_defaults(handler=cmd_import)

    p = subparsers.add_parser("tasks", help="list the workspace's tasks")
    p.add_argument("--language", choices=[lang.value for lang in Language])
    p.add_argument("--status", choices=[s.value for s in TaskStatus])
    p.add_argument(
        "--search",
        metavar="QUERY",
        help="full-text search over prompts, code, rationales, tags, comments and findings"
        ' (FTS5 syntax: words, "a phrase", prefix*, NEAR(a b, 5), code:subprocess;'
        " docs/data.md); the id matches too",
    )
    p.add_argument("--annotator", help="status as seen by this annotator")
    add_db_option(p)
    add_json_option(p)
    p.set_defaults(handler=cmd_tasks)

    p = subparsers.add_parser("show", help="show one task with its evidence and annotations")
    p.add_argument("task_id", metavar="ID")
    add_db_option(p)
    add_json_option(p)
    p.set_defaults(handler=cmd_show)


def cmd_import(args: argparse.Namespace) -> int:
    """Import each file atomically; exit 2 when any file had an error."""
    reports: list[FileReport] = []
    with open_store(args) as store:
        for path in args.files:
            reports.append(import_task_file(store, path, skip_invalid=args.skip_invalid))
    if args.json:
        print_json(
            [
                {
                    "file": r.file,
                    "imported": r.imported,
                    "aborted": r.aborted,
                    "errors": [str(e) for e in r.errors],
                }
                for r in reports
            ]
        )
    for report in reports:
        _print_report(report, quiet=args.json)
    failed = any(r.aborted or (r.errors and not args.skip_invalid) for r in reports)
    return EXIT_BAD_INPUT if failed else EXIT_OK


def _print_report(report: FileReport, *, quiet: bool) -> None:
    for error in report.errors[:MAX_ERRORS_SHOWN]:
        print(error, file=sys.stderr)
    if len(report.errors) > MAX_ERRORS_SHOWN:
        print(
            f"{report.file}: ... and {len(report.errors) - MAX_ERRORS_SHOWN} more errors",
            file=sys.stderr,
        )
    if report.aborted:
        print(
            f"{report.file}: {len(report.errors)} error(s); nothing was imported from this file"
            " (fix them, or use --skip-invalid to import the valid records)",
            file=sys.stderr,
        )
    elif not quiet:
        skipped = f", skipped {len(report.errors)} invalid" if report.errors else ""
        print(f"{report.file}: imported {report.imported} task(s){skipped}")


def cmd_tasks(args: argparse.Namespace) -> int:
    """List tasks with their status and evidence."""
    with open_store(args) as store:
        try:
            rows = store.list_tasks(
                language=args.language,
                status=args.status,
                search=args.search,
                annotator=args.annotator,
            )
        except SearchSyntaxError as error:
            raise UserError(f"--search {args.search!r}: {error}") from error
    if args.json:
        print_json(
            [
                {
                    "id": r.id,
                    "language": r.language,
                    "status": r.status.value,
                    "task_type": r.task_type,
                    "gold": r.is_gold,
                    "verdict_a": r.verdict_a,
                    "verdict_b": r.verdict_b,
                    "findings_a": r.findings_a,
                    "findings_b": r.findings_b,
                    **(
                        {"match": {"field": r.match_field, "snippet": r.match_snippet}}
                        if args.search
                        else {}
                    ),
                }
                for r in rows
            ]
        )
        return EXIT_OK
    for r in rows:
        verdicts = f"{r.verdict_a or '-'}/{r.verdict_b or '-'}"
        head = " ".join(r.prompt_head.split())[:60]
        if r.match_field is not None:
            head = f"{r.match_field}: {r.match_snippet or head}"
        print(f"{r.id:<28} {r.language:<10} {r.status.value:<11} {verdicts:<22} {head}")
    print(f"{len(rows)} task(s)", file=sys.stderr)
    return EXIT_OK


def show_payload(store: Store, task_id: str) -> dict[str, Any]:
    """Everything known about one task, as JSON-ready data."""
    task = store.get_task(task_id)
    if task is None:
        raise UserError(f"no task {task_id!r} in the workspace")
    evidence = {}
    for key in task.keys:
        run = store.latest_test_run(task_id, key)
        evidence[key] = {
            "test_run": test_run_to_dict(run) if run else None,
            "findings": [finding_to_dict(f) for f in store.latest_findings(task_id, key)],
            "signals": store.latest_signals(task_id, key),
        }
    return {
        "task": task_to_dict(task),
        "evidence": evidence,
        "annotations": [annotation_to_dict(a) for a in store.list_annotations(task_id=task_id)],
    }


def cmd_show(args: argparse.Namespace) -> int:
    """Print one task."""
    with open_store(args) as store:
        payload = show_payload(store, args.task_id)
    if args.json:
        print_json(payload)
        return EXIT_OK
    task = payload["task"]
    print(f"# {task['id']}  ({task['language']}, {task.get('task_type') or 'task'})\n")
    print(task["prompt"].rstrip() + "\n")
    for key, response in zip(RANKED_KEYS, task["responses"], strict=False):
        ev = payload["evidence"][key]
        run = ev["test_run"]
        verdict = run["verdict"] if run else "not run"
        print(
            f"## Response {key.upper()} ({response['id']}): tests {verdict}, "
            f"{len(ev['findings'])} finding(s)\n"
        )
        print(response["code"].rstrip() + "\n")
        for f in ev["findings"]:
            print(f"  line {f['start_line']}: {f['severity']} {f['cwe_id']} {f['message']}")
    for ann in payload["annotations"]:
        judged = format_ranking(ann["ranking"]) if ann.get("ranking") else ann["preference"]
        print(
            f"annotation by {ann['annotator']}: {judged} ({ann['status']}, "
            f"revision {ann['revision']})"
        )
    return EXIT_OK
