"""``coderlhf import-annotations``, ``report``, ``datacard`` and ``guide``: quality for leads.

Annotations made elsewhere come in validated (like task files); the QA report, the data
card and the annotation guide go out as files or on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from coderlhf_tui.cli.common import (
    EXIT_BAD_INPUT,
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
from coderlhf_tui.quality.annotation_import import import_annotation_file
from coderlhf_tui.quality.settings import QualitySettings

MAX_ERRORS_SHOWN = 50


def register(subparsers: Any) -> None:
    """Add the quality commands."""
    p = subparsers.add_parser(
        "import-annotations", help="import annotations made elsewhere (JSONL, docs/formats.md)"
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    add_rubric_option(p)
    add_db_option(p)
    add_json_option(p)
    p.set_defaults(handler=cmd_import_annotations)

    p = subparsers.add_parser("report", help="the QA report: agreement, annotators, gold, evidence")
    p.add_argument("--out", type=Path, help="write report.md, report.html and report.json here")
    add_rubric_option(p)
    add_db_option(p)
    add_json_option(p)
    p.set_defaults(handler=cmd_report)

    p = subparsers.add_parser("datacard", help="the dataset card (Hugging Face README.md format)")
    p.add_argument("--out", type=Path, help="write the card to this file (default: stdout)")
    add_rubric_option(p)
    add_db_option(p)
    p.set_defaults(handler=cmd_datacard)

    p = subparsers.add_parser("guide", help="the annotation guide, generated from the rubric")
    p.add_argument("--out", type=Path, help="write the guide to this file (default: stdout)")
    add_rubric_option(p)
    p.set_defaults(handler=cmd_guide)


def quality_settings() -> QualitySettings:
    """The ``quality`` config section; a bad one is the user's to fix."""
    try:
        return QualitySettings.from_config()
    except ConfigError as exc:
        raise UserError(str(exc)) from exc


def write_atomically(path: Path, text: str) -> None:
    """Write a whole file or nothing (a reader never sees half a report)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def cmd_import_annotations(args: argparse.Namespace) -> int:
    """Validate and merge each file; a file with any error stores nothing (exit 2)."""
    rubric = load_rubric_arg(args)
    results = []
    with open_store(args) as store:
        for path in args.files:
            results.append(import_annotation_file(store, path, rubric))
    failed = False
    for result in results:
        for error in result.errors[:MAX_ERRORS_SHOWN]:
            print(error, file=sys.stderr)
        if len(result.errors) > MAX_ERRORS_SHOWN:
            more = len(result.errors) - MAX_ERRORS_SHOWN
            print(f"{result.file}: ... and {more} more errors", file=sys.stderr)
        if result.errors:
            failed = True
            count = len(result.errors)
            print(f"{result.file}: {count} error(s); nothing was imported", file=sys.stderr)
        elif not args.json:
            print(f"{result.file}: stored {result.stored}, unchanged {result.unchanged}")
    if args.json:
        print_json(
            [
                {
                    "file": r.file,
                    "stored": r.stored,
                    "unchanged": r.unchanged,
                    "errors": [str(e) for e in r.errors],
                }
                for r in results
            ]
        )
    return EXIT_BAD_INPUT if failed else EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    """Build the report; write the three files to --out, or print Markdown (or JSON)."""
    # imported here: the report's statistics pull in scipy, which building the parser
    # for every other command should not pay for
    from coderlhf_tui.quality.report import build_report
    from coderlhf_tui.quality.report_html import render_html
    from coderlhf_tui.quality.report_md import render_markdown

    rubric = load_rubric_arg(args)
    settings = quality_settings()
    with open_store(args) as store:
        report = build_report(store, rubric, settings)
    if args.out is not None:
        if args.out.exists() and not args.out.is_dir():
            raise UserError(f"{args.out}: exists and is not a directory")
        files = {
            "report.json": json.dumps(report, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
            "report.md": render_markdown(report),
            "report.html": render_html(report),
        }
        for name, text in files.items():
            write_atomically(args.out / name, text)
        if args.json:
            print_json(report)
        else:
            for name in files:
                print(args.out / name)
        return EXIT_OK
    if args.json:
        print_json(report)
    else:
        sys.stdout.write(render_markdown(report))
    return EXIT_OK


def cmd_datacard(args: argparse.Namespace) -> int:
    """Write the data card."""
    from coderlhf_tui.quality.datacard import build_datacard

    rubric = load_rubric_arg(args)
    settings = quality_settings()
    with open_store(args) as store:
        card = build_datacard(store, rubric, settings=settings)
    return _emit(card, args.out)


def cmd_guide(args: argparse.Namespace) -> int:
    """Write the annotation guide."""
    from coderlhf_tui.quality.guide import build_guide

    return _emit(build_guide(load_rubric_arg(args)), args.out)


def _emit(text: str, out: Path | None) -> int:
    if out is None:
        sys.stdout.write(text)
    else:
        write_atomically(out, text)
        print(out)
    return EXIT_OK
