"""A code view's finished rows kept across scrolling.

Textual finishes every line a widget renders (its background, tint, text opacity,
padding and borders: ``StylesCache.render_line``) and keeps the result by *screen line*,
so a scroll, which moves every row to another screen line, throws all of it away. Each
finished line is a new strip, so the caches a strip keeps for what comes after (the
colour filter, the cut at the widget's edges, the terminal's escape codes) start empty
too: scrolling a code pane by one row finished, filtered, cut and encoded all of its 40
rows again, and the pane beside it, which follows, as many. That was most of the cost of
a marking key that scrolls (issue 15, BENCHMARKS.md).

A line view's rows are already strips cached under everything that changes them
(``LineView.render_line``), so the same row strip finished under the same styles gives
the same line: this cache keeps each finished line under its row strip (by identity, the
strip held so the identity stays its own) and the styles it was finished with. A row
that scrolls to another screen line is the same strip, so it comes back finished, with
its filter, cut and escape codes already cached on it. Lines a view draws with padding,
a border or an outline, which depend on the screen line, are finished by Textual as
before. A widget that draws its lines anew on every refresh but draws few different
ones (a scrollbar: ``kept_scrollbars.py``) keeps them under what they hold instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual._styles_cache import StylesCache
from textual.cache import LRUCache
from textual.geometry import NULL_SPACING, Region

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.terminal_theme import TerminalTheme
    from textual.color import Color
    from textual.content import Content
    from textual.css.styles import StylesBase
    from textual.geometry import Size, Spacing
    from textual.strip import Strip
    from textual.style import Style
    from textual.widget import Widget

    Label = tuple[Content, Color, Color, Style] | None

ROWS_KEPT = 128
"""Finished lines kept per view: two screens of a 60-row pane, enough for a scroll to
find every row still showing. Each keeps its filtered, cut and encoded forms alive too
(the point of keeping it): the app measured 77.8 / 83.6 / 90.2 MB resident with 64 /
256 / 1,024 kept per view, against 76 MB without (benchmarks/app_perf.py)."""


class RowStylesCache(StylesCache):
    """Textual's styles cache, keeping each content line finished under its row strip:
    the strip itself (``by_content=False``: a view whose rows are cached strips) or what
    it holds (``by_content=True``: a widget that draws its lines anew each time, but few
    different ones, as a scrollbar)."""

    def __init__(self, *, by_content: bool = False) -> None:
        super().__init__()
        self._by_content = by_content
        self._finished: LRUCache[tuple[object, ...], tuple[Strip, Strip]] = LRUCache(ROWS_KEPT)
        self._styles_key: tuple[object, ...] | None = None
        """What besides the row strip a finished line depends on, for the render under
        way; None when the widget has padding, a border or an outline."""

    def clear_rows(self) -> None:
        """Forget every finished line (the view's look changed: theme, CSS)."""
        self._finished.clear()

    def render_widget(self, widget: Widget, crop: Region) -> list[Strip]:
        styles = widget.styles
        plain = styles.gutter == NULL_SPACING and not any(edge for edge, _ in styles.outline)
        self._styles_key = (
            (styles.tint, styles.text_opacity, styles.hatch if styles.has_rule("hatch") else None)
            if plain
            else None
        )
        try:
            return super().render_widget(widget, crop)
        finally:
            self._styles_key = None

    def render_line(  # Textual's signature
        self,
        styles: StylesBase,
        y: int,
        size: Size,
        content_size: Size,
        padding: Spacing,
        base_background: Color,
        background: Color,
        render_content_line: Callable[[int], Strip],
        border_title: Label,
        border_subtitle: Label,
        opacity: float,
        ansi_theme: TerminalTheme,
        native_ansi: bool,
    ) -> Strip:
        if self._styles_key is None or y >= content_size.height:
            return super().render_line(
                styles, y, size, content_size, padding, base_background, background,
                render_content_line, border_title, border_subtitle, opacity, ansi_theme,
                native_ansi,
            )  # fmt: skip
        row = render_content_line(y)
        held = tuple(row) if self._by_content else id(row)
        key = (held, size, base_background, background, opacity, ansi_theme, native_ansi,
               self._styles_key)  # fmt: skip
        kept = self._finished.get(key)
        if kept is not None and (self._by_content or kept[0] is row):
            return kept[1]
        line = super().render_line(
            styles, y, size, content_size, padding, base_background, background,
            lambda _y: row, border_title, border_subtitle, opacity, ansi_theme, native_ansi,
        )  # fmt: skip
        self._finished[key] = (row, line)
        return line
