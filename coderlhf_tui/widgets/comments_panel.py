"""The list of a pair's line comments: where each is, what it says; jump, edit, delete.

Reusable by any screen that shows responses (the pair view, a ranking view): it is
handed ``CommentEntry`` rows already in that screen's terms (a side label such as
"Left", never A/B) and answers with messages naming the comment id; the screen does
the rest. An ``OptionList`` underneath, so 200 comments are one cheap widget with its
own cursor keys, not 200 widgets. Its height is fixed (six rows): a panel that grew with
each saved comment would lay out and repaint the whole scoring column on the key that
saves one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Self

from rich.text import Text
from textual.geometry import Region
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from coderlhf_tui.domain import LineComment
from coderlhf_tui.widgets.bindings import bindings_for

SEVERITY_STYLE = {
    "INFO": "dim",
    "LOW": "cyan",
    "MEDIUM": "yellow",
    "HIGH": "bold red",
    "CRITICAL": "bold reverse red",
}


@dataclass(frozen=True, slots=True)
class CommentEntry:
    """One comment as the panel lists it."""

    comment: LineComment
    side: str
    """The label of the response it is on, in the screen's terms ("Left", "Right")."""


def entry_text(entry: CommentEntry) -> Text:
    """One row: side and lines, severity, category, verdict, the text's first line."""
    c = entry.comment
    lines = f"{c.start_line}" if c.start_line == c.end_line else f"{c.start_line}-{c.end_line}"
    text = Text.assemble(
        (f"{entry.side} {lines:>7} ", "bold"),
        (f"{c.severity.value:<8} ", SEVERITY_STYLE.get(c.severity.value, "")),
        (c.category, "italic"),
    )
    if c.verdict is not None:
        text.append(f" [{c.verdict.value} {c.rule_id or ''}]", "dim" if c.is_dispute else "")
    body = c.text.strip().splitlines()[0] if c.text.strip() else ""
    if body:
        text.append(f"  {body}")
    return text


class CommentsPanel(OptionList):
    """Every comment of the pair; ``enter`` jumps to it, ``e`` edits, ``delete`` removes."""

    BINDINGS = bindings_for("comments")

    DEFAULT_CSS = """
    CommentsPanel { height: 8; border: round $foreground 30%; }
    CommentsPanel:focus { border: round $accent; }
    """

    class Chosen(Message):
        """A comment was chosen for ``action``: "jump", "edit" or "delete"."""

        def __init__(self, panel: CommentsPanel, comment_id: str, action: str) -> None:
            super().__init__()
            self.panel = panel
            self.comment_id = comment_id
            self.action = action

        @property
        def control(self) -> CommentsPanel:
            return self.panel

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.border_title = "Comments (m marks lines)"
        self._ids: list[str] = []
        self._rows: dict[CommentEntry, Option] = {}
        """The option listing each entry shown: listed again unchanged, an entry keeps its
        option and with it the text ``OptionList`` made and measured for it."""

    def show(self, entries: Sequence[CommentEntry]) -> None:
        """Replace the list (the highlighted row stays where it was, when it still exists)."""
        keep = self.highlighted
        self._ids = [e.comment.id for e in entries]
        self._relisting = True
        try:
            # One update of the rows, not two: emptied first, a list taller than the panel
            # hid its scrollbar and showed it again, and each asked for a layout.
            self.set_options(self._options_for(entries))
        finally:
            self._relisting = False
        if entries:
            with self.prevent(OptionList.OptionHighlighted):  # nobody listens; 5 hops up
                self.highlighted = min(keep or 0, len(entries) - 1)
        self.border_title = f"Comments · {len(entries)}  (m marks lines, n next)"

    _relisting = False

    def _options_for(self, entries: Sequence[CommentEntry]) -> list[Option]:
        """An option per entry, the one it had when it is unchanged. A save lists every
        comment again; making and measuring each row's text anew was most of the cost of
        the key that saves a comment on a pair with 200 of them (25 ms, BENCHMARKS.md)."""
        rows = {e: self._rows.get(e) or Option(entry_text(e), id=e.comment.id) for e in entries}
        self._rows = rows
        return [rows[e] for e in entries]

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        """A new list changes the panel's rows and scrollbars (``OptionList`` updates both
        itself), never its fixed size: the layout of the whole screen its new virtual size
        asks for is skipped (2-4 ms on the key that saves a comment)."""
        return super().refresh(
            *regions, repaint=repaint, layout=layout and not self._relisting, recompose=recompose
        )

    def _choose(self, action: str) -> None:
        index = self.highlighted
        if index is None or index >= len(self._ids):
            return
        self.post_message(self.Chosen(self, self._ids[index], action))

    def action_jump(self) -> None:
        self._choose("jump")

    def action_edit(self) -> None:
        self._choose("edit")

    def action_delete(self) -> None:
        self._choose("delete")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose("jump")
