"""Scores of one shown response: a row per rubric dimension, number keys set the level.

The card shows the anchor text of the level chosen for the dimension under its cursor,
so the engineer reads what a 3 means while giving it. It holds the scores as an attribute
set by the screen and reports each change with ``ScoreCard.Changed``.
"""

from __future__ import annotations

from textual.content import Content
from textual.markup import escape
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from coderlhf_tui.rubric import Rubric
from coderlhf_tui.widgets.bindings import bindings_for
from coderlhf_tui.workbench.blind import Side

FULL = "■"
EMPTY = "□"


class ScoreCard(Widget, can_focus=True):
    """Five (or more) dimensions of one response on the rubric's scale."""

    BINDINGS = bindings_for("score")

    DEFAULT_CSS = """
    ScoreCard {
        height: auto;
        padding: 0 1;
        border: round $foreground 30%;
        border-title-color: $foreground 70%;
        &:focus { border: round $primary; border-title-color: $primary; }
    }
    """

    cursor: reactive[int] = reactive(0)
    """Index of the dimension the number keys set."""

    class Changed(Message):
        """The engineer set (or cleared, level None) one dimension."""

        def __init__(self, card: ScoreCard, dimension: str, level: int | None) -> None:
            super().__init__()
            self.card = card
            self.side = card.side
            self.dimension = dimension
            self.level = level

        @property
        def control(self) -> ScoreCard:
            return self.card

    def __init__(self, rubric: Rubric, side: Side, title: str, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.rubric = rubric
        self.side = side
        self.scores: dict[str, int] = {}
        self.border_title = title

    def set_scores(self, scores: dict[str, int]) -> None:
        """Show these levels (attributes down; no message is sent)."""
        self.scores = dict(scores)
        self.refresh(layout=True)

    @property
    def dimension(self) -> str:
        """The dimension under the cursor."""
        return self.rubric.dimension_names[self.cursor]

    def render(self) -> Content:
        parts: list[str] = []
        names = self.rubric.dimension_names
        width = max(len(n) for n in names)
        span = len(self.rubric.levels)
        for index, name in enumerate(names):
            level = self.scores.get(name)
            here = index == self.cursor and self.has_focus
            label = f"{'▸' if here else ' '}{name.ljust(width)}"
            line = f"[reverse]{label}[/]" if here else label
            if level is None:
                line += " [dim]" + "·" * span + "  -[/]"
            else:
                filled = level - self.rubric.scale_min + 1
                line += f" [b $accent]{FULL * filled}[/][dim]{EMPTY * (span - filled)}[/] {level}"
            parts.append(line)
        dimension = self.rubric.dimension(self.dimension)
        level = self.scores.get(self.dimension)
        if level is None:
            low, high = self.rubric.scale_min, self.rubric.scale_max
            hint = escape(dimension.description)
            parts.append(f"[i]{dimension.name}: press {low}-{high}.[/] [dim i]{hint}[/]")
        else:
            parts.append(f"[b]{level}:[/] [i]{escape(dimension.anchor(level))}[/]")
        return Content.from_markup("\n".join(parts))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "set_level" and parameters:
            level = parameters[0]
            return level == -1 or (isinstance(level, int) and level in self.rubric.levels)
        return True

    def action_move(self, delta: int) -> None:
        self.cursor = (self.cursor + delta) % len(self.rubric.dimension_names)

    def action_set_level(self, level: int) -> None:
        value = None if level == -1 else level
        if value is not None and value not in self.rubric.levels:
            return
        name = self.dimension
        if value is None:
            self.scores.pop(name, None)
        else:
            self.scores[name] = value
        self.refresh(layout=True)
        self.post_message(self.Changed(self, name, value))

    def on_click(self, event: object) -> None:
        y = getattr(event, "y", None)
        if isinstance(y, int) and 0 < y <= len(self.rubric.dimension_names):
            self.cursor = y - 1
