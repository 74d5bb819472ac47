"""Steps many pilot tests of the app share."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from coderlhf_tui.app import CoderlhfApp
from coderlhf_tui.screens.pair import PairScreen


async def open_pair(app: CoderlhfApp, pilot: Pilot[Any], task_id: str) -> PairScreen:
    """Open a task's pair screen once the app is up, and wait for it to show."""
    await pilot.pause()
    app.open_pair(task_id)
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, PairScreen)
    return screen
