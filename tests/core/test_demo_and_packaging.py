"""The demo workspace and the wheel: what a new user gets on day one."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

from coderlhf_tui.demo import demo_ranked_tasks_path, demo_tasks_path
from coderlhf_tui.domain import Language, TestKind
from coderlhf_tui.ingest import load_task_file
from tests.conftest import REPO
from tests.core.helpers import run_cli


def test_demo_tasks_cover_every_language_and_test_kind() -> None:
    tasks, errors = load_task_file(demo_tasks_path())
    assert errors == []
    assert len(tasks) >= 20
    assert {t.language for t in tasks} == set(Language)
    kinds = Counter(t.tests.kind for t in tasks if t.tests is not None)
    assert set(kinds) == set(TestKind)
    limiter = next(t for t in tasks if t.id == "rate-limiter-001")
    assert limiter.language is Language.PYTHON
    assert "Lock" in limiter.responses[1].code and "time" in limiter.responses[1].code
    for task in tasks:
        assert task.responses[0].code.strip() != task.responses[1].code.strip(), task.id


def test_demo_command_creates_the_workspace_once(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    bundled = ("demo", "--no-open", "--no-repo-tasks", "--db", db)  # tests/repotasks: the rest
    first = run_cli(*bundled, "--annotator", "ak", check=True)
    count = len(load_task_file(demo_tasks_path())[0])
    count += len(load_task_file(demo_ranked_tasks_path())[0])
    assert f"{count} tasks ({count} new)" in first.stdout
    again = run_cli(*bundled, check=True)
    assert f"{count} tasks (0 new)" in again.stdout
    rows = json.loads(run_cli("tasks", "--json", "--db", db, check=True).stdout)
    assert len(rows) == count and all(r["status"] == "new" for r in rows)


def test_wheel_ships_the_rubric_and_the_demo(tmp_path: Path) -> None:
    # Built from a copy of the files git knows: an in-tree build would reuse build/lib, where
    # files of an earlier build could stand in for ones the package data no longer ships.
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    source = tmp_path / "source"
    copied = [name for name in filter(None, listed.split("\0")) if (REPO / name).is_file()]
    for name in copied:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, source / name)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("coderlhf-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert "coderlhf_tui/rubric.yaml" in names and "coderlhf_tui/demo/tasks.jsonl" in names
        shipped = archive.read("coderlhf_tui/rubric.yaml").decode()
    assert shipped == (REPO / "rubric.yaml").read_text(encoding="utf-8")
    # Every file of the package ships: a folder without __init__.py, or a data file whose
    # extension package-data does not name, would be missing from a user's install.
    package = {name for name in copied if name.startswith("coderlhf_tui/")}
    assert package - names == set()
