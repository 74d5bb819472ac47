"""The status line: workspace, annotator, sync state, and where the engineer is."""

from __future__ import annotations

from textual.content import Content
from textual.markup import escape
from textual.widget import Widget


class StatusLine(Widget):
    """One line at the top of every screen."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $foreground;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.workspace = ""
        self.annotator = ""
        self.sync = ""
        self.where = ""

    def update_state(
        self,
        *,
        workspace: str | None = None,
        annotator: str | None = None,
        sync: str | None = None,
        where: str | None = None,
    ) -> None:
        """Change any of the four fields."""
        if workspace is not None:
            self.workspace = workspace
        if annotator is not None:
            self.annotator = annotator
        if sync is not None:
            self.sync = sync
        if where is not None:
            self.where = where
        self.refresh()

    def render(self) -> Content:
        parts = [
            "[b]coderlhf[/]",
            f"[dim]workspace[/] {escape(self.workspace)}",
            f"[dim]annotator[/] {escape(self.annotator)}",
            f"[dim]sync[/] {escape(self.sync)}",
        ]
        if self.where:
            parts.append(escape(self.where))
        return Content.from_markup("  ".join(parts))
