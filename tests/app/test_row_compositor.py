"""The pair screen's compositor (``screens/row_compositor.py``) renders only the rows a
partial repaint shows: what it hands the terminal must be what Textual's own compositor
hands it, cell for cell, for the regions the comment keys repaint (cursor rows, the
comments panel, the status line, the open editor and a frame around it), byte for byte
when several regions are repainted at once, and its layout leaves a full map that needs
no second arrangement. The closed editor waits off the screen: it takes no focus and
shows nowhere."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from itertools import pairwise

import pytest
from rich.segment import Segment
from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.pilot import Pilot
from textual.screen import Screen
from textual.strip import Strip

from coderlhf_tui.app import CoderlhfApp
from coderlhf_tui.screens.pair import PairScreen
from coderlhf_tui.screens.row_compositor import RowCroppedCompositor
from coderlhf_tui.widgets.code_pane import CodePane
from coderlhf_tui.widgets.comment_editor import CommentEditor
from coderlhf_tui.widgets.comments_panel import CommentsPanel
from coderlhf_tui.widgets.diff_view import DiffView


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


def shows_editor(compositor: RowCroppedCompositor, editor: CommentEditor) -> bool:
    """Whether any of the editor's widgets is drawn (or found by the mouse) anywhere."""
    drawn = compositor.visible_widgets.keys() | {
        widget for row in compositor.layers_visible for widget, _, _ in row
    }
    return any(widget is editor or editor in widget.ancestors for widget in drawn)


def screen_text(compositor: RowCroppedCompositor, region: Region) -> str:
    """The characters a full render of the screen shows in ``region``."""
    strips = compositor.render_strips()
    return "\n".join(strips[y].crop(region.x, region.right).text for y in region.line_range)


@pytest.mark.anyio
async def test_the_closed_editor_is_veiled_takes_no_focus_and_lays_nothing_out(
    app: CoderlhfApp,
) -> None:
    """Closed, the editor stays laid out where it opens but is veiled: nothing of it is
    drawn or clicked and the code shows through; opening and closing it (a key each)
    repaints its area and lays nothing out."""
    async with app.run_test(size=(160, 48)) as pilot:
        screen, compositor = await pair_screen(pilot)
        editor = screen.query_one(CommentEditor)
        text = editor.query_one("#comment-text")
        area = editor.region.intersection(screen.region)
        assert not editor.is_open and text not in screen.focus_chain
        assert area and compositor.is_veiled(text) and not shows_editor(compositor, editor)
        assert "Comment on" not in screen_text(compositor, area)
        assert screen.get_widget_at(area.x + 2, area.y + 2)[0] not in editor.walk_children()
        code_under = screen_text(compositor, area)

        layouts: list[object] = []
        reflow = compositor.reflow
        compositor.reflow = lambda *args: layouts.append(args) or reflow(*args)  # type: ignore[method-assign]
        await pilot.press("m", "m")
        await pilot.pause()
        assert editor.is_open and screen.focused is text and shows_editor(compositor, editor)
        assert screen.region.contains_region(editor.region)
        assert "Comment on" in screen_text(compositor, area)
        assert screen.get_widget_at(area.x + 2, area.y + 2)[0] in editor.walk_children()

        repainted: list[Region] = []
        update = compositor.render_partial_update

        def recorded() -> ChopsUpdate | None:
            repainted.extend(compositor._dirty_regions)
            return update()

        compositor.render_partial_update = recorded  # type: ignore[method-assign]
        await pilot.press("escape")
        await pilot.pause()
        assert all(
            any(region.contains(x, y) for region in repainted)
            for y in area.line_range
            for x in range(area.x, area.right)
        )  # the terminal was sent the code under the editor again
        assert not editor.is_open and text not in screen.focus_chain
        assert isinstance(screen.focused, CodePane) and not shows_editor(compositor, editor)
        assert screen_text(compositor, area) == code_under
        assert layouts == []  # [no layout on the keys that open and close the editor]

        panel = screen.query_one(CommentsPanel)
        listed, toasts = panel.comment_count, len(app._notifications)
        await pilot.press("m", "m", *"no lock", "ctrl+s")  # saved: markers and panel redrawn
        await pilot.pause(0.2)
        assert panel.comment_count == listed + 1 and not editor.is_open
        listing = screen_text(compositor, panel.region.intersection(screen.region))
        assert f"Comments · {listed + 1} · Left 1 saved" in listing and "  no lo" in listing
        assert len(app._notifications) == toasts  # said in the panel's title, not a toast
        assert layouts == []  # [nor on the key that saves one and lists it]


