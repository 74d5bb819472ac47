"""The rationale editor: a TextArea with a live count against the rubric's minimum.

Typing here must cost the UI thread little (issue 18: at most 10 ms of CPU per key), so
each key does what it needs in one frame. The count is updated as the edit is made, not
when ``TextArea.Changed`` comes back through the message queue: two refreshes in two
frames made the compositor repaint the screen's widgets twice per key. And the area's
``Changed`` and ``SelectionChanged`` go straight to the screen instead of bubbling
through every container between them (each hop is a queue and a task switch per key,
and none of those containers handles them); the screen and the app see them as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import TextArea
from textual.widgets.text_area import Edit, EditResult

from coderlhf_tui.widgets.text_rows import RowCachedTextArea


class CharCount(Widget):
    """One line of plain text that repaints without a layout pass (it changes on every
    key). It is drawn as one styled strip: Textual's way for a widget's ``render`` text
    (markup parsing, a visual, its styles applied cell by cell) cost as much per key as
    drawing the editor's rows."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.text = ""
        self._styles: tuple[Style, Style] | None = None
        """The text's style and the blank's (the background alone), kept until the
        widget's styles change; the text carries the offset Textual gives a render."""

    def show(self, text: str) -> None:
        """Replace the text and repaint this line only."""
        if text != self.text:
            self.text = text
            self.refresh()

    def notify_style_update(self) -> None:
        self._styles = None
        super().notify_style_update()

    def render(self) -> str:
        """The same line the way Textual draws a widget's text (what ``render_line`` must
        equal, kept for the test that checks it)."""
        return self.text

    def render_line(self, y: int) -> Strip:
        if self._styles is None:
            style = self.rich_style
            self._styles = style + Style.from_meta({"offset": (0, 0)}), Style(bgcolor=style.bgcolor)
        text_style, blank = self._styles
        width = self.size.width
        line = Strip([Segment(self.text, text_style)] if self.text and not y else [])
        return line.crop(0, width).extend_cell_length(width, blank)


class RationaleArea(RowCachedTextArea):
    """The TextArea of the rationale: ``on_change`` runs with every edit, before any message
    of that edit reaches the screen, and those messages skip the containers in between."""

    def __init__(self, on_change: Callable[[str], None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_change = on_change
        self._held: list[Message] | None = None
        """While an edit is made: its messages, sent to the screen once the count is set."""

    def edit(self, edit: Edit) -> EditResult:
        self._held = []
        try:
            result = super().edit(edit)
        finally:
            held, self._held = self._held, None
        self.on_change(self.text)
        for message in held:
            self.screen.post_message(message)
        return result

    def post_message(self, message: Message) -> bool:
        if not isinstance(message, TextArea.Changed | TextArea.SelectionChanged):
            return super().post_message(message)
        if not self.check_message_enabled(message) or not self.is_attached:
            return False
        message._prevent.update(self._get_prevented_messages())
        if self._held is not None:
            self._held.append(message)
            return True
        if isinstance(message, TextArea.Changed):  # an undo, a redo, a load
            self.on_change(self.text)
        return self.screen.post_message(message)


class RationaleEditor(Vertical):
    """Free text explaining the preference; ``TextArea.Changed`` bubbles to the screen."""

    DEFAULT_CSS = """
    RationaleEditor {
        height: auto;
        border: round $foreground 30%;
        border-title-color: $foreground 70%;
        &:focus-within { border: round $primary; border-title-color: $primary; }
        TextArea { height: 6; border: none; padding: 0; }
        #rationale-count { height: 1; color: $foreground 60%; }
        #rationale-count.-short { color: $warning; }
    }
    """

    def __init__(self, min_length: int, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.min_length = min_length
        self.border_title = "Rationale"

    def compose(self) -> ComposeResult:
        yield RationaleArea(
            self.update_count, id="rationale-text", soft_wrap=True, tab_behavior="focus"
        )
        yield CharCount(id="rationale-count")

    @property
    def text_area(self) -> TextArea:
        """The editor itself."""
        return self.query_one(TextArea)

    def set_text(self, text: str) -> None:
        """Load text without it counting as an edit."""
        area = self.text_area
        if area.text != text:
            with area.prevent(TextArea.Changed):
                area.load_text(text)
        self.update_count(text)

    def update_count(self, text: str) -> None:
        """Refresh the counter."""
        length = len(text.strip())
        count = self.query_one(CharCount)
        short = length < self.min_length
        count.set_class(short, "-short")
        need = f" (at least {self.min_length})" if short else ""
        count.show(f"{length} characters{need}")
