"""The pair screen's compositor (``screens/row_compositor.py``) renders only the rows a
partial repaint shows: what it hands the terminal must be what Textual's own compositor
hands it, cell for cell, for the regions the comment keys repaint (cursor rows, the
comments panel, the status line, the open editor and a frame around it). The closed
editor waits off the screen: it takes no focus and shows nowhere."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import pairwise

import pytest
from rich.segment import Segment
from textual._compositor import Compositor
from textual.geometry import Region
from textual.strip import Strip

from coderlhf_tui.app import CoderlhfApp
from coderlhf_tui.screens.pair import PairScreen
from coderlhf_tui.screens.row_compositor import RowCroppedCompositor
from coderlhf_tui.widgets.code_pane import CodePane
from coderlhf_tui.widgets.comment_editor import CommentEditor
from coderlhf_tui.widgets.comments_panel import CommentsPanel


@pytest.fixture
def anyio_backend() -> str:
    """Textual runs on asyncio."""
    return "asyncio"


Chops = Sequence[Mapping[int, Strip | None]]


Cells = list[list[tuple[int, list[Segment] | None]]]


def shown_cells(compositor: Compositor, chops: Chops, crop: Region) -> Cells:
    """Per row of ``crop``: the segments of every cut that reaches into it (what a partial
    update copies to the terminal)."""
    rows = []
    for y in crop.line_range:
        cuts = compositor.cuts[y]
        shown: list[tuple[int, list[Segment] | None]] = []
        for x, end in pairwise(cuts):
            if x < crop.right and end > crop.x:
                strip = chops[y].get(x)
                shown.append((x, None if strip is None else list(strip)))
        rows.append(shown)
    return rows


def both_renders(compositor: Compositor, crop: Region) -> tuple[Cells, Cells]:
    """``crop`` rendered by the screen's compositor and by Textual's own method."""
    rendered = set(crop.line_range).__contains__
    ours = shown_cells(compositor, compositor._render_chops(crop, rendered), crop)
    theirs = shown_cells(compositor, Compositor._render_chops(compositor, crop, rendered), crop)
    return ours, theirs


@pytest.mark.anyio
async def test_partial_repaints_match_textuals_compositor(app: CoderlhfApp) -> None:
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PairScreen)
        compositor = screen._compositor
        assert isinstance(compositor, RowCroppedCompositor)
        pane = screen.query_one("#code-left", CodePane)
        panel = screen.query_one(CommentsPanel)

        await pilot.press("m", "j", "j")  # a marked range
        await pilot.pause()
        cursor_rows = Region(pane.region.x, pane.region.y + 1, pane.region.width, 3)
        checked = [cursor_rows, panel.region, Region(0, 0, 160, 1)]

        await pilot.press("m")  # the editor opens over both panes
        await pilot.pause()
        editor = screen.query_one(CommentEditor)
        assert editor.is_open
        checked += [editor.region, editor.region.grow((1, 1, 1, 1))]

        for region in checked:
            crop = region.intersection(screen.region)
            ours, theirs = both_renders(compositor, crop)
            assert ours == theirs, crop
            assert any(strip is not None for row in ours for _, strip in row)  # [a render]


@pytest.mark.anyio
async def test_the_closed_editor_takes_no_focus(app: CoderlhfApp) -> None:
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        editor = screen.query_one(CommentEditor)
        text = editor.query_one("#comment-text")
        assert not editor.is_open and text not in screen.focus_chain
        assert not screen.region.overlaps(editor.region)  # off the screen, not drawn

        await pilot.press("m", "m")
        await pilot.pause()
        assert editor.is_open and screen.focused is text
        assert screen.region.contains_region(editor.region)

        await pilot.press("escape")
        await pilot.pause()
        assert not editor.is_open and text not in screen.focus_chain
        assert isinstance(screen.focused, CodePane)
