"""Small real repositories for the repository-task tests (git on the host, no engine)."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path
from typing import Any

from coderlhf_tui.repotasks.snapshots import file_sha256
from coderlhf_tui.repotasks.task_format import FORMAT

CALC_V1 = "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n"


def make_tarball(path: Path, files: dict[str, str], top: str = "calc-1.0") -> Path:
    """A gzip tarball with every file under one top folder, as an sdist has them."""
    with tarfile.open(path, "w:gz") as archive:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(f"{top}/{name}")
            info.size = len(data)
            info.mode = 0o644
            archive.addfile(info, io.BytesIO(data))
    return path


def task_dict(snapshot: Path, base_commit: str, **overrides: Any) -> dict[str, Any]:
    """A valid task over ``snapshot`` with two responses; ``overrides`` replace fields."""
    task: dict[str, Any] = {
        "format": FORMAT,
        "instance_id": "calc-1",
        "repo": "example/calc",
        "problem_statement": "sub is wrong",
        "snapshot": {"path": snapshot.name, "kind": "tarball", "sha256": file_sha256(snapshot)},
        "base_commit": base_commit,
        "environment": {
            "language": "python",
            "requirements": [],
            "test_command": "python3 -m pytest -q",
        },
        "FAIL_TO_PASS": ["test_calc.py::test_sub"],
        "PASS_TO_PASS": ["test_calc.py::test_add"],
        "responses": [{"name": "a", "patch": ""}, {"name": "b", "patch": ""}],
    }
    task.update(overrides)
    return task


def write_task(folder: Path, task: dict[str, Any], name: str = "task.json") -> Path:
    path = folder / name
    path.write_text(json.dumps(task, indent=1), encoding="utf-8")
    return path
