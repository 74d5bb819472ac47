"""The status line fits the terminal: at 80 columns its labels shorten so the sync state
and the position in the queue stay readable; at 160 it is spelled out."""

from __future__ import annotations

import pytest

from coderlhf_tui.app import CoderlhfApp
from coderlhf_tui.screens.pair import PairScreen
from coderlhf_tui.widgets.status_line import StatusLine

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    """Textual runs on asyncio."""
    return "asyncio"


@pytest.mark.parametrize("width", [80, 160])
async def test_status_line_fits(app: CoderlhfApp, width: int) -> None:
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PairScreen)
        line = app.screen.query_one(StatusLine)
        text = line.render().plain
        assert len(text) <= line.content_size.width
        assert text.endswith("· draft"), text
        assert "sync local" in text
        assert ("annotator ak" in text) == (width == 160), text


async def test_status_line_cuts_with_an_ellipsis_when_nothing_fits(app: CoderlhfApp) -> None:
    async with app.run_test(size=(40, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        line = app.screen.query_one(StatusLine)
        text = line.render().plain
        assert len(text) <= line.content_size.width and text.endswith("…"), text
