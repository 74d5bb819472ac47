"""A killed terminal loses nothing: the app runs in a real pseudo-terminal, is SIGKILLed
mid-task, and the store still holds every score, the preference and the typed rationale."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from coderlhf_tui.domain import Annotation, AnnotationStatus
from coderlhf_tui.serialize import annotation_from_dict
from coderlhf_tui.store import Store
from tests.app.terminal import open_in_terminal

TEXT = "Left parameterises the query; right splices the name in, so a quote breaks it."


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def _annotation(db: Path) -> Annotation | None:
    """Read without Store.open: opening migrates inside a write transaction, and polling
    that 20 times a second would compete with the app's own autosave for the write lock."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        row = conn.execute(
            "SELECT body FROM annotations WHERE task_id = 'py-user-lookup' AND annotator = 'ak'"
        ).fetchone()
    finally:
        conn.close()
    return annotation_from_dict(json.loads(row[0])) if row else None


@pytest.mark.xdist_group("app-pty")
def test_sigkill_mid_task_loses_nothing(workspace: Path) -> None:
    terminal = open_in_terminal(workspace)
    proc, master, output = terminal.proc, terminal.master, terminal.output

    def send(keys: str) -> None:
        for key in keys:
            os.write(master, key.encode())
            time.sleep(0.01)

    def scores() -> dict[str, dict[str, int]]:
        return getattr(_annotation(workspace), "scores", {})

    try:  # each step waits for its effect: a loaded CI machine may lag behind the keys
        _wait_for(lambda: b"Next unfinished" in output, "the queue to draw", 60)
        time.sleep(0.5)
        send("\r")  # open the first task
        _wait_for(lambda: b"Run tests" in output, "the pair screen", 60)
        time.sleep(1.0)
        send("s4")  # the left card: correctness 4
        _wait_for(lambda: any(s.get("correctness") == 4 for s in scores().values()), "a score")
        send("j3")  # security 3
        _wait_for(lambda: any(s.get("security") == 3 for s in scores().values()), "a score")
        send("p1")  # left much better
        _wait_for(lambda: getattr(_annotation(workspace), "preference", None) is not None, "pref")
        send("r")
        time.sleep(0.5)
        send(TEXT)
        _wait_for(
            lambda: getattr(_annotation(workspace), "rationale", "") == TEXT,
            f"the rationale to autosave while the editor keeps focus ({_annotation(workspace)})",
            60,
        )
    finally:
        terminal.kill()
    assert proc.returncode == -signal.SIGKILL

    with Store.open(workspace) as store:
        saved = store.get_annotation("py-user-lookup", "ak")
        assert saved is not None
        left = "a" if saved.shown_order == "ab" else "b"
        assert saved.scores == {left: {"correctness": 4, "security": 3}}
        assert saved.preference is not None and saved.preference.winner == left
        assert saved.preference.strength == 2
        assert saved.rationale == TEXT
        assert saved.status is AnnotationStatus.IN_PROGRESS
        assert len(store.annotation_history(saved.id)) >= 3
