"""A code view's scrollbars, drawn once for each place their thumb takes.

Textual draws a scrollbar as a Rich renderable, rendered into lines, finished line by
line by its styles cache and cut at the widget's edges, all anew whenever the thumb
moves: about 1.2 ms for the 40-row bar of a code pane. A marking key that scrolls one
pane scrolls the pane beside it too, so it paid that twice, a quarter of the key's cost
(issue 15, BENCHMARKS.md). Yet a bar only ever shows one of a few dozen pictures, one
per thumb position for the view's length, and the picture depends on nothing but what
the bar hands its renderer (sizes, position, thickness, colours) and what finishes it
(the colours behind it, the ANSI theme, the part asked for).

``keep_drawn`` gives a view's two bars a styles cache that keeps the lines drawn for
each such state, so a bar moving back to a place it was drawn in costs a lookup, and
the lines (the same strips) carry their cut and escape codes from the last time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual._styles_cache import StylesCache
from textual.cache import LRUCache
from textual.scrollbar import ScrollBar

if TYPE_CHECKING:
    from textual.geometry import Region
    from textual.strip import Strip
    from textual.widget import Widget

PICTURES_KEPT = 256
"""Pictures kept per bar: every thumb position of a long file, in its few colourings."""

_RENDERER_STATE = ("virtual_size", "window_size", "position", "thickness", "vertical", "style")
"""What a Textual scrollbar hands its renderer (``ScrollBarRender``'s attributes)."""


class DrawnBarCache(StylesCache):
    """Textual's styles cache for a scrollbar, keeping the lines of each state drawn."""

    def __init__(self) -> None:
        super().__init__()
        self._drawn: LRUCache[tuple[object, ...], list[Strip]] = LRUCache(PICTURES_KEPT)

    def render_widget(self, widget: Widget, crop: Region) -> list[Strip]:
        renderer = widget.render()
        state = tuple(getattr(renderer, name, None) for name in _RENDERER_STATE)
        key = (
            type(renderer),
            state,
            crop,
            widget.size,
            widget.background_colors,
            widget.opacity,
            widget.app.ansi_theme,
        )
        lines = self._drawn.get(key)
        if lines is None:
            lines = super().render_widget(widget, crop)
            self._drawn[key] = lines
        return lines


def keep_drawn(view: Widget) -> None:
    """Give ``view``'s vertical and horizontal scrollbars a ``DrawnBarCache``."""
    for bar in (view.vertical_scrollbar, view.horizontal_scrollbar):
        if isinstance(bar, ScrollBar) and not isinstance(bar._styles_cache, DrawnBarCache):
            bar._styles_cache = DrawnBarCache()
