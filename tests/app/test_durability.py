"""A terminal that goes away loses nothing typed: the app runs in a real pseudo-terminal.

SIGKILLed mid-task, the store still holds every score, the preference and the rationale,
and a kill during fast typing loses at most the last 300 ms of it. Closed 0.2 s after the
last key (as a controlling terminal: the kernel's SIGHUP; as a plain one: stdin hangs up)
or sent SIGTERM, the app writes everything typed, then ends by itself.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from coderlhf_tui.domain import Annotation, AnnotationStatus
from coderlhf_tui.serialize import annotation_from_dict
from coderlhf_tui.store import Store
from tests.app.terminal import Terminal, open_in_terminal

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


def _type(terminal: Terminal, keys: str, pause: float = 0.01) -> None:
    for key in keys:
        os.write(terminal.master, key.encode())
        time.sleep(pause)


def _open_rationale(terminal: Terminal) -> None:
    """Open the first task and put the cursor in its rationale editor."""
    _wait_for(lambda: b"Next unfinished" in terminal.output, "the queue to draw", 60)
    time.sleep(0.5)
    _type(terminal, "\r")
    _wait_for(lambda: b"Run tests" in terminal.output, "the pair screen", 60)
    time.sleep(1.0)
    for _ in range(20):  # an unbound Q shows when the editor has the keys; backspace it
        _type(terminal, "r")
        time.sleep(0.3)
        start = len(terminal.output)
        _type(terminal, "Q")
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline and b"1 characters" not in terminal.output[start:]:
            time.sleep(0.1)
        if b"1 characters" in terminal.output[start:]:
            break
    start = len(terminal.output)
    _type(terminal, "\x7f")
    _wait_for(lambda: b"0 characters" in terminal.output[start:], "the backspace", 30)


def _rationale(db: Path) -> str:
    return getattr(_annotation(db), "rationale", "")


@pytest.mark.xdist_group("app-pty")
@pytest.mark.parametrize("ending", ["terminal closed (SIGHUP)", "stdin hung up", "SIGTERM"])
def test_terminal_going_away_keeps_the_last_keys(workspace: Path, ending: str) -> None:
    terminal = open_in_terminal(workspace, controlling=ending.endswith("(SIGHUP)"))
    try:
        _open_rationale(terminal)
        _type(terminal, TEXT)
        time.sleep(0.2)
        if ending == "SIGTERM":
            terminal.proc.terminate()
        else:
            terminal.hang_up()
        terminal.proc.wait(timeout=30)  # it ends by itself, after writing
    finally:
        if terminal.proc.poll() is None:
            terminal.kill()
        terminal.hang_up()
    assert terminal.proc.returncode != 0, "a lost terminal is not a clean quit"
    assert _rationale(workspace) == TEXT


@pytest.mark.xdist_group("app-pty")
def test_sigkill_while_typing_loses_at_most_300_ms(workspace: Path) -> None:
    text = (TEXT + " ") * 2
    terminal = open_in_terminal(workspace)
    try:
        _open_rationale(terminal)
        _type(terminal, text, pause=0.02)  # a fast typist: 50 keys a second, no pause
        shown = f"{len(text.strip())} characters".encode()
        _wait_for(lambda: shown in terminal.output, "the app to show the last key", 30)
        killed_at = time.monotonic()
    finally:
        terminal.kill()
    counts = re.findall(rb"(\d+) characters", terminal.drawn_before(killed_at - 0.3))
    typed_300_ms_before = max(int(count) for count in counts)
    saved = _rationale(workspace)
    assert text.startswith(saved)
    assert len(saved.strip()) >= typed_300_ms_before > 0, (
        f"{len(saved)} characters saved; {typed_300_ms_before} were on screen 300 ms before"
    )


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
