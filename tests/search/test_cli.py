"""``coderlhf tasks --search``: the same tasks as the queue, from the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.search.conftest import SHELL_QUERY, demo_tasks, shell_calling


def coderlhf(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coderlhf_tui", *args], capture_output=True, text=True, timeout=120
    )


def test_tasks_search_finds_every_demo_task_that_calls_a_shell(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    made = coderlhf("demo", "--no-open", "--db", str(db))
    assert made.returncode == 0, made.stderr
    found = coderlhf("tasks", "--search", SHELL_QUERY, "--json", "--db", str(db))
    assert found.returncode == 0, found.stderr
    rows = json.loads(found.stdout)
    assert [row["id"] for row in rows] == shell_calling(demo_tasks())
    assert all(row["match"]["field"].startswith("code ") for row in rows)
    assert all("«" in row["match"]["snippet"] for row in rows)

    text = coderlhf("tasks", "--search", "os.system OR shell", "--db", str(db))
    assert text.returncode == 0, text.stderr
    assert "code A: " in text.stdout and "task(s)" in text.stderr

    ids = coderlhf("tasks", "--search", "cmdi", "--language", "go", "--json", "--db", str(db))
    assert [row["id"] for row in json.loads(ids.stdout)] == ["go-list-dir-cmdi"]
