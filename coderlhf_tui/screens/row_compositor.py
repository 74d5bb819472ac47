"""A compositor that renders, for a partial repaint, only the rows that still show.

Textual's compositor, asked to repaint a region (a cursor row, the comment editor as it
opens or closes), renders every widget whose *clip* (its parent's visible area) touches
that region, each of them whole, and cuts every rendered row of every one of them at the
widgets' edges: the status line, the footer, the scoring column, all 36 rows of a code
pane, and the containers and panes under the comment editor, though only the repainted
rows of the front-most widget at each cell reach the terminal. Counted on the pair screen
at 160x48, that was most of the cost of the keys that open and close the comment editor
and of the marking keys (issue 15, BENCHMARKS.md).

This compositor goes through the widgets front to back as Textual's does, and renders a
widget only for the repainted rows where some of its cells are not yet covered by a
widget in front of it; the cells that reach the terminal are the same (the test compares
both compositors cell for cell). Full repaints (a resize, a new screen, an export) are
Textual's own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from textual._compositor import Compositor
from textual.geometry import Region
from textual.strip import Strip

Chops = list[dict[int, Strip | None]]
"""Per screen row, the strip of each cut (a run of cells between widget edges)."""


class RowCroppedCompositor(Compositor):
    """Textual's compositor, rendering only what a partial repaint shows."""

    def _render_chops(
        self, crop: Region, is_rendered_line: Callable[[int], bool]
    ) -> Sequence[Mapping[int, Strip]]:
        if crop == self.size.region:
            return super()._render_chops(crop, is_rendered_line)
        cuts = self.cuts
        chops: Chops = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
        for widget, (region, clip) in self.visible_widgets.items():  # front to back
            visible = region.intersection(clip)
            if not visible.overlaps(crop):
                continue
            # Whole rows of the widget's visible part: a row is cut at the widget's
            # edges, so its strip must start where the visible part starts.
            rows = visible.intersection(Region(visible.x, crop.y, visible.width, crop.height))
            showing = _rows_showing(rows, cuts, chops, is_rendered_line)
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
                for cut, piece in zip(row_cuts, pieces, strict=False):
                    if line.get(cut) is None:
                        line[cut] = piece
        return chops  # type: ignore[return-value]  # Textual's own annotation, None kept


def _rows_showing(
    rows: Region, cuts: list[list[int]], chops: Chops, is_rendered_line: Callable[[int], bool]
) -> dict[int, list[int]]:
    """The repainted rows of ``rows`` where a cut is not yet covered, with the row's cuts
    from the widget's left edge to its right edge (as Textual divides a row)."""
    first, last = rows.column_span
    showing = {}
    for y in rows.line_range:
        if not is_rendered_line(y):
            continue
        row_cuts = [cut for cut in cuts[y] if last >= cut >= first]
        line = chops[y]
        if any(line.get(cut, False) is None for cut in row_cuts[:-1]):
            showing[y] = row_cuts
    return showing
