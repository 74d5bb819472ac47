"""The rationale editor: a TextArea with a live count against the rubric's minimum."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import TextArea


class CharCount(Widget):
    """One line of text that repaints without a layout pass (it changes on every key)."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.text = ""

    def show(self, text: str) -> None:
        """Replace the text and repaint this line only."""
        if text != self.text:
            self.text = text
            self.refresh()

    def render(self) -> str:
        return self.text


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
        yield TextArea(id="rationale-text", soft_wrap=True, tab_behavior="focus")
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

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.update_count(event.text_area.text)
