"""The rationale's count follows every edit (typed keys, undo) and the screen's draft gets
the text, although the editor's messages no longer bubble through the containers; its
cached rows and theme styles equal what Textual itself would draw."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from functools import partial

import pytest
from textual.widget import Widget
from textual.widgets import TextArea
from textual.widgets.text_area import TextAreaTheme

from coderlhf_tui.app import CoderlhfApp
from coderlhf_tui.widgets.rationale import CharCount
from tests.app.pilot_steps import open_pair

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    """Textual runs on asyncio."""
    return "asyncio"


async def test_count_and_draft_follow_typing_and_undo(app: CoderlhfApp) -> None:
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_pair(app, pilot, "py-add")
        minimum = app.session.rubric.rationale_min_length
        await pilot.press("r")
        area = screen.query_one("#rationale-text", TextArea)
        assert screen.focused is area
        count = screen.query_one(CharCount)
        for typed, key in enumerate("abc", start=1):
            await pilot.press(key)
            assert count.text.startswith(f"{typed} characters"), count.text
        assert count.has_class("-short") == (minimum > 3)
        assert screen.draft is not None and screen.draft.annotation.rationale == "abc"
        area.undo()  # not an edit(): the Changed message alone carries it
        await pilot.pause()
        assert area.text == ""
        assert count.text.startswith("0 characters"), count.text
        assert screen.draft.annotation.rationale == ""


async def test_cached_rows_match_what_textual_renders(app: CoderlhfApp) -> None:
    """Every step of typing, moving, selecting and deleting in a wrapped paragraph: each
    screen row of the editor (cached under its content) equals Textual's own rendering."""
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_pair(app, pilot, "py-add")
        await pilot.press("r")
        area = screen.query_one("#rationale-text", TextArea)
        steps = [*"the left one handles empty input, the right one does not at all"]
        steps += [*"  and more", "enter", *"second line", "home", "up", "end"]
        steps += ["shift+left", "shift+left", "backspace", "left", "x", "ctrl+home", "y"]
        for key in steps:
            await pilot.press("space" if key == " " else key)
            for y in range(area.size.height):
                assert area.render_line(y) == TextArea.render_line(area, y), (key, y)
        assert area.wrapped_document.height > area.document.line_count  # it did wrap


async def test_theme_styles_follow_focus_and_theme(app: CoderlhfApp) -> None:
    """The editor takes its theme's styles from CSS only when its look changed: after each
    frame (typing, leaving, coming back, another app theme) they equal freshly taken ones."""
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_pair(app, pilot, "py-add")
        await pilot.press("r")
        area = screen.query_one("#rationale-text", TextArea)
        themes = [name for name in ("textual-light", "coderlhf-high-contrast") if name != app.theme]
        steps: list[Callable[[], object]] = [
            lambda: pilot.press("a"),
            lambda: pilot.press("tab"),
            lambda: pilot.press("r"),
            *(partial(setattr, app, "theme", name) for name in themes),
            lambda: pilot.press("b"),
        ]
        for step in steps:
            done = step()
            if isinstance(done, Awaitable):
                await done
            await pilot.pause()
            area.render_lines(area.size.region)
            builtin = TextAreaTheme.get_builtin_theme(area.theme)
            assert builtin is not None
            fresh = dataclasses.replace(builtin)
            fresh.apply_css(area)
            assert area._theme == fresh, (step, app.theme, area.has_focus)


async def test_count_line_matches_what_textual_renders(app: CoderlhfApp) -> None:
    """The count drawn as one strip equals Textual's own drawing of the same text, both
    long enough and still short (another colour)."""
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_pair(app, pilot, "py-add")
        await pilot.press("r")
        count = screen.query_one(CharCount)
        minimum = app.session.rubric.rationale_min_length
        for text in ("a", "b" * minimum):
            screen.query_one("#rationale-text", TextArea).load_text(text)
            await pilot.pause()
            assert count.has_class("-short") == (len(text) < minimum)
            region = count.size.region
            count.refresh()
            ours = count.render_lines(region)
            count.render_line = partial(Widget.render_line, count)  # type: ignore[method-assign]
            count.refresh()
            assert ours == count.render_lines(region), count.text
            del count.render_line
