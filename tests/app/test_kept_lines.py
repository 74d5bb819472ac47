"""A code view keeps its finished rows and its scrollbar pictures across scrolling
(``widgets/styled_rows.py``, ``widgets/kept_scrollbars.py``): what it hands the
compositor must be, segment for segment, what Textual's own styles cache draws for the
same state (scrolled, marked, focused elsewhere, under another theme), and a row that
scrolls to another screen line, or a bar whose thumb comes back, must come back as the
very strips drawn before (that is the saving: their cut and escape codes stay cached)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.segment import Segment
from textual._styles_cache import StylesCache
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from coderlhf_tui.app import build_app
from coderlhf_tui.store import Store
from coderlhf_tui.widgets.code_pane import CodePane
from coderlhf_tui.widgets.styled_rows import RowStylesCache
from tests.app.pilot_steps import open_pair
from tests.app.tasks import big_pair


@pytest.fixture
def anyio_backend() -> str:
    """Textual runs on asyncio."""
    return "asyncio"


def whole(widget: Widget) -> Region:
    return Region(0, 0, widget.size.width, widget.size.height)


def drawn(strips: list[Strip]) -> list[list[Segment]]:
    return [list(strip) for strip in strips]


def textuals(widget: Widget) -> list[list[Segment]]:
    """``widget`` drawn whole by a fresh Textual styles cache (nothing kept)."""
    return drawn(StylesCache().render_widget(widget, whole(widget)))


@pytest.mark.anyio
async def test_scrolled_rows_and_bars_are_textuals_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    with Store.open(path) as store:
        store.insert_tasks([big_pair(300)])
        app = build_app(path, "ak", store=store)
        async with app.run_test(size=(140, 30)) as pilot:
            screen = await open_pair(app, pilot, "big-pair")
            left = screen.query_one("#code-left", CodePane)
            right = screen.query_one("#code-right", CodePane)
            bar = left.vertical_scrollbar
            assert isinstance(left._styles_cache, RowStylesCache)
            assert isinstance(bar._styles_cache, RowStylesCache) and bar.display

            def check(view: Widget) -> list[Strip]:
                lines = view.render_lines(whole(view))
                assert drawn(lines) == textuals(view)
                return lines

            check(left), check(right), check(bar)
            height = left.scrollable_content_region.height
            await pilot.press(*["j"] * height)  # the cursor leaves the screen: one row down
            await pilot.pause()
            assert left.scroll_y == 1 and right.scroll_y == 1  # the right pane followed
            before = check(left)
            bar_before = check(bar)
            await pilot.press(*["j"] * 8)  # eight rows further: the thumb moves
            await pilot.pause()
            after = check(left)
            bar_after = check(bar)
            assert left.scroll_y == 9 and drawn(bar_after) != drawn(bar_before)
            track = [line for line in bar_after if list(line) == list(bar_after[-1])]
            assert len(track) > 5 and all(line is track[0] for line in track)  # one finishing
            rows_kept = [after[y] is before[y + 8] for y in range(height - 9)]
            assert all(rows_kept[1:])  # every row still showing (the first one was the cursor's)
            await pilot.press(*["k"] * (height + 8))  # back up: rows and bar as at first
            await pilot.press(*["j"] * height)
            await pilot.pause()
            assert left.scroll_y == 1
            assert all(a is b for a, b in zip(check(bar), bar_before, strict=True))

            await pilot.press("m", "j", "j")  # a marked range shows in the kept rows
            await pilot.pause()
            marked = check(left)
            assert drawn(marked) != drawn(before)
            await pilot.press("escape", "tab")  # the focus moves on
            await pilot.pause()
            check(left), check(right)
            app.theme = "textual-light" if app.current_theme.dark else "textual-dark"
            await pilot.pause()
            themed = check(left)
            assert drawn(themed) != drawn(marked)  # new colours, not the kept lines
            check(right), check(bar)
            left.styles.tint = "red 30%"  # a style of the view's own
            await pilot.pause()
            assert drawn(check(left)) != drawn(themed)
