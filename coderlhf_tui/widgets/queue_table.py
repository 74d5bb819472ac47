"""The task list of the queue: a Line-API view that renders only the rows on screen.

A workspace holds tens of thousands of tasks; a widget that measures every row (as
Textual's DataTable does for auto-sized columns) takes seconds to show them. Here the
columns have fixed widths, so a row's strip depends only on the row and the width.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.segment import Segment
from rich.style import Style
from textual.message import Message

from coderlhf_tui.widgets.bindings import bindings_for
from coderlhf_tui.widgets.line_view import LineView

NAVIGATION = {"code.up", "code.down", "code.page_up", "code.page_down", "code.top", "code.bottom"}

COLUMNS: tuple[tuple[str, int], ...] = (
    ("task", 28),
    ("lang", 11),
    ("type", 10),
    ("status", 12),
    ("tests A/B", 11),
    ("finds A/B", 10),
    ("prompt", 0),
)
"""Column titles and widths (0: the rest of the line)."""


def header_text() -> str:
    """The column titles, aligned like the rows."""
    return "".join(title.ljust(width) if width else title for title, width in COLUMNS)


class QueueTable(LineView, inherit_bindings=False):
    """Rows of (cells, status) with a cursor; a click on the cursor row reports it."""

    BINDINGS = bindings_for("code", only=NAVIGATION)

    DEFAULT_CSS = """
    QueueTable {
        & > .code--change { color: $foreground 55%; }
        & > .code--insert { color: $accent; }
    }
    """

    class Selected(Message):
        """The engineer chose the row under the cursor."""

        def __init__(self, table: QueueTable, row: int) -> None:
            super().__init__()
            self.table = table
            self.row = row

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.rows: Sequence[tuple[str, ...]] = []
        self.kinds: Sequence[str] = []

    def set_rows(self, rows: Sequence[tuple[str, ...]], kinds: Sequence[str]) -> None:
        """Show these rows; ``kinds`` ('new', 'in_progress', ...) pick a row's style. A row is
        read when it is drawn (the rendered strip is cached), so ``rows`` may make it then."""
        self.rows = rows
        self.kinds = kinds
        self.data_changed()

    def row_count(self) -> int:
        return len(self.rows)

    def content_width(self) -> int:
        return 0  # no horizontal scrolling: the prompt column is cut to fit

    def render_row(self, row: int, width: int, scroll_x: int, cursor: bool) -> list[Segment]:
        kind = self.kinds[row]
        style = Style()
        if kind in ("submitted", "needs_sync"):
            style = self.style("code--change")
        elif kind == "in_progress":
            style = self.style("code--insert")
        if cursor:
            style = style + self.style("code--cursor")
        cells = []
        for (_, column_width), value in zip(COLUMNS, self.rows[row], strict=True):
            cells.append(value[: column_width - 1].ljust(column_width) if column_width else value)
        return [Segment("".join(cells)[:width].ljust(width), style)]

    def on_click(self, event: object) -> None:
        before = self.cursor
        super().on_click(event)
        if self.rows and (getattr(event, "chain", 1) >= 2 or before == self.cursor):
            self.post_message(self.Selected(self, self.cursor))
