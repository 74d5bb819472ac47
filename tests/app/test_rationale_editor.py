"""The rationale's count follows every edit (typed keys, undo) and the screen's draft gets
the text, although the editor's messages no longer bubble through the containers; its
cached rows and theme styles equal what Textual itself would draw."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from functools import partial

import pytest
from rich.style import Style
from textual._compositor import ChopsUpdate, LayoutUpdate
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import TextArea
from textual.widgets.text_area import TextAreaTheme

from coderlhf_tui.app import CoderlhfApp
from coderlhf_tui.widgets.rationale import CharCount, RationaleEditor
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


Cells = dict[tuple[int, int], tuple[str, Style | None]]


def _put(cells: Cells, x: int, y: int, strip: Strip, width: int | None = None) -> None:
    """Write a strip's cells from column ``x`` (its first ``width`` cells)."""
    for segment in strip.crop(0, width) if width is not None else strip:
        style = segment.style.clear_meta_and_links() if segment.style else None
        for char in segment.text:
            cells[x, y] = (char, style)
            x += 1


def _apply(cells: Cells, update: object) -> None:
    """What a terminal shows after an update, written as Textual writes it (a full layout,
    or the chops of a partial one, only inside their spans)."""
    if isinstance(update, LayoutUpdate):
        for y, line in enumerate(update.strips, update.region.y):
            x = update.region.x
            for strip in line:
                _put(cells, x, y, strip)
                x += strip.cell_length
    elif isinstance(update, ChopsUpdate):
        for y, x1, x2 in update.spans:
            for end, (x, chop) in zip(update.chop_ends[y], update.chops[y].items(), strict=False):
                if chop is not None and x <= x2 and end > x1:
                    _put(cells, x, y, chop, min(end, x2) - x)


async def test_rows_repainted_leave_the_screen_of_a_full_repaint(app: CoderlhfApp) -> None:
    """A key repaints only the editor rows it changed: every update the app sends, applied
    to a terminal's cells, leaves the editor as a full repaint draws it, key after key
    (typing through wraps, new lines that scroll it, moving, selecting, deleting)."""
    cells: Cells = {}
    send = app._display

    def display(screen: Screen[object], update: object) -> None:
        _apply(cells, update)
        send(screen, update)  # type: ignore[arg-type]

    app._display = display  # type: ignore[method-assign,assignment]
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_pair(app, pilot, "py-add")
        await pilot.press("r")
        steps = [*"the left one handles empty input, the right one does not at all"]
        steps += ["enter", *"second", "enter", "enter", "enter", "enter", *"sixth line"]
        steps += ["up", "up", "home", "x", "shift+right", "shift+right", "backspace"]
        steps += ["ctrl+home", "y", "ctrl+end", "backspace", "backspace"]
        editor = screen.query_one(RationaleEditor).region
        compositor = screen._compositor
        for key in steps:
            await pilot.press("space" if key == " " else key)
            await pilot.pause()
            pending = set(compositor._dirty_regions)
            for widget in screen.query("*"):  # drawn from scratch, not from kept lines
                widget._styles_cache.clear()
            full: Cells = {}
            _apply(full, compositor.render_full_update())
            compositor._dirty_regions.update(pending)
            for y in editor.line_range:
                for x in editor.column_range:
                    assert cells.get((x, y)) == full[x, y], (key, x, y)
