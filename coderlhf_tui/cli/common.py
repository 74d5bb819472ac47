"""Pieces every command shares: exit codes, the common options, opening the workspace."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

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
