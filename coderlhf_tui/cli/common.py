"""Pieces every command shares: exit codes, the common options, opening the workspace."""

from __future__ import annotations

import argparse
import getpass
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

from coderlhf_tui.domain import Language, Task
from coderlhf_tui.migrations import SchemaTooNew
from coderlhf_tui.rubric import Rubric, RubricError, load_rubric
from coderlhf_tui.store import Store

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_BAD_INPUT = 2


class UserError(Exception):
    """Bad input from the user: printed as one clear message, exit status 2."""


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """``--db PATH``: the workspace database (default: the user data folder)."""
    parser.add_argument("--db", type=Path, default=None, help="workspace database file")


def add_json_option(parser: argparse.ArgumentParser) -> None:
    """``--json``: machine-readable output with stable keys."""
    parser.add_argument("--json", action="store_true", help="print JSON")


def add_rubric_option(parser: argparse.ArgumentParser) -> None:
    """``--rubric PATH``: use this rubric instead of the bundled default."""
    parser.add_argument("--rubric", type=Path, default=None, help="rubric.yaml to use")


def print_json(value: Any) -> None:
    """Print one JSON document on stdout."""
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2, sort_keys=True)
    sys.stdout.write("\n")


def open_store(args: argparse.Namespace) -> Store:
    """The workspace named by ``--db`` (or the default one), opened and migrated."""
    try:
        return Store.open(getattr(args, "db", None))
    except SchemaTooNew as exc:
        raise UserError(str(exc)) from exc
    except sqlite3.DatabaseError as exc:
        raise UserError(
            f"{getattr(args, 'db', None) or 'workspace'}: not a coderlhf workspace ({exc})"
        ) from exc


def load_rubric_arg(args: argparse.Namespace) -> Rubric:
    """The rubric named by ``--rubric`` or the bundled default; a bad file is a UserError."""
    try:
        return load_rubric(getattr(args, "rubric", None))
    except RubricError as exc:
        raise UserError(str(exc)) from exc


def resolve_annotator(store: Store, name: str | None) -> str:
    """Who is annotating: ``--annotator``, else the workspace's annotator, else the OS user."""
    if name:
        return name
    stored = store.get_meta("annotator")
    if stored:
        return stored
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "annotator"


def select_tasks(store: Any, ids: list[str] | None, language: str | None) -> list[Task]:
    """The tasks named by ``--task`` (all when none), filtered by ``--language``."""
    lang = Language(language) if language else None
    if not ids:
        return list(store.iter_tasks(lang))
    tasks = []
    for task_id in ids:
        task = store.get_task(task_id)
        if task is None:
            raise UserError(f"no task {task_id!r} in {store.path}")
        if lang is None or task.language is lang:
            tasks.append(task)
    return tasks
