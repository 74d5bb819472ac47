"""The key footer (``widgets/key_footer.py``): shows the bindings in force as the focus
moves, the user's remapped keys, and presses a key when it is clicked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from textual.widgets import Input

from coderlhf_tui.app import CoderlhfApp, build_app
from coderlhf_tui.screens.pair import PairScreen
from coderlhf_tui.store import Store
from coderlhf_tui.widgets.comment_editor import CommentEditor
from coderlhf_tui.widgets.key_footer import KeyFooter
from tests.app.conftest import ANNOTATOR


@pytest.fixture
def anyio_backend() -> str:
    """Textual runs on asyncio."""
    return "asyncio"


def footer_text(app: CoderlhfApp) -> str:
    """The footer's line as it is drawn now (its last paint, not a fresh render)."""
    return app.screen.query_one(KeyFooter).render_line(0).text


@pytest.mark.anyio
async def test_the_footer_follows_the_focus(app: CoderlhfApp) -> None:
    async with app.run_test(size=(200, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PairScreen)
        shown = footer_text(app)
        assert "f Next finding" in shown and "t Run tests" in shown
        assert "Level 1" not in shown and "Save comment" not in shown
        assert shown.rstrip().endswith("▏^p palette")

        await pilot.press("s")  # a score card: its level keys come first
        await pilot.pause()
        assert footer_text(app).startswith(" 1 Level 1 ")

        await pilot.press("c", "m", "m")  # the comment editor
        await pilot.pause()
        assert app.screen.query_one(CommentEditor).is_open
        assert "^s Save comment" in footer_text(app)
        assert "Run tests" not in footer_text(app)  # letters go to the text field

        await pilot.press("escape")
        await pilot.pause()
        assert footer_text(app) == shown  # the line drawn for the code's keys, again
        footer = app.screen.query_one(KeyFooter)
        column = shown.index("f Next finding")
        assert [key for start, end, key in footer._spans if start <= column < end] == ["f"]

        before = footer.render_line(0)
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        after = footer.render_line(0)
        assert after.text == before.text and list(after) != list(before)  # [new colours]


@pytest.mark.anyio
async def test_the_footer_shows_remapped_keys(workspace: Path, store: Store) -> None:
    config = Path(os.environ["CODERLHF_CONFIG"])
    config.write_text(yaml.safe_dump({"keys": {"queue.search": "ctrl+f"}}), encoding="utf-8")
    app = build_app(workspace, ANNOTATOR, store=store)
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.pause()
        shown = footer_text(app)
        assert "^f Search" in shown and "/ Search" not in shown


@pytest.mark.anyio
async def test_a_click_on_a_key_presses_it(app: CoderlhfApp) -> None:
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.pause()
        search = app.screen.query_one(Input)
        assert not search.has_focus
        column = footer_text(app).index("/ Search")
        await pilot.click(KeyFooter, offset=(column + 3, 0))
        await pilot.pause()
        assert search.has_focus
