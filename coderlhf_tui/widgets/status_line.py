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
        self._forms_made: list[Content] | None = None

    def update_state(
        self,
        *,
        workspace: str | None = None,
        annotator: str | None = None,
        sync: str | None = None,
        where: str | None = None,
    ) -> None:
        """Change any of the four fields (repainting only when one really changed: saves and
        the sync tick call this far more often than the line changes)."""
        before = (self.workspace, self.annotator, self.sync, self.where)
        if workspace is not None:
            self.workspace = workspace
        if annotator is not None:
            self.annotator = annotator
        if sync is not None:
            self.sync = sync
        if where is not None:
            self.where = where
        if (self.workspace, self.annotator, self.sync, self.where) != before:
            self._forms_made = None
            self.refresh()

    def render(self) -> Content:
        width = self.content_size.width or 10_000
        for content in self._forms():
            if content.cell_length <= width:
                return content
        return content.truncate(width, ellipsis=True)

    def _forms(self) -> list[Content]:
        """The line from the most to the least spelled out: labels first go, then the name
        of the app; the last form is cut with an ellipsis when even it does not fit."""
        if self._forms_made is None:
            self._forms_made = self._make_forms()
        return self._forms_made

    def _make_forms(self) -> list[Content]:
        workspace, annotator = escape(self.workspace), escape(self.annotator)
        sync, where = escape(self.sync), escape(self.where)
        tail = f"  {where}" if where else ""
        full = (
            f"[b]coderlhf[/]  [dim]workspace[/] {workspace}  [dim]annotator[/] {annotator}"
            f"  [dim]sync[/] {sync}{tail}"
        )
        short = f"[b]coderlhf[/]  {workspace}  {annotator}  [dim]sync[/] {sync}{tail}"
        shortest = f"{workspace} {annotator} [dim]sync[/] {sync}{tail}"
        return [Content.from_markup(form) for form in (full, short, shortest)]
