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
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Hashable
from typing import Any

from textual.cache import LRUCache
from textual.geometry import Offset
from textual.strip import Strip
from textual.widgets import TextArea

ROWS_KEPT = 256
"""Rendered rows kept (a screen of the editor holds six)."""


class RowCachedTextArea(TextArea):
    """A TextArea whose rendered rows are cached under their own content."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._rows: LRUCache[Hashable, Strip] = LRUCache(ROWS_KEPT)

    def notify_style_update(self) -> None:
        self._rows.clear()
        super().notify_style_update()

    def render_line(self, y: int) -> Strip:
        key = self._row_key(y)
        if key is None:
            return super().render_line(y)
        row = self._rows.get(key)
        if row is None:
            row = super().render_line(y)
            self._rows[key] = row
        return row

    def _row_key(self, y: int) -> Hashable | None:
        """Everything row ``y`` on screen depends on, or None to let Textual render it."""
        document = self.document
        if document.line_count == 1 and not document[0] and self.placeholder:
            return None
        scroll_x, scroll_y = self.scroll_offset
        row = scroll_y + y
        look = (
            self.size,
            scroll_x,
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
        wrapped = self.wrapped_document
        if row >= wrapped.height:
            return look, row
        line_index, start = wrapped.offset_to_location(Offset(0, row))
        line = document[line_index]
        if "\t" in line:
            return None
        offsets = wrapped.get_offsets(line_index)
        following = bisect_right(offsets, start)
        end = offsets[following] if following < len(offsets) else None
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
