"""The five-level preference in screen terms: left much better .. right much better.

The bar knows only left and right; the screen maps its ordinal (-2 .. +2) to the task's
A/B through the blind order, so the engineer never sees which is A.
"""

from __future__ import annotations

from textual.content import Content
from textual.markup import escape
from textual.message import Message
from textual.widget import Widget

from coderlhf_tui.domain import Preference
from coderlhf_tui.rubric import Rubric
from coderlhf_tui.widgets.bindings import bindings_for

SCREEN_LABELS: dict[int, str] = {
    -2: "Left ≫",
    -1: "Left >",
    0: "Tie",
    1: "Right >",
    2: "Right ≫",
}
"""Short labels for the five levels, from the screen's point of view."""


def screen_description(rubric: Rubric, ordinal: int) -> str:
    """The rubric's description of a level, reworded from A/B to left/right."""
    level = rubric.preference_level(Preference.from_ordinal(ordinal))
    text = level.description.replace("A ", "\x00 ").replace("B ", "\x01 ")
    text = text.replace("\x00", "Left").replace("\x01", "Right")
    return text.replace(" A.", " left.").replace(" B.", " right.")


class PreferenceBar(Widget, can_focus=True):
    """Choose which shown response is better, and how much."""

    BINDINGS = bindings_for("preference")

    DEFAULT_CSS = """
    PreferenceBar {
        height: auto;
        padding: 0 1;
        border: round $foreground 30%;
        border-title-color: $foreground 70%;
        &:focus { border: round $primary; border-title-color: $primary; }
    }
    """

    class Changed(Message):
        """The engineer chose ``ordinal`` (-2 .. +2) or cleared the choice (None)."""

        def __init__(self, bar: PreferenceBar, ordinal: int | None) -> None:
            super().__init__()
            self.bar = bar
            self.ordinal = ordinal

        @property
        def control(self) -> PreferenceBar:
            return self.bar

    def __init__(self, rubric: Rubric, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.rubric = rubric
        self.ordinal: int | None = None
        self.border_title = "Preference"

    def set_ordinal(self, ordinal: int | None) -> None:
        """Show this choice (attributes down; no message)."""
        self.ordinal = ordinal
        self.refresh(layout=True)

    def render(self) -> Content:
        cells = []
        for ordinal, label in SCREEN_LABELS.items():
            if ordinal == self.ordinal:
                cells.append(f"[b reverse $accent] {label} [/]")
            else:
                cells.append(f"[dim] {label} [/]")
        lines = [" ".join(cells)]
        if self.ordinal is None:
            lines.append("[i]1-5 or ←/→ to choose; strength grows outward.[/]")
        else:
            lines.append(f"[i]{escape(screen_description(self.rubric, self.ordinal))}[/]")
        return Content.from_markup("\n".join(lines))

    def _set(self, ordinal: int | None) -> None:
        self.ordinal = ordinal
        self.refresh(layout=True)
        self.post_message(self.Changed(self, ordinal))

    def action_step(self, delta: int) -> None:
        current = 0 if self.ordinal is None else self.ordinal
        start = current if self.ordinal is not None else -delta
        self._set(max(-2, min(2, start + delta)))

    def action_choose(self, level: int) -> None:
        self._set(None if level == 0 else level - 3)

    def on_click(self, event: object) -> None:
        x = getattr(event, "x", None)
        if not isinstance(x, int):
            return
        position = 1
        for ordinal, label in SCREEN_LABELS.items():
            position += len(label) + 3
            if x < position:
                self._set(ordinal)
                return