async def pair_screen(pilot: Pilot[None]) -> tuple[Screen[None], RowCroppedCompositor]:
    """The sample workspace's first pair, opened from the queue, and its compositor."""
    await pilot.press("enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, PairScreen) and isinstance(screen._compositor, RowCroppedCompositor)
    return screen, screen._compositor


Shown = list[tuple[int, int, list[Segment] | None]]


def shown_in_spans(update: ChopsUpdate | None) -> Shown:
    """Per repainted run of a row, the cells of every cut it overlaps (what a partial update
    writes to the terminal), cut to the run."""
    assert update is not None
    shown: Shown = []
    for y, first, end in update.spans:
        for (x, strip), stop in zip(update.chops[y].items(), update.chop_ends[y], strict=True):
            if x < end and stop > first:
                cells = None if strip is None else strip.crop(max(first, x) - x, min(end, stop) - x)
                shown.append((y, x, None if cells is None else list(cells)))
    return shown


@pytest.mark.anyio
async def test_several_regions_repainted_at_once_show_what_textual_shows(
    app: CoderlhfApp,
) -> None:
    """The open and save keys repaint the editor's area and a few rows far from it (the
    marked rows, the panel, the footer): only the cells of those rows' runs are rendered,
    and the terminal gets exactly Textual's cells."""
    async with app.run_test(size=(160, 48)) as pilot:
        screen, compositor = await pair_screen(pilot)
        pane = screen.query_one("#code-left", CodePane)
        await pilot.press("m", "j", "j", "m")  # the editor opens over both panes
        await pilot.pause()
        editor = screen.query_one(CommentEditor)
        assert editor.is_open
        _, clip = compositor.visible_widgets[pane]
        shown = pane.scrollable_content_region.intersection(clip)  # the rows of code showing
        bottom_rows = Region(shown.x, shown.bottom - 3, shown.width, 3)
        cases = [
            {editor.region, bottom_rows},
            {editor.region, Region(0, 47, 160, 1)},
            {Region(2, 10, 3, 2), Region(150, 30, 10, 1), screen.query_one(CommentsPanel).region},
        ]
        for unclipped in cases:
            regions = {region.intersection(screen.region) for region in unclipped}
            compositor._dirty_regions = set(regions)
            ours = shown_in_spans(compositor.render_partial_update())
            compositor._dirty_regions = set(regions)
            compositor._render_chops = partial(Compositor._render_chops, compositor)  # type: ignore[method-assign]
            try:  # Textual's partial update with Textual's render
                theirs = shown_in_spans(Compositor.render_partial_update(compositor))
            finally:
                del compositor._render_chops
            assert ours == theirs, regions
            rows = {y for y, _, cells in ours if cells}
            assert all(rows & set(region.line_range) for region in regions)  # [a render]


@pytest.mark.anyio
async def test_a_layout_leaves_a_current_full_map(app: CoderlhfApp) -> None:
    """Textual marks the full map stale when a widget it has not placed asks for a
    repaint, and its layout left it marked: the next lookup of a widget's place arranged
    the whole screen again. After this compositor's layout no lookup arranges anything."""
    async with app.run_test(size=(160, 48)) as pilot:
        screen, compositor = await pair_screen(pilot)
        hidden = screen.query_one(DiffView)  # not displayed outside the diff mode
        assert hidden not in compositor.visible_widgets

        compositor.update_widgets({hidden})
        assert compositor._full_map_invalidated  # Textual's rule, which this relies on
        Compositor.reflow(compositor, screen, screen.size)
        assert compositor._full_map_invalidated  # [Textual's layout keeps the mark]

        compositor.update_widgets({hidden})
        compositor.reflow(screen, screen.size)
        assert not compositor._full_map_invalidated
        arranged: list[object] = []
        arrange = compositor._arrange_root
        compositor._arrange_root = lambda *args, **kwargs: (
            arranged.append(args)
            or arrange(  # type: ignore[method-assign]
                *args, **kwargs
            )
        )
        assert screen.query_one(CommentsPanel).region  # a lookup of a widget's place
        assert compositor.find_widget(pane := screen.query_one("#code-left", CodePane))
        assert pane.region and arranged == []
