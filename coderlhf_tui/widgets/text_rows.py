"""A TextArea that repaints only the screen rows an edit changed.

Textual's TextArea caches its rendered rows, but with soft wrapping the cache key holds
the whole selection and every edit clears the cache, so each key re-renders every
visible row; and a row of a wrapped paragraph is rendered by styling the whole paragraph
and cutting it into sections. In the rationale (one paragraph or a few, soft-wrapped)
that was the largest part of the TextArea's share of a key. Here a row is cached under
what it shows: the text of that section of its line, whether it is on the cursor's line,
the cursor if the cursor is in it, the selection when there is one, and the widget's
look; typing at the end of a paragraph repaints the one or two rows it touches.

Rows this key cannot describe exactly (an empty area showing its placeholder, lines
holding tabs, whose expansion depends on the sections before) are left to Textual.

Two more costs of a key are Textual's and grow with the text (issue 18): finding which
section of which line a screen row shows (``offset_to_location`` cuts the whole paragraph
into sections every time, so each row of a long paragraph cost as much as wrapping it
again) is read here from the wrap offsets; and ``TextArea.render_lines`` recomputes the
theme's styles from CSS on every frame, which is done here only when the look changed
(a style update, the theme, the focus), the same things that clear the row cache.

And a key repaints only the rows it changed: TextArea asks for a repaint of the whole
editor on every edit; here that is narrowed, when the frame is drawn, to the rows whose
key differs from the one they were drawn under (every row when one cannot be keyed), so
Textual neither redraws nor recomposes the other rows.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection, Hashable
from typing import TYPE_CHECKING, Any

from textual.cache import LRUCache
from textual.geometry import Offset, Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import TextArea
from textual.widgets.text_area import TextAreaTheme

if TYPE_CHECKING:
    from textual.document._wrapped_document import WrappedDocument

ROWS_KEPT = 256
"""Rendered rows kept (a screen of the editor holds six)."""


class RowCachedTextArea(TextArea):
    """A TextArea whose rendered rows are cached under their own content."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._rows: LRUCache[Hashable, Strip] = LRUCache(ROWS_KEPT)
        self._styled: tuple[TextAreaTheme | None, str, bool] | None = None
        """The theme object, app theme and focus the theme's styles were last taken for."""
        self._frame_look: tuple[object, ...] | None = None
        """While a frame is drawn: the look shared by all its rows (computed once)."""
        self._drawn: dict[int, Hashable] = {}
        """The key of what each screen row shows now (what the last frames drew)."""
        self._whole_asked = False
        """A repaint of the whole editor was asked for: narrowed to the changed rows when
        the frame is drawn."""

    def notify_style_update(self) -> None:
        self._rows.clear()
        self._styled = None
        self._drawn.clear()
        super().notify_style_update()

    def _set_dirty(self, *regions: Region) -> None:
        if regions or not self._drawn:
            super()._set_dirty(*regions)
        else:
            self._whole_asked = True

    def _exchange_repaint_regions(self) -> Collection[Region]:
        self._mark_changed_rows()
        return super()._exchange_repaint_regions()

    def _mark_changed_rows(self) -> None:
        """After a whole repaint was asked for: mark dirty the rows whose key changed since
        they were drawn, or every row (as Textual does) when one of them cannot be keyed
        or was never drawn. Done by whichever comes first, the frame asking what to
        repaint or a frame drawing the editor (a layout draws without asking)."""
        if not self._whole_asked:
            return
        self._whole_asked = False
        width, height = self.size
        changed = []
        for y in range(height):
            key = self._row_key(y)
            if key is None or y not in self._drawn:
                self._drawn.clear()
                super()._set_dirty()
                return
            if key != self._drawn[y]:
                changed.append(Region(0, y, width, 1))
        if changed:
            super()._set_dirty(*changed)

    def render_lines(self, crop: Region) -> list[Strip]:
        self._mark_changed_rows()
        styled = (self._theme, self.app.theme, self.has_focus)
        self._frame_look = self._look()
        try:
            if self._styled is not None and all(
                now is before for now, before in zip(styled, self._styled, strict=True)
            ):  # the theme's styles are as the last frame took them: skip taking them again
                return Widget.render_lines(self, crop)
            lines = super().render_lines(crop)
            self._styled = styled
            return lines
        finally:
            self._frame_look = None

    def render_line(self, y: int) -> Strip:
        key = self._row_key(y)
        self._drawn[y] = key
        if key is None:
            return super().render_line(y)
        row = self._rows.get(key)
        if row is None:
            row = super().render_line(y)
            self._rows[key] = row
        return row

    def _look(self) -> tuple[object, ...]:
        """What every row depends on besides its own content."""
        return (
            self.size,
            self.scroll_offset.x,
            self.app.theme,
            self.theme,
            self.has_focus,
            self.soft_wrap,
            self.show_line_numbers,
            self.highlight_cursor_line,
            self.read_only,
            self.show_cursor,
            self.suggestion,
            self.match_cursor_bracket,
            self._matching_bracket_location,
        )

    def _row_key(self, y: int) -> Hashable | None:
        """Everything row ``y`` on screen depends on, or None to let Textual render it."""
        document = self.document
        if document.line_count == 1 and not document[0] and self.placeholder:
            return None
        row = self.scroll_offset.y + y
        look = self._frame_look or self._look()
        wrapped = self.wrapped_document
        if row >= wrapped.height:
            return look, row
        line_index, start, end = _section_at(wrapped, row)
        line = document[line_index]
        if "\t" in line:
            return None
        selection = self.selection
        cursor_row, _ = selection.end
        cursor_here = self._cursor_offset[1] == row
        return (
            look,
            row,
            line_index,
            start,
            end,
            line[start:end],
            line_index == cursor_row,
            (selection.end, self._draw_cursor) if cursor_here else None,
            selection if selection.start != selection.end else None,
            self.line_number_start if self.show_line_numbers else None,
        )


def _section_at(wrapped: WrappedDocument, row: int) -> tuple[int, int, int | None]:
    """The document line shown on wrapped row ``row``, and where that row's section of it
    starts and ends (None: the line's end). Read from the wrap offsets Textual keeps (its
    private row-to-section table when it has one, else its public, slower lookup)."""
    table = getattr(wrapped, "_offset_to_line_info", None)
    info = table[row] if table is not None and row < len(table) else None
    if info is not None:
        line_index, section = info
        offsets = wrapped.get_offsets(line_index)
        start = offsets[section - 1] if section else 0
    else:
        line_index, start = wrapped.offset_to_location(Offset(0, row))
        offsets = wrapped.get_offsets(line_index)
    following = bisect_right(offsets, start)
    return line_index, start, offsets[following] if following < len(offsets) else None
