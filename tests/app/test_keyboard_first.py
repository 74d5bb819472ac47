"""Keyboard-first start: the queue's list has focus from the first frame, so `n` as the very
first key opens the next unfinished task, in a pilot and in a real pseudo-terminal.

The bug this guards against: Textual auto-focused the first focusable widget (the search
box) when the screen was composed, and the list took focus only a moment later; a key typed
while the app was starting landed in the search box."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from textual.widgets import Input

from coderlhf_tui.app import CoderlhfApp
from coderlhf_tui.screens.pair import PairScreen
from coderlhf_tui.screens.queue import QueueScreen
from coderlhf_tui.widgets.queue_table import QueueTable
from tests.app.terminal import open_in_terminal

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    """Textual runs on asyncio."""
    return "asyncio"


async def test_n_first_opens_next_task(app: CoderlhfApp) -> None:
    async with app.run_test(size=(160, 48)) as pilot:
        assert isinstance(app.screen, QueueScreen)
        assert isinstance(app.screen.focused, QueueTable)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, PairScreen)
        assert app.screen.pair_task is not None


async def test_search_focus_and_back(app: CoderlhfApp) -> None:
    async with app.run_test(size=(160, 48)) as pilot:
        queue = app.screen
        assert isinstance(queue, QueueScreen)
        await pilot.press("slash")
        assert isinstance(queue.focused, Input)
        await pilot.press("s", "q", "l")
        await pilot.press("escape")
        assert isinstance(queue.focused, QueueTable)
        await pilot.press("slash", "enter")
        await pilot.pause()
        assert isinstance(queue.focused, QueueTable)
        assert queue.session.filter.search == "sql"
        await pilot.press("n")
        await pilot.pause()
        pair = app.screen
        assert isinstance(pair, PairScreen) and pair.pair_task is not None
        assert "sql" in (pair.pair_task.prompt + pair.pair_task.id).lower()


@pytest.mark.xdist_group("app-pty")
def test_n_first_in_a_real_terminal(workspace: Path) -> None:
    terminal = open_in_terminal(workspace)

    def wait_for(text: bytes, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while text not in terminal.output:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.1)
        return True

    try:  # typed ahead while the app starts, as an engineer does: the key must not be lost
        os.write(terminal.master, b"n")
        assert wait_for(b"Run tests", 60), "`n` did not open the pair screen"
        assert b"search: 'n'" not in terminal.output
    finally:
        terminal.kill()
