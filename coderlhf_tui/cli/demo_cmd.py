"""``coderlhf demo``: a workspace from the bundled demo tasks, opened in the app."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from coderlhf_tui.cli.app_cmd import cmd_open
from coderlhf_tui.cli.common import (
    EXIT_INTERNAL,
    EXIT_OK,
    add_db_option,
    add_rubric_option,
    load_rubric_arg,
    open_store,
    resolve_annotator,
)
from coderlhf_tui.config import default_db_path
from coderlhf_tui.demo import demo_ranked_tasks_path, demo_tasks_path
from coderlhf_tui.ingest import load_task_file


def register(subparsers: Any) -> None:
    """Add the demo command."""
    p = subparsers.add_parser("demo", help="create the demo workspace and open it")
    p.add_argument("--no-open", action="store_true", help="only create the workspace")
    p.add_argument("--annotator")
    p.add_argument(
        "--no-repo-tasks",
        action="store_true",
        help="leave out the repository tasks (they download three sdists the first time)",
    )
    add_rubric_option(p)
    add_db_option(p)
    p.set_defaults(handler=cmd_demo)


def demo_db_path() -> Path:
    """Where the demo workspace lives by default: beside the default workspace."""
    return default_db_path().with_name("demo.db")


def _add_repo_tasks(store: Any, db: Path) -> tuple[int, int, str]:
    """The demo's repository tasks (docs/repotasks.md): how many, how many new, and a line
    saying where they are, or why they are missing and how to add them later."""
    from coderlhf_tui.repotasks.demo_workspace import add_demo_repo_tasks, describe

    print("demo: setting up the repository tasks (the first time downloads three sdists)")
    result = add_demo_repo_tasks(store, db)
    return result.total, result.added, describe(result, db)


def cmd_demo(args: argparse.Namespace) -> int:
    """Import the demo tasks that are not there yet, then open the app."""
    load_rubric_arg(args)  # fail early on a bad --rubric
    args.db = args.db or demo_db_path()
    tasks, errors = load_task_file(demo_tasks_path())
    ranked, ranked_errors = load_task_file(demo_ranked_tasks_path())
    tasks, errors = tasks + ranked, errors + ranked_errors
    if errors:  # a packaging bug, not user input
        for error in errors:
            print(error, file=sys.stderr)
        return EXIT_INTERNAL
    with open_store(args) as store:
        existing = store.existing_task_ids(t.id for t in tasks)
        added = store.insert_tasks(t for t in tasks if t.id not in existing)
        annotator = resolve_annotator(store, args.annotator)
        if store.get_meta("annotator") is None:
            store.set_meta("annotator", annotator)
        repo = (0, 0, "") if args.no_repo_tasks else _add_repo_tasks(store, Path(args.db))
    print(f"demo workspace {args.db}: {len(tasks) + repo[0]} tasks ({added + repo[1]} new)")
    if repo[2]:
        print(repo[2])
    if args.no_open:
        return EXIT_OK
    args.annotator = annotator
    return cmd_open(args)
