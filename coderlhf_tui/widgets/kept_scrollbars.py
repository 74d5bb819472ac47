"""A code view's scrollbars, finishing each kind of line they draw once.

Textual draws a scrollbar as a Rich renderable rendered into lines, then finishes every
line (its styles cache), filters its colours, cuts it at the widget's edges and encodes
it for the terminal, all anew whenever the thumb moves: about 1.2 ms for the 40-row bar
of a code pane. A marking key that scrolls one pane scrolls the pane beside it too, so it
paid that twice, a quarter of the key's cost (issue 15, BENCHMARKS.md). The thumb moves
on almost every row scrolled (its place is kept in eighths of a cell), so whole pictures
seldom repeat; but a bar's lines are of a handful of kinds (track, thumb, the two
partly filled cells at the thumb's ends), the same from picture to picture.

``keep_drawn`` gives a view's two bars a ``RowStylesCache`` that keeps each finished line
under what it holds, so a scroll renders the bar's renderable and then finds every line
already finished, with its filter, cut and escape codes cached on it.
"""

from __future__ import annotations

from textual.scrollbar import ScrollBar
from textual.widget import Widget

from coderlhf_tui.widgets.styled_rows import RowStylesCache


def keep_drawn(view: Widget) -> None:
    """Give ``view``'s vertical and horizontal scrollbars a styles cache that keeps each
    finished line under its content."""
    for bar in (view.vertical_scrollbar, view.horizontal_scrollbar):
        if isinstance(bar, ScrollBar) and not isinstance(bar._styles_cache, RowStylesCache):
            bar._styles_cache = RowStylesCache(by_content=True)
