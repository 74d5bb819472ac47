"""A Line-API scroll view with a cursor row and a cache of rendered strips.

Only the rows on screen are ever rendered, and each rendered row is cached under
everything that changes it (row, horizontal offset, width, cursor, data generation), so
scrolling a 2,000-line file or diff costs a dictionary lookup per row. Subclasses say how
many rows there are and how to draw one; this class owns cursor movement, finding and
change navigation, following a taint finding's data flow (``w``: the cursor visits the
trace's source, intermediate and sink lines in turn, wrapping), and reports cursor moves
and scrolling as messages.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from coderlhf_tui.domain import Finding
from coderlhf_tui.widgets.bindings import bindings_for
from coderlhf_tui.widgets.comment_marks import CommentMarks
from coderlhf_tui.widgets.kept_scrollbars import keep_drawn
from coderlhf_tui.widgets.styled_rows import RowStylesCache

DARK_SYNTAX = "monokai"
LIGHT_SYNTAX = "friendly"


class LineView(CommentMarks, ScrollView, can_focus=True):
    """Base class of the code pane and the diff view (line comments: ``CommentMarks``)."""

    BINDINGS = bindings_for("code") + bindings_for("comment")

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "code--gutter",
        "code--cursor",
        "code--insert",
        "code--delete",
        "code--change",
        "code--mark-insert",
        "code--mark-delete",
        "code--filler",
        "code--sev-low",
        "code--sev-medium",
        "code--sev-high",
        "code--marking",
    }

    DEFAULT_CSS = """
    LineView {
        background: $surface;
        color: $foreground;
        scrollbar-size-vertical: 1;
        scrollbar-size-horizontal: 1;
        & > .code--gutter { color: $foreground 45%; }
        & > .code--cursor { background: $primary 30%; }
        & > .code--insert { background: $success 18%; }
        & > .code--delete { background: $error 18%; }
        & > .code--change { background: $warning 12%; }
        & > .code--mark-insert { background: $success 50%; text-style: bold; }
        & > .code--mark-delete { background: $error 50%; text-style: bold; }
        & > .code--filler { color: $foreground 20%; }
        & > .code--sev-low { color: $accent; }
        & > .code--sev-medium { color: $warning; }
        & > .code--sev-high { color: $error; text-style: bold; }
        & > .code--marking { background: $accent 35%; }
        &:focus { background-tint: $foreground 3%; }
    }
    """

    cursor: reactive[int] = reactive(0, init=False, repaint=False)
    """The row under the cursor (its findings are shown below the panes). Not a repaint of
    the view: ``watch_cursor`` repaints the two rows whose look changed."""

    class CursorMoved(Message):
        """The cursor moved to ``row``."""

        def __init__(self, view: LineView, row: int) -> None:
            super().__init__()
            self.view = view
            self.row = row

        @property
        def control(self) -> LineView:
            return self.view

    class Scrolled(Message):
        """The view scrolled to (x, y); a sibling pane may follow."""

        def __init__(self, view: LineView, x: float, y: float) -> None:
            super().__init__()
            self.view = view
            self.x = x
            self.y = y

        @property
        def control(self) -> LineView:
            return self.view

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self._styles_cache = self._styled_rows = RowStylesCache()
        self._strips: LRUCache[tuple[object, ...], Strip] = LRUCache(2048)
        self._generation = 0
        self._following = False
        self._flow: tuple[Finding, list[int], int] | None = None
        """The traced finding being followed, its steps' rows and the step reached."""
        self._pass: tuple[int, int, int, int, int] | None = None
        """The view's state for the rows being rendered (``render_lines``)."""
        self._scrollbars_sized_for: Size | None = None
        """The virtual size the scrollbars were last updated for (``_size_updated``)."""

    # -- what subclasses provide ------------------------------------------------------------

    def row_count(self) -> int:
        """How many rows the view has."""
        return 0

    def content_width(self) -> int:
        """The widest row in cells (for horizontal scrolling)."""
        return 0

    def render_row(self, row: int, width: int, scroll_x: int, cursor: bool) -> list[Segment]:
        """The segments of one row, ``width`` cells wide, scrolled ``scroll_x`` cells."""
        return []

    def finding_rows(self) -> list[int]:
        """Rows carrying a finding marker, ascending."""
        return []

    def change_rows(self) -> list[int]:
        """Rows that start a changed block (diff view), ascending."""
        return []

    def flows_at(self, row: int) -> list[tuple[Finding, list[int]]]:
        """The findings on a row that carry a data-flow trace, each with the rows of its
        steps (source, intermediate lines, sink)."""
        return []

    # -- shared machinery --------------------------------------------------------------------

    def syntax_theme(self) -> str:
        """The Pygments style that suits the active Textual theme."""
        return DARK_SYNTAX if self.app.current_theme.dark else LIGHT_SYNTAX

    def style(self, name: str) -> Style:
        """A component class's style."""
        return self.get_component_rich_style(name)

    def data_changed(self) -> None:
        """Call after the rows changed: drop cached strips, resize, clamp the cursor."""
        self._generation += 1
        self._strips.clear()
        self._flow = None
        self.virtual_size = Size(self.content_width(), self.row_count())
        if self.cursor >= self.row_count():
            self.set_reactive(LineView.cursor, max(0, self.row_count() - 1))
        self.refresh()

    def notify_style_update(self) -> None:
        """A theme or CSS change: cached strips carry old colours."""
        self._strips.clear()
        self._styled_rows.clear_rows()
        super().notify_style_update()

    def focus_shown(self, row: int) -> bool:
        """Whether ``row`` is drawn as in a focused view (part of its cached strip's key)."""
        return self.has_focus

    def render_lines(self, crop: Region) -> list[Strip]:
        """Textual's, with what every row's cache key needs read once for all the rows
        rendered (each read goes through reactives and the widget's regions: about a
        third of a cached row's cost, on the 80 rows a scroll of two panes renders)."""
        self._pass = self._view_state()
        try:
            return super().render_lines(crop)
        finally:
            self._pass = None

    def _view_state(self) -> tuple[int, int, int, int, int]:
        """(scroll x, scroll y, width, row count, cursor row): what a row's look depends on
        besides its own data."""
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        return scroll_x, scroll_y, width, self.row_count(), self.cursor

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y, width, rows, cursor = self._pass or self._view_state()
        row = scroll_y + y
        if row >= rows:
            return Strip.blank(width, self.rich_style)
        key = (row, scroll_x, width, row == cursor, self._generation, self.focus_shown(row))
        strip = self._strips.get(key)
        if strip is None:
            segments = self.render_row(row, width, scroll_x, row == cursor)
            strip = Strip(segments).adjust_cell_length(width, self.rich_style)
            self._strips[key] = strip
        return strip

    def watch_cursor(self, old: int, new: int) -> None:
        self.marking_moved(old, new)  # the marked range follows the cursor
        self.refresh_line(old)  # only the two rows whose look changed, not the view
        self.refresh_line(new)
        self.scroll_to_row(new)
        self.post_message(self.CursorMoved(self, new))

    def scroll_to_row(self, row: int) -> None:
        """Scroll just enough to show ``row``."""
        scroll_row_into_view(self, row)

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        """Textual hands a line-API view its viewport as ``virtual_size``, which never equals
        the view's own (rows by widest row), so every layout anywhere on the screen would
        repaint both scrollbars of every code view. They are updated when the view's own
        size changed since they last were (new rows), or the widget's size did."""
        own = self.virtual_size
        if own == self._scrollbars_sized_for:
            virtual_size = own  # Textual compares: equal means nothing to update
        self._scrollbars_sized_for = own
        return super()._size_updated(size, virtual_size, container_size, layout)

    def on_mount(self) -> None:
        keep_drawn(self)  # a scroll finishes no scrollbar line it finished before

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if not self._following and round(old_value) != round(new_value):
            self.post_message(self.Scrolled(self, self.scroll_x, new_value))

    def watch_scroll_x(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_x(old_value, new_value)
        if not self._following and round(old_value) != round(new_value):
            self.post_message(self.Scrolled(self, new_value, self.scroll_y))

    def follow(self, x: float, y: float) -> None:
        """Scroll to where a sibling scrolled, without echoing a Scrolled message back."""
        self._following = True
        try:
            self.scroll_to(x=x, y=y, animate=False, immediate=True)
        finally:
            self._following = False

    def on_click(self, event: object) -> None:
        offset = getattr(event, "y", None)
        if isinstance(offset, int) and self.row_count():
            self.cursor = min(self.row_count() - 1, int(self.scroll_y) + offset)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.check_comment_action(action)

    # -- actions (keymap scope "code") ----------------------------------------------------------

    def action_cursor(self, delta: int) -> None:
        if self.row_count():
            self.cursor = max(0, min(self.row_count() - 1, self.cursor + delta))

    def action_page(self, direction: int) -> None:
        height = max(1, self.scrollable_content_region.height - 1)
        self.action_cursor(direction * height)

    def action_cursor_to(self, row: int) -> None:
        if self.row_count():
            self.cursor = row if row >= 0 else self.row_count() - 1

    def action_pan(self, delta: int) -> None:
        self.scroll_to(x=self.scroll_x + delta, animate=False)

    def action_finding(self, direction: int) -> None:
        self._jump(self.finding_rows(), direction, "No findings in this view.")

    def action_change(self, direction: int) -> None:
        self._jump(self.change_rows(), direction, "No changes in this view.")

    def flow_step(self) -> tuple[Finding, int] | None:
        """The finding whose flow is being followed and the index of the step the cursor is
        on (None once the cursor left the flow)."""
        if self._flow is None:
            return None
        finding, rows, index = self._flow
        return (finding, index) if rows[index] == self.cursor else None

    def action_follow_flow(self) -> None:
        """Move to the next step of the followed flow; on a line with a traced finding,
        start at its source."""
        if self._flow is not None and self.flow_step() is not None:
            finding, rows, index = self._flow
        else:
            flows = self.flows_at(self.cursor)
            if not flows:
                self.notify("No data flow on this line (taint findings carry one).", timeout=2)
                return
            (finding, rows), index = flows[0], -1
        index = (index + 1) % len(rows)
        self._flow = (finding, rows, index)
        if rows[index] == self.cursor:  # a step on the same line: say so all the same
            self.post_message(self.CursorMoved(self, self.cursor))
        else:
            self.cursor = rows[index]

    def _jump(self, rows: list[int], direction: int, empty: str) -> None:
        if not rows:
            self.notify(empty, timeout=2)
            return
        if direction > 0:
            target = next((r for r in rows if r > self.cursor), rows[0])
        else:
            target = next((r for r in reversed(rows) if r < self.cursor), rows[-1])
        self.cursor = target


def scroll_row_into_view(view: ScrollView, row: int) -> None:
    """Scroll ``view`` (a view of one-cell rows) just enough to show ``row``."""
    height = view.scrollable_content_region.height
    top = int(view.scroll_y)
    if row < top:
        view.scroll_to(y=row, animate=False)
    elif height and row >= top + height:
        view.scroll_to(y=row - height + 1, animate=False)
