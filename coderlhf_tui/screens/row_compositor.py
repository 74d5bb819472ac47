"""A compositor that renders, for a partial repaint, only the rows and cells that still show.

Textual's compositor, asked to repaint a region (a cursor row, the comment editor as it
opens or closes), renders every widget whose *clip* (its parent's visible area) touches
that region, each of them whole, and cuts every rendered row of every one of them at the
widgets' edges: the status line, the footer, the scoring column, all 36 rows of a code
pane, and the containers and panes under the comment editor, though only the repainted
rows of the front-most widget at each cell reach the terminal. Counted on the pair screen
at 160x48, that was most of the cost of the keys that open and close the comment editor
and of the marking keys (issue 15, BENCHMARKS.md).

This compositor goes through the widgets front to back as Textual's does, and renders a
widget only for the repainted rows where some of its cells that reach the terminal (the
row's repainted runs, not the whole bounding box of every repainted region) are not yet
covered by a widget in front of it; the cells that reach the terminal are the same (the
test compares both compositors cell for cell). Full repaints (a resize, a new screen, an
export) are Textual's own.

A widget can be veiled (``set_veiled``): laid out as usual, but left out of what is
drawn and what the mouse finds, with everything inside it, until it is unveiled. The
comment editor waits veiled where it opens, so opening and closing it repaints its area
and lays nothing out (Textual shows or hides a widget, or moves one, with a layout of the
whole screen: 2-3 ms, and the Resize, Show and Hide messages that follow).

Its layout leaves the full map current: Textual marks the map stale when a widget it has
not placed yet asks for a repaint, and kept it marked after the layout that placed it, so
the next position lookup arranged the whole screen a second time (~1 ms on the keys that
move the comment editor).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from itertools import pairwise

from textual._compositor import ChopsUpdate, Compositor, ReflowResult
from textual.dom import DOMNode
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

Chops = list[dict[int, Strip | None]]
"""Per screen row, the strip of each cut (a run of cells between widget edges)."""

Runs = dict[int, list[tuple[int, int]]]
"""Per screen row, the runs of cells (first, end excluded) an update copies to the terminal."""


class RowCroppedCompositor(Compositor):
    """Textual's compositor, rendering only what a partial repaint shows."""

    def __init__(self) -> None:
        super().__init__()
        self._veiled: set[Widget] = set()
        """Widgets laid out but left out of the picture, with everything inside them."""

    def set_veiled(self, widget: Widget, veiled: bool) -> bool:
        """Leave ``widget`` (and all it holds) out of what is drawn and what the mouse
        finds, or put it back, without a layout, marking its area for the next repaint;
        False if nothing changed. The caller asks for a frame (a refresh of the widget)."""
        if veiled == (widget in self._veiled):
            return False
        if veiled:
            self._veiled.add(widget)
        else:
            self._veiled.discard(widget)
        self._visible_widgets = None  # what Textual derives from the visible widgets
        self._cuts = None
        self._layers_visible = None
        geometry = self.full_map.get(widget) if self.root is not None else None
        if geometry is not None:
            area = geometry.region.intersection(geometry.clip).intersection(self.size.region)
            if area:
                self._dirty_regions.add(area)
        return True

    def is_veiled(self, widget: Widget) -> bool:
        """Whether ``widget`` or one of its ancestors is veiled."""
        node: DOMNode | None = widget
        while node is not None:
            if node in self._veiled:
                return True
            node = node.parent
        return False

    @property
    def visible_widgets(self) -> dict[Widget, tuple[Region, Region]]:
        """Textual's visible widgets less the veiled ones: what is drawn, cut and clicked."""
        if self._visible_widgets is None:
            shown = super().visible_widgets
            if self._veiled:
                shown = {widget: at for widget, at in shown.items() if not self.is_veiled(widget)}
                self._visible_widgets = shown
            return shown
        return self._visible_widgets

    def update_widgets(self, widgets: set[Widget]) -> None:
        """Textual's, leaving veiled widgets alone: Textual would take one that asks for a
        repaint for a widget not placed yet, and arrange the whole screen again."""
        if self._veiled:
            widgets = {widget for widget in widgets if not self.is_veiled(widget)}
        super().update_widgets(widgets)

    def reflow(self, parent: Widget, size: Size) -> ReflowResult:
        """Textual's layout; it arranged every widget, so its full map is current."""
        result = super().reflow(parent, size)
        self._full_map_invalidated = False
        return result

    def render_partial_update(self) -> ChopsUpdate | None:
        """Textual's, with each row's repainted runs handed to the render."""
        update_regions = self._dirty_regions.copy()
        self._dirty_regions.clear()
        if not update_regions:
            return None
        crop = Region.from_union(list(update_regions)).intersection(self.size.region)
        spans = list(self._regions_to_spans(update_regions))
        runs: Runs = {}
        for y, first, end in spans:
            runs.setdefault(y, []).append((first, end))
        chops = self._render_runs(crop, runs)
        return ChopsUpdate(chops, spans, [cut_set[1:] for cut_set in self.cuts])

    def _render_chops(
        self, crop: Region, is_rendered_line: Callable[[int], bool]
    ) -> Sequence[Mapping[int, Strip]]:
        if crop == self.size.region:
            return super()._render_chops(crop, is_rendered_line)
        whole = [(crop.x, crop.right)]
        return self._render_runs(crop, {y: whole for y in crop.line_range if is_rendered_line(y)})

    def _render_runs(self, crop: Region, runs: Runs) -> Sequence[Mapping[int, Strip]]:
        """The chops of the rows in ``runs``, each cut that overlaps a run rendered by the
        front-most widget there, and only the rows of a widget that some such cut needs."""
        cuts = self.cuts
        chops: Chops = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
        unfilled = _cuts_in_runs(cuts, runs)
        for widget, (region, clip) in self.visible_widgets.items():  # front to back
            if not unfilled:
                break  # every cut the update copies is drawn: the widgets behind are hidden
            visible = region.intersection(clip)
            if not visible.overlaps(crop):
                continue
            # Whole rows of the widget's visible part: a row is cut at the widget's
            # edges, so its strip must start where the visible part starts.
            rows = visible.intersection(Region(visible.x, crop.y, visible.width, crop.height))
            showing = _rows_showing(rows, cuts, chops, runs)
            if not showing:
                continue
            top, bottom = min(showing), max(showing)
            strips = widget.render_lines(
                Region(rows.x - region.x, top - region.y, rows.width, bottom - top + 1)
            )
            for y, strip in zip(range(top, bottom + 1), strips, strict=False):
                row_cuts = showing.get(y)
                if row_cuts is None:
                    continue
                line = chops[y]
                pieces = strip.divide([cut - rows.x for cut in row_cuts[1:]])
                for cut, end, piece in zip(row_cuts, row_cuts[1:], pieces, strict=False):
                    if line.get(cut) is None:
                        line[cut] = piece
                        if _in_runs(cut, end, runs[y]):
                            unfilled -= 1
        return chops  # type: ignore[return-value]  # Textual's own annotation, None kept


