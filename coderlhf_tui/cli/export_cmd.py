"""``coderlhf export``: write a training-ready dataset from the workspace.

The work is in ``coderlhf_tui.export``; this module turns the command line into
``ExportOptions``, turns bad input into one clear message, and prints what was written
followed by the trainer configuration that reads it.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
from coderlhf_tui.config import default_db_path
from coderlhf_tui.domain import Language
from coderlhf_tui.export.formats import FORMAT_NAMES, SUMMARIES, get_format

if TYPE_CHECKING:
    from coderlhf_tui.export.pipeline import ExportOptions, ExportSummary

FOLDER_FORMATS = frozenset(
    {"hf", "trl", "openrlhf", "axolotl-dpo", "axolotl-rm", "critiques", "trl-stepwise"}
)
PROMPT_FORMATS = frozenset({"trl", "openrlhf"})


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{value} is outside 0..1")
    return value


def register(subparsers: Any) -> None:
    """Add ``export``."""
    p = subparsers.add_parser(
        "export",
        help="write a training-ready dataset (jsonl, parquet, hf, trl, openrlhf, axolotl)",
        description="Export labelled pairs. "
        + "; ".join(f"{name}: {summary}" for name, summary in SUMMARIES.items()),
    )
    p.add_argument("--format", required=True, choices=list(FORMAT_NAMES), dest="format")
    p.add_argument("--out", required=True, type=Path, help="file (jsonl, parquet) or folder")
    p.add_argument("--adjudicated-only", action="store_true", help="only adjudicated pairs")
    p.add_argument(
        "--min-agreement",
        type=_fraction,
        metavar="X",
        help="minimum share of annotator pairs naming the same winner (0..1)",
    )
    add_dataset_options(p)
    p.set_defaults(handler=cmd_export)


def add_dataset_options(p: argparse.ArgumentParser) -> None:
    """The options ``export`` and ``export-rankings`` share: selection, split, prompt
    style, card licence, and the common --rubric/--db/--json."""
    p.add_argument(
        "--exclude-both-failing",
        action="store_true",
        help="leave out pairs where both responses fail their tests",
    )
    p.add_argument(
        "--language",
        action="append",
        choices=[lang.value for lang in Language],
        help="only this language (repeatable)",
    )
    p.add_argument("--test-fraction", type=_fraction, default=0.1, metavar="F", help="default 0.1")
    p.add_argument("--seed", type=int, default=0, help="split seed (default 0)")
    p.add_argument(
        "--explicit-prompt",
        action="store_true",
        help="trl/openrlhf: a separate prompt column instead of whole conversations",
    )
    p.add_argument("--license", default="other", help="dataset card license (hf)")
    add_rubric_option(p)
    add_db_option(p)
    add_json_option(p)


def _check_paths(args: argparse.Namespace) -> Path:
    db = Path(args.db) if args.db is not None else default_db_path()
    if not db.is_file():
        raise UserError(f"{db}: no such workspace (import tasks first, or pass --db)")
    out: Path = args.out
    if args.format in FOLDER_FORMATS and out.is_file():
        raise UserError(f"--out {out}: is a file; --format {args.format} writes a folder")
    if args.format not in FOLDER_FORMATS and out.is_dir():
        raise UserError(f"--out {out}: is a folder; --format {args.format} writes one file")
    if args.explicit_prompt and args.format not in PROMPT_FORMATS:
        raise UserError("--explicit-prompt applies to --format trl and openrlhf only")
    if args.test_fraction >= 1.0:
        raise UserError("--test-fraction must be below 1 (the train split cannot be empty)")
    return db


def options_from_args(args: argparse.Namespace) -> ExportOptions:
    """The export options the command line asks for."""
    # the export modules are imported when an export runs: they pull in pyarrow and
    # scipy, which building the parser for every other command should not pay for
    from coderlhf_tui.export.pipeline import ExportOptions
    from coderlhf_tui.export.selection import Selection

    return ExportOptions(
        selection=Selection(
            adjudicated_only=args.adjudicated_only,
            min_agreement=args.min_agreement,
            exclude_both_failing=args.exclude_both_failing,
            languages=tuple(args.language or ()),
        ),
        test_fraction=args.test_fraction,
        seed=args.seed,
        explicit_prompt=args.explicit_prompt,
        license=args.license,
    )


def cmd_export(args: argparse.Namespace) -> int:
    """Run the export and print what it wrote and how to train on it."""
    from coderlhf_tui.export.pipeline import NothingToExport, run_export
    from coderlhf_tui.export.quality_card import quality_card

    db = _check_paths(args)
    rubric = load_rubric_arg(args)
    fmt = get_format(args.format)
    card = None
    if fmt.name == "hf":
        with open_store(args) as store:
            card = quality_card(store, rubric, args.license)
    try:
        summary = run_export(db, fmt, args.out, rubric, options_from_args(args), card=card)
    except NothingToExport as exc:
        raise UserError(str(exc)) from exc
    if args.json:
        print_json(summary.to_json())
    else:
        _print_summary(summary)
    return EXIT_OK


def _print_summary(summary: ExportSummary) -> None:
    total = sum(summary.rows.values())
    print(
        f"exported {total} pairs ({summary.rows['train']} train, {summary.rows['test']} test)"
        f" of {summary.pairs_read} read, as {summary.format}, to {summary.out}"
    )
    for reason, count in sorted(summary.excluded.items()):
        print(f"  left out {count}: {reason}")
    for path in summary.files:
        print(f"  wrote {path}")
    print("\ntrainer configuration:\n")
    print(summary.snippet)
