"""The real-terminal key benchmark (benchmarks/pty_keys.py) measures keys the app really
got: run briefly on the demo workspace, the text it typed one key at a time is what the
app autosaved, and each key's main-thread CPU time was read from the kernel."""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from pathlib import Path

import pytest

from benchmarks.pty_keys import (
    focus_rationale,
    idle_windows,
    isolated_env,
    key_bytes,
    open_app,
    open_first_task,
    schedstat_readable,
    time_keys,
)
from coderlhf_tui.cli import main as cli_main
from tests.conftest import require_part

TYPED = "pty keys reach the rationale"


def saved_rationales(db: Path, annotator: str) -> list[str]:
    """Read-only, so polling does not compete with the app's writer for the lock."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        rows = conn.execute(
            "SELECT body FROM annotations WHERE annotator = ?", (annotator,)
        ).fetchall()
    finally:
        conn.close()
    return [json.loads(body).get("rationale", "") for (body,) in rows]


@pytest.mark.xdist_group("app-pty")
def test_typed_keys_are_timed_and_autosaved(tmp_path: Path) -> None:
    require_part("per-thread schedstat in /proc", schedstat_readable(), "a Linux kernel")
    require_part("a pseudo-terminal", sys.platform.startswith("linux"), "Linux")
    db = tmp_path / "demo.db"
    assert cli_main(["demo", "--no-open", "--no-repo-tasks", "--db", str(db)]) == 0
    app = open_app(db, "bench", isolated_env(tmp_path))
    try:
        open_first_task(app)
        focus_rationale(app)
        idle = idle_windows(app, 3)
        spent = time_keys(app, [key_bytes(char) for char in TYPED])
        deadline = time.monotonic() + 20
        while TYPED not in saved_rationales(db, "bench") and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        app.close()
    assert TYPED in saved_rationales(db, "bench"), "the typed keys were not all saved"
    assert len(spent) == len(TYPED) and all(ms >= 0 for ms in spent)
    assert sum(spent) > 0, "no CPU time read for the keys"
    assert len(idle) == 3 and all(ms >= 0 for ms in idle)
