"""The list of a pair's line comments: where each is, what it says; jump, edit, delete.

Reusable by any screen that shows responses (the pair view, a ranking view): it is
handed ``CommentEntry`` rows already in that screen's terms (a side label such as
"Left", never A/B) and answers with messages naming the comment id; the screen does
the rest. Its height is fixed (six rows): a panel that grew with each saved comment
would lay out and repaint the whole scoring column on the key that saves one.

A Line-API list of its own, not an ``OptionList``: every save lists all the comments
again, and ``OptionList`` re-indexed and re-measured every option on each listing and
on each highlight (on a pair with 200 comments, about a quarter of the key that saves
one, BENCHMARKS.md). Here a listing is a list of entries; only the rows on screen are
drawn, each entry's segments are made when it is first drawn and kept while the entry
is listed unchanged, and a new listing repaints just the rows on screen whose entry
changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from coderlhf_tui.domain import LineComment
from coderlhf_tui.widgets.bindings import bindings_for
from coderlhf_tui.widgets.kept_scrollbars import keep_drawn
from coderlhf_tui.widgets.line_view import scroll_row_into_view

SEVERITY_STYLE = {
    "INFO": "dim",
    "LOW": "cyan",
    "MEDIUM": "yellow",
    "HIGH": "bold red",
    "CRITICAL": "bold reverse red",
}

NAVIGATION = {"code.up", "code.down", "code.page_up", "code.page_down", "code.top", "code.bottom"}
"""The code views' cursor keys, which move the panel's highlight the same way."""


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


class CommentsPanel(ScrollView, can_focus=True):
    """Every comment of the pair; ``enter`` jumps to it, ``e`` edits, ``delete`` removes
    (a click jumps too)."""

    BINDINGS = bindings_for("code", only=NAVIGATION) + bindings_for("comments")

    COMPONENT_CLASSES: ClassVar[set[str]] = {"comments-panel--highlight"}

    DEFAULT_CSS = """
    CommentsPanel {
        height: 8; border: round $foreground 30%; padding: 0 1;
        background: $surface; color: $foreground;
        scrollbar-size-vertical: 1; overflow-x: hidden;
        & > .comments-panel--highlight {
            color: $block-cursor-blurred-foreground;
            background: $block-cursor-blurred-background;
        }
        &:focus {
            border: round $accent;
            & > .comments-panel--highlight {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """

    highlighted: reactive[int | None] = reactive(None, repaint=False)
    """The index of the highlighted comment (None when there are none)."""

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
        self.entries: Sequence[CommentEntry] = ()
        self._segments: dict[CommentEntry, list[Segment]] = {}
        """The segments of each listed entry drawn so far, made once: kept while the entry
        is listed (a pair with 200 comments opens without making 194 it does not show)."""
        self._strips: LRUCache[tuple[CommentEntry, int, bool, bool], Strip] = LRUCache(256)
        self._highlight_style: Style | None = None

    def on_mount(self) -> None:
        keep_drawn(self)  # its scrollbar, redrawn as the list grows, finishes a line once

    @property
    def comment_count(self) -> int:
        """How many comments are listed."""
        return len(self.entries)

    def show(self, entries: Sequence[CommentEntry], note: str = "") -> None:
        """Replace the list (the highlighted row stays where it was, when it still exists),
        repainting only the rows on screen that now show another entry. ``note`` says what
        just changed, in the panel's title until the next listing: a toast said it before,
        and mounting one (then taking it down two seconds later, in whatever key was
        being handled then) cost the saving key about 1 ms at p50 and 2 at p95."""
        before, self.entries = self.entries, list(entries)
        kept = self._segments  # made when a row is first drawn: a listing makes none
        self._segments = {e: kept[e] for e in self.entries if e in kept}
        if len(before) != len(self.entries):
            self._resize_list(Size(self.scrollable_content_region.width, len(self.entries)))
        top = int(self.scroll_y)
        for y in range(self.scrollable_content_region.height):
            row = top + y
            if _at(before, row) != _at(self.entries, row):
                self.refresh_line(row)
        keep = self.highlighted
        self.set_reactive(
            CommentsPanel.highlighted,
            min(keep or 0, len(self.entries) - 1) if self.entries else None,
        )
        if keep != self.highlighted:
            self._highlight_moved(keep, self.highlighted)
        count = f"Comments · {len(self.entries)}"
        self.border_title = f"{count} · {note}" if note else f"{count}  (m marks lines, n next)"

    def _resize_list(self, size: Size) -> None:
        """A new length changes the list's scrollbar, never the panel's fixed size: set
        without the layout of the whole screen that ``virtual_size`` asks for (2-3 ms of the
        key that saves a comment), the scrollbar updated as Textual does when it sizes a
        widget without a layout (a layout only when the scrollbar shows or hides)."""
        self.set_reactive(CommentsPanel.virtual_size, size)
        self._scroll_update(size)

    def _make_segments(self, entry: CommentEntry) -> list[Segment]:
        return list(entry_text(entry).render(self.app.console))

    # -- drawing ----------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = int(self.scroll_y) + y
        entry = _at(self.entries, row)
        if entry is None:
            return Strip.blank(width, self.rich_style)
        lit = row == self.highlighted
        key = (entry, width, lit, self.has_focus)
        strip = self._strips.get(key)
        if strip is None:
            segments = self._segments.get(entry)
            if segments is None:
                segments = self._segments[entry] = self._make_segments(entry)
            base = self.rich_style
            if lit:
                base = base + self._highlight()
            line = Segment.apply_style(segments, base)
            strip = self._strips[key] = Strip(line).adjust_cell_length(width, base)
        return strip

    def _highlight(self) -> Style:
        if self._highlight_style is None:
            self._highlight_style = self.get_component_rich_style("comments-panel--highlight")
        return self._highlight_style

    def notify_style_update(self) -> None:
        """A theme or CSS change, or the focus coming or going: the drawn rows are stale."""
        self._highlight_style = None
        self._strips.clear()
        super().notify_style_update()

    def _highlight_moved(self, old: int | None, new: int | None) -> None:
        for row in {old, new} - {None}:
            assert row is not None
            self.refresh_line(row)

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        self._highlight_moved(old, new)
        if new is not None:
            scroll_row_into_view(self, new)

    # -- keys and the mouse -----------------------------------------------------------------

    def action_cursor(self, delta: int) -> None:
        if self.entries:
            self.highlighted = max(0, min(len(self.entries) - 1, (self.highlighted or 0) + delta))

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(1, self.scrollable_content_region.height - 1))

    def action_cursor_to(self, row: int) -> None:
        if self.entries:
            self.highlighted = row if row >= 0 else len(self.entries) - 1

    def _choose(self, action: str) -> None:
        index = self.highlighted
        if index is None or index >= len(self.entries):
            return
        self.post_message(self.Chosen(self, self.entries[index].comment.id, action))

    def action_jump(self) -> None:
        self._choose("jump")

    def action_edit(self) -> None:
        self._choose("edit")

    def action_delete(self) -> None:
        self._choose("delete")

    def on_click(self, event: events.Click) -> None:
        """A click on a comment highlights it and jumps to it."""
        row = int(self.scroll_y) + event.y - self.gutter.top
        if 0 <= row < len(self.entries) and event.x < self.size.width - self.gutter.right:
            event.stop()
            self.highlighted = row
            self._choose("jump")


def _at(entries: Sequence[CommentEntry], row: int) -> CommentEntry | None:
    return entries[row] if 0 <= row < len(entries) else None
