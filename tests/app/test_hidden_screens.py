"""A screen hidden under an opaque one (the queue under the pair screen) costs the screen
in front nothing: its repaints, and the sync tick's answer every screen gets, repaint
nothing of the pair screen, while a dialog still shows the screen under it, and the
queue is laid out for the terminal's size when it is back on top (``CoderlhfApp.
_background_screens``)."""

from __future__ import annotations

import pytest

from coderlhf_tui.app import CoderlhfApp
from coderlhf_tui.screens.help import HelpScreen
from coderlhf_tui.screens.pair import PairScreen
from coderlhf_tui.screens.queue import QueueScreen
from coderlhf_tui.widgets.status_line import StatusLine

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    """Textual runs on asyncio."""
    return "asyncio"


async def test_a_hidden_screen_repaints_nothing_of_the_screen_in_front(app: CoderlhfApp) -> None:
    async with app.run_test(size=(160, 48)) as pilot:
        queue = app.screen
        assert isinstance(queue, QueueScreen)
        await pilot.press("enter")
        await pilot.pause()
        pair = app.screen
        assert isinstance(pair, PairScreen)
        full_repaints: list[int] = []
        render_full_update = pair._compositor.render_full_update

        def counted(*args: object, **kwargs: object) -> object:
            full_repaints.append(1)
            return render_full_update(*args, **kwargs)  # type: ignore[arg-type]

        pair._compositor.render_full_update = counted  # type: ignore[method-assign]
        for round_ in range(3):
            app._refresh_sync()  # the sync tick's answer, posted to every screen
            queue.query_one(StatusLine).update_state(sync=f"{round_ + 1} pending")
            queue.refresh()
            await pilot.pause(0.2)
        assert full_repaints == []
        assert app._background_screens == [] and not queue.is_current

        await pilot.press("f1")  # a dialog: translucent, the pair screen shows under it
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert app._background_screens == [pair] and pair.is_current
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is pair

        await pilot.resize_terminal(120, 40)  # the hidden queue is not told
        await pilot.pause()
        app.pop_screen()  # back on top, it is laid out for the terminal it finds
        await pilot.pause()
        assert app.screen is queue and queue.size == (120, 40)
        line = queue.query_one(StatusLine)
        assert line.region.width == 120 and line.render().plain.startswith("coderlhf")
