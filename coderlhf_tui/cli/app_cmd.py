"""``coderlhf open``: the annotation app on a workspace."""

from __future__ import annotations

import argparse
from typing import Any

from coderlhf_tui.cli.common import (
    EXIT_OK,
    UserError,
    add_db_option,
    add_rubric_option,
    load_rubric_arg,
    open_store,
    resolve_annotator,
)
from coderlhf_tui.config import ConfigError, default_db_path


def register(subparsers: Any) -> None:
    """Add the open command."""
    p = subparsers.add_parser("open", help="open the annotation app on a workspace")
    p.add_argument("--annotator", help="who is annotating (default: workspace, then OS user)")
    add_rubric_option(p)
    add_db_option(p)
    p.set_defaults(handler=cmd_open)


def cmd_open(args: argparse.Namespace) -> int:
    """Check the workspace, rubric and config, then run the app."""
    load_rubric_arg(args)
    db = args.db or default_db_path()
    if not db.exists():
        raise UserError(f"{db}: no such workspace (create one with `coderlhf demo` or import)")
    with open_store(args) as store:
        annotator = resolve_annotator(store, args.annotator)
    from coderlhf_tui.app import run_app
    from coderlhf_tui.keymap import load_keymap

    try:
        load_keymap()
    except ConfigError as exc:
        raise UserError(str(exc)) from exc
    run_app(db, annotator, getattr(args, "rubric", None))
    return EXIT_OK
