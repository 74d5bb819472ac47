"""The lead's final ranking of a ranked task: the annotators' rankings, then one line to edit.

The lead is not blind, so the ranking is written in task keys (``c>a=d>b``, ties with
``=``), prefilled with the annotators' consensus (mean mid-rank, ``ranking.py``) or the
adjudication in force. Enter saves (``quality.review.adjudicate`` with the ranking and the
A/B preference it implies); a ranking that leaves out a response or names one twice is
refused with the reason under the field.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from coderlhf_tui.domain import Ranking
from coderlhf_tui.quality.task_review import TaskReview
from coderlhf_tui.ranking import consensus_ranking, format_ranking, parse_ranking, ranking_problems
from coderlhf_tui.widgets.bindings import bindings_for


def proposed_ranking(review: TaskReview) -> Ranking:
    """The adjudication in force, else the annotators' consensus, else the task order."""
    keys = review.task.keys
    adjudicated = review.adjudicated
    if adjudicated is not None and adjudicated.ranking:
        return adjudicated.ranking
    rankings = [a.ranking for a in review.annotations if a.ranking]
    return consensus_ranking(rankings, keys) if rankings else [list(keys)]


class RankingAdjudicateDialog(ModalScreen[tuple[Ranking, str] | None]):
    """Dismisses with (final ranking, note), or None when cancelled."""

    BINDINGS = bindings_for("dialog", only={"dialog.cancel"})

    def __init__(self, review: TaskReview) -> None:
        super().__init__()
        self.review = review
        self.keys = review.task.keys

    def compose(self) -> ComposeResult:
        task = self.review.task
        with Vertical(classes="dialog"):
            yield Label(f"Final ranking · {task.id}", classes="dialog-title")
            for response, key in zip(task.responses, self.keys, strict=True):
                model = f" ({response.model})" if response.model else ""
                yield Static(f"{key}: response {response.id}{model}", markup=False)
            for annotation in self.review.annotations:
                ranked = format_ranking(annotation.ranking) if annotation.ranking else "-"
                yield Static(f"{annotation.annotator}: {ranked}", markup=False)
            yield Input(format_ranking(proposed_ranking(self.review)), id="adj-ranking")
            yield Static("best first; > separates places, = ties", classes="dialog-hint")
            yield Input(placeholder="note (why)", id="adj-note")
            yield Static("", id="adj-error", classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Adjudicate (enter)", id="confirm", variant="warning")
                yield Button("Cancel (escape)", id="cancel", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#adj-ranking", Input).focus()

    def decision(self) -> tuple[Ranking, str]:
        """The ranking and note entered; ValueError says what is wrong."""
        text = self.query_one("#adj-ranking", Input).value
        ranking = parse_ranking(text)
        problems = ranking_problems(ranking, self.keys)
        if problems:
            where, message = problems[0]
            raise ValueError(f"{where} {message}".strip())
        return ranking, self.query_one("#adj-note", Input).value.strip()

    def _try_dismiss(self) -> None:
        try:
            self.dismiss(self.decision())
        except ValueError as exc:
            self.query_one("#adj-error", Static).update(str(exc))

    def on_input_submitted(self) -> None:
        self._try_dismiss()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "confirm":
            self._try_dismiss()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
