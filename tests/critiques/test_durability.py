"""A comment survives kill -9: the app runs in a real pseudo-terminal, a comment is made
from the keyboard, the process group is SIGKILLed, and the store holds the comment."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from coderlhf_tui.domain import Annotation
from coderlhf_tui.serialize import annotation_from_dict
from tests.app.terminal import open_in_terminal
from tests.critiques.helpers import RATE_LIMITER, demo_store


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def _annotation(db: Path) -> Annotation | None:
    """Read-only, so polling never competes with the app's writer for the lock."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        row = conn.execute(
            "SELECT body FROM annotations WHERE task_id = ? AND annotator = 'ak'", (RATE_LIMITER,)
        ).fetchone()
    finally:
        conn.close()
    return annotation_from_dict(json.loads(row[0])) if row else None


@pytest.mark.xdist_group("app-pty")
def test_a_comment_survives_sigkill(tmp_path: Path) -> None:
    db = tmp_path / "ws.db"
    demo_store(db).close()
    terminal = open_in_terminal(db)

    def send(keys: str, pause: float = 0.02) -> None:
        for key in keys:
            os.write(terminal.master, key.encode())
            time.sleep(pause)

    def comments() -> list[object]:
        annotation = _annotation(db)
        return list(annotation.comments) if annotation else []

    try:
        _wait_for(lambda: b"Next unfinished" in terminal.output, "the queue to draw")
        time.sleep(0.5)
        send("\r")  # the first task: the rate limiter
        _wait_for(lambda: b"Run tests" in terminal.output, "the pair screen")
        time.sleep(1.0)
        send("jjmjm")  # lines 3-4 of the left response
        _wait_for(lambda: b"Comment on Left 3-4" in terminal.output, "the comment editor")
        send("\x1b[B")  # down: the second category
        send("off by one at the window edge")  # typed at once: the text field has the focus
        send("\x13")  # ctrl+s
        _wait_for(lambda: bool(comments()), "the comment to be saved")
    finally:
        terminal.kill()
    assert terminal.proc.returncode == -signal.SIGKILL
    saved = _annotation(db)
    assert saved is not None and len(saved.comments) == 1
    comment = saved.comments[0]
    assert (comment.start_line, comment.end_line) == (3, 4)
    assert comment.category == "edge_case" and comment.text == "off by one at the window edge"
    left = "a" if saved.shown_order == "ab" else "b"
    assert comment.response == left and comment.quote
