"""The lead screen's dialogs: adjudicate a task, send an annotation back, draw a spot-check.

Each is a ``ModalScreen`` that returns its answer with ``dismiss`` (None when cancelled);
parsing and checking what the lead typed happens here, storing it in the lead screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select, SelectionList

from coderlhf_tui.domain import Preference, Scores

DIALOG_CSS = """
AdjudicateDialog, SendBackDialog, SpotCheckDialog { align: center middle; }
.lead-error { color: $error; height: auto; }
"""


def cancel_binding() -> list[Binding | tuple[str, str] | tuple[str, str, str]]:
    """Escape cancels every lead dialog."""
    return [Binding("escape", "cancel", "Cancel", id="lead.dialog.cancel")]


@dataclass(frozen=True, slots=True)
class Decision:
    """What the lead decided for a task."""

    preference: Preference
    scores: Scores
    note: str
    dropped_comments: tuple[str, ...] = ()
    """Ids of the annotators' line comments the lead drops (the rest are kept)."""


def parse_levels(text: str, dimensions: list[str], low: int, high: int) -> dict[str, int]:
    """'4 5 3 4 4' (one level per dimension, in rubric order) -> {dimension: level}."""
    parts = text.replace(",", " ").split()
    if len(parts) != len(dimensions):
        raise ValueError(f"expected {len(dimensions)} levels ({', '.join(dimensions)})")
    levels = {}
    for dim, part in zip(dimensions, parts, strict=True):
        if not part.isdigit() or not low <= int(part) <= high:
            raise ValueError(f"{dim}: {part!r} is not a level {low}..{high}")
        levels[dim] = int(part)
    return levels


class AdjudicateDialog(ModalScreen[Decision | None]):
    """Final preference, scores for A and B, and a note; prefilled with the median."""

    DEFAULT_CSS = DIALOG_CSS
    BINDINGS = cancel_binding()

    def __init__(
        self,
        task_id: str,
        dimensions: list[str],
        scale: tuple[int, int],
        preference: Preference | None,
        scores: Scores,
        comments: list[tuple[str, str, bool]] | None = None,
    ) -> None:
        super().__init__()
        self.task_id = task_id
        self.dimensions = dimensions
        self.scale = scale
        self.initial_preference = preference
        self.initial_scores = scores
        self.comments = comments or []
        """(label, comment id, kept) of every line comment: the lead keeps or drops each."""

    def _initial(self, key: str) -> str:
        levels = self.initial_scores.get(key, {})
        return " ".join(str(levels.get(d, "")) for d in self.dimensions).strip()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Adjudicate {self.task_id}", classes="dialog-title")
            yield Select(
                [(p.value, p) for p in Preference],
                value=self.initial_preference or Select.BLANK,
                prompt="final preference",
                id="adj-preference",
            )
            yield Label(f"scores A and B, one level per dimension: {' '.join(self.dimensions)}")
            yield Input(self._initial("a"), placeholder="A: e.g. 4 5 3 4 4", id="adj-a")
            yield Input(self._initial("b"), placeholder="B: e.g. 2 3 3 4 4", id="adj-b")
            yield Input(placeholder="note: why this is the answer", id="adj-note")
            if self.comments:
                yield Label("line comments (space: keep or drop; dropped ones leave the dataset)")
                yield SelectionList[str](*self.comments, id="adj-comments")
            yield Label("", id="adj-error", classes="lead-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", id="adj-save", variant="primary")
                yield Button("Cancel", id="adj-cancel")

    def decision(self) -> Decision:
        """The form's content as a Decision; ValueError naming the problem if incomplete."""
        preference = self.query_one("#adj-preference", Select).value
        if not isinstance(preference, Preference):
            raise ValueError("choose a final preference")
        low, high = self.scale
        scores: Scores = {}
        for key in ("a", "b"):
            text = self.query_one(f"#adj-{key}", Input).value
            if text.strip():
                scores[key] = parse_levels(text, self.dimensions, low, high)
        note = self.query_one("#adj-note", Input).value.strip()
        if not note:
            raise ValueError("write a note: the annotators will read it")
        dropped: tuple[str, ...] = ()
        if self.comments:
            kept = set(self.query_one("#adj-comments", SelectionList).selected)
            dropped = tuple(c for _, c, _ in self.comments if c not in kept)
        return Decision(preference, scores, note, dropped)

    @on(Button.Pressed, "#adj-save")
    @on(Input.Submitted, "#adj-note")
    def save(self) -> None:
        try:
            self.dismiss(self.decision())
        except ValueError as exc:
            self.query_one("#adj-error", Label).update(str(exc))

    @on(Button.Pressed, "#adj-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class SendBackDialog(ModalScreen[str | None]):
    """Choose whose annotation goes back for another look."""

    DEFAULT_CSS = DIALOG_CSS
    BINDINGS = cancel_binding()

    def __init__(self, task_id: str, annotators: list[str]) -> None:
        super().__init__()
        self.task_id = task_id
        self.annotators = annotators

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Send back an annotation of {self.task_id}", classes="dialog-title")
            yield OptionList(*self.annotators, id="send-back-who")
            yield Label("enter sends back · escape cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.annotators[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)


class SpotCheckDialog(ModalScreen[tuple[int, int] | None]):
    """Sample size and seed of a spot-check."""

    DEFAULT_CSS = DIALOG_CSS
    BINDINGS = cancel_binding()

    def __init__(self, size: int = 20, seed: int = 0) -> None:
        super().__init__()
        self.sample_size = size
        self.seed = seed

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(
                "Spot-check: a sample stratified by language and annotator", classes="dialog-title"
            )
            yield Input(
                str(self.sample_size), placeholder="sample size", id="spot-size", type="integer"
            )
            yield Input(str(self.seed), placeholder="seed", id="spot-seed", type="integer")
            yield Label("", id="spot-error", classes="lead-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Draw", id="spot-draw", variant="primary")
                yield Button("Cancel", id="spot-cancel")

    @on(Button.Pressed, "#spot-draw")
    @on(Input.Submitted)
    def draw(self) -> None:
        size = self.query_one("#spot-size", Input).value.strip()
        seed = self.query_one("#spot-seed", Input).value.strip()
        if not size.isdigit() or int(size) < 1 or not seed.lstrip("-").isdigit():
            self.query_one("#spot-error", Label).update(
                "size: a whole number >= 1; seed: a whole number"
            )
            return
        self.dismiss((int(size), int(seed)))

    @on(Button.Pressed, "#spot-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
