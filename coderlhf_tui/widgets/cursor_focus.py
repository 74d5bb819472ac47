"""A code view that shows the focus on its cursor row alone, so moving the focus repaints
one row of it instead of the whole view.

Textual answers a focus change by restyling the widget (CSS matching costs about 1.5 ms
per widget here, and the restyle repaints both scrollbars) and repainting all of it. A
code pane is 36 or more rows, and the keys that move the focus in and out of it (the
comment editor's ``m`` and ``ctrl+s``, ``s``/``p``/``r``/``c``) paid for that on every
press: most of their 16 ms budget. Here the look depends on the focus only through the
cursor row, bright (``code--cursor``) in the focused view and dim (``code--cursor-idle``)
elsewhere, so the view is neither restyled nor repainted beyond that row. Nothing else
may depend on ``:focus`` in its CSS: the background tint ``LineView`` gives a focused
view is cancelled here.
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style

from coderlhf_tui.widgets.focus_notice import FocusToScreen
from coderlhf_tui.widgets.line_view import LineView


class CursorFocusView(FocusToScreen, LineView):
    """A ``LineView`` whose focus shows on the cursor row (see the module docstring)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"code--cursor-idle"}

    DEFAULT_CSS = """
    CursorFocusView {
        &:focus { background-tint: $foreground 0%; }
        & > .code--cursor-idle { background: $primary 12%; }
    }
    """

    def cursor_style(self) -> Style:
        """The cursor row's background: bright while the view has the focus."""
        return self.style("code--cursor" if self.has_focus else "code--cursor-idle")

    def focus_shown(self, row: int) -> bool:
        """Only the cursor row shows the focus: the other rows' cached strips still hold
        when the focus leaves (the rows under the comment editor are drawn again as it
        opens, from this cache)."""
        return self.has_focus and row == self.cursor

    def watch_has_focus(self, _has_focus: bool) -> None:
        """No restyle: no rule of this view depends on ``:focus``."""

    def focus_changed(self) -> None:
        """Only the cursor row shows the focus: it alone is repainted."""
        if self.row_count():
            self.refresh_line(self.cursor)