def _cuts_in_runs(cuts: list[list[int]], runs: Runs) -> int:
    """How many cuts (runs of cells between widget edges) overlap a repainted run: the
    cuts a partial update copies to the terminal, each drawn by the front-most widget."""
    return sum(
        1
        for y, row_runs in runs.items()
        for cut, end in pairwise(cuts[y])
        if _in_runs(cut, end, row_runs)
    )


def _rows_showing(
    rows: Region, cuts: list[list[int]], chops: Chops, runs: Runs
) -> dict[int, list[int]]:
    """The repainted rows of ``rows`` where a cut inside a repainted run is not yet
    covered, with the row's cuts from the widget's left edge to its right edge (as
    Textual divides a row)."""
    first, last = rows.column_span
    showing = {}
    for y in rows.line_range:
        row_runs = runs.get(y)
        if not row_runs:
            continue
        row_cuts = cuts[y][bisect_left(cuts[y], first) : bisect_right(cuts[y], last)]
        line = chops[y]
        for cut, end in pairwise(row_cuts):
            if line.get(cut, False) is None and _in_runs(cut, end, row_runs):
                showing[y] = row_cuts
                break
    return showing


def _in_runs(start: int, end: int, runs: list[tuple[int, int]]) -> bool:
    """Whether cells ``start``..``end`` (end excluded) overlap one of ``runs``."""
    return any(first < end and start < stop for first, stop in runs)
