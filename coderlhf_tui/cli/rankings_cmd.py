"""``coderlhf export-rankings``: ranked tasks as trainer pairs, KTO rows or full records.

The work is in ``coderlhf_tui.export.rankings``; this module reads the command line,
turns bad input into one clear message and prints what was written with the trainer
configuration that reads it. ``coderlhf export`` covers pairwise tasks.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from coderlhf_tui.cli.common import (
    EXIT_OK,
    UserError,
    load_rubric_arg,
    print_json,
)
from coderlhf_tui.cli.export_cmd import _fraction, add_dataset_options
from coderlhf_tui.config import default_db_path
from coderlhf_tui.export.formats import RANKING_FOLDER_FORMATS as FOLDER_FORMATS
from coderlhf_tui.export.formats import RANKING_FORMATS
from coderlhf_tui.ranking import PairMode


def register(subparsers: Any) -> None:
    """Add ``export-rankings``."""
    p = subparsers.add_parser(
        "export-rankings",
        help="write ranked tasks as trainer pairs (trl, openrlhf, axolotl), KTO rows or records",
        description="Export ranked tasks (3..8 responses). Pair formats expand each ranking"
        " into chosen/rejected pairs with a margin from the rank gap; trl-kto writes one"
        " desirable/undesirable row per response; jsonl/parquet/hf keep the whole ranking.",
    )
    p.add_argument("--format", required=True, choices=RANKING_FORMATS, dest="format")
    p.add_argument("--out", required=True, type=Path, help="file (jsonl, parquet) or folder")
    p.add_argument(
        "--pairs",
        choices=[mode.value for mode in PairMode],
        default=PairMode.ALL.value,
        help="all: every two responses in different tie groups; best-vs-rest: the top group"
        " against the others (default all)",
    )
    p.add_argument("--adjudicated-only", action="store_true", help="only adjudicated tasks")
    p.add_argument(
        "--min-agreement", type=_fraction, metavar="W", help="minimum Kendall's W of a task (0..1)"
    )
    add_dataset_options(p)
    p.set_defaults(handler=cmd_export_rankings)


def cmd_export_rankings(args: argparse.Namespace) -> int:
    """Run the ranked export and print what it wrote and how to train on it."""
    # imported here: the export pulls in pyarrow and scipy, which building the parser
    # for every other command should not pay for
    from coderlhf_tui.export.pipeline import NothingToExport
    from coderlhf_tui.export.rankings import (
        RankingExportOptions,
        run_ranking_export,
        summary_json,
    )

    db = Path(args.db) if args.db is not None else default_db_path()
    if not db.is_file():
        raise UserError(f"{db}: no such workspace (import tasks first, or pass --db)")
    out: Path = args.out
    if args.format in FOLDER_FORMATS and out.is_file():
        raise UserError(f"--out {out}: is a file; --format {args.format} writes a folder")
    if args.format not in FOLDER_FORMATS and out.is_dir():
        raise UserError(f"--out {out}: is a folder; --format {args.format} writes one file")
    if args.test_fraction >= 1.0:
        raise UserError("--test-fraction must be below 1 (the train split cannot be empty)")
    options = RankingExportOptions(
        pairs=PairMode(args.pairs),
        languages=tuple(args.language or ()),
        adjudicated_only=args.adjudicated_only,
        min_agreement=args.min_agreement,
        exclude_both_failing=args.exclude_both_failing,
        test_fraction=args.test_fraction,
        seed=args.seed,
        explicit_prompt=args.explicit_prompt,
        license=args.license,
    )
    try:
        summary = run_ranking_export(db, args.format, out, load_rubric_arg(args), options)
    except NothingToExport as exc:
        raise UserError(str(exc)) from exc
    if args.json:
        print_json(summary_json(summary))
        return EXIT_OK
    print(
        f"exported {summary.rows.get('rows', 0)} rows from"
        f" {summary.rows.get('tasks_train', 0)} train and {summary.rows.get('tasks_test', 0)}"
        f" test tasks of {summary.pairs_read} ranked tasks read, as {summary.format}, to {out}"
    )
    for reason, count in sorted(summary.excluded.items()):
        print(f"  left out {count}: {reason}")
    for path in summary.files:
        print(f"  wrote {path}")
    print("\ntrainer configuration:\n")
    print(summary.snippet)
    return EXIT_OK
