"""The queue's ``/`` search: one query lists every demo task that calls a shell, and each
row says which part matched and shows the match."""

from __future__ import annotations

from pathlib import Path

import pytest

from coderlhf_tui.app import build_app
from coderlhf_tui.screens.queue import QueueScreen
from coderlhf_tui.store import Store
from coderlhf_tui.widgets.queue_table import QueueTable
from tests.search.conftest import SHELL_QUERY, demo_tasks, shell_calling

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    """Textual runs on asyncio."""
    return "asyncio"


async def test_slash_search_lists_the_shell_calls(demo_workspace: Path) -> None:
    expected = shell_calling(demo_tasks())
    with Store.open(demo_workspace) as store:
        app = build_app(demo_workspace, "ak", store=store)
        async with app.run_test(size=(160, 40)) as pilot:
            await pilot.pause()
            queue = app.screen
            assert isinstance(queue, QueueScreen)
            table = queue.query_one(QueueTable)
            assert table.row_count() == len(demo_tasks())
            await pilot.press("slash", *SHELL_QUERY, "enter")
            await pilot.pause(0.5)
            assert app.session.order == expected
            assert [row[0] for row in table.rows] == expected
            for row in table.rows:
                assert row[-1].startswith("code ")
                assert "«" in row[-1] and "»" in row[-1]
            rendered = "".join(seg.text for seg in table.render_row(0, 160, 0, False))
            assert "code " in rendered and "«" in rendered
            await pilot.press("c")
            await pilot.pause()
            assert table.row_count() == len(demo_tasks())
