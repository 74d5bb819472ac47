"""Small builders for valid task records and a way to run the real CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any


def task_record(task_id: str = "t-1", language: str = "python", **overrides: Any) -> dict[str, Any]:
    """A valid task record in the shape of docs/formats.md."""
    record: dict[str, Any] = {
        "id": task_id,
        "language": language,
        "prompt": "Add two numbers.",
        "task_type": "implement",
        "responses": [
            {"id": "a", "model": "model-x", "code": "def add(a, b):\n    return a + b\n"},
            {"id": "b", "model": "model-y", "code": "def add(a, b):\n    return a - b\n"},
        ],
        "tests": {"kind": "script", "code": "assert add(1, 2) == 3\n"},
    }
    record.update(overrides)
    return record


def write_jsonl(path: Path, records: list[Any]) -> Path:
    """Write records one per line (strings are written as they are)."""
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(record if isinstance(record, str) else json.dumps(record))
            handle.write("\n")
    return path


def run_cli(*args: str | Path, check: bool = False) -> subprocess.CompletedProcess[str]:
    """Run ``coderlhf`` in a subprocess exactly as a user would."""
    result = subprocess.run(
        [sys.executable, "-m", "coderlhf_tui", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"coderlhf {args} failed:\n{result.stdout}\n{result.stderr}")
    return result
