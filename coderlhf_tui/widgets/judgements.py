"""Every annotator's judgement of one task side by side: preference, scores, time, tags,
rationale, one column per annotator (and the adjudication, when there is one).

Attributes down: the lead screen hands it a ``TaskReview`` with ``show``; it never reads
the store. Cells where annotators differ are highlighted so the dispute is visible at a
glance.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from coderlhf_tui.domain import Annotation
from coderlhf_tui.quality.task_review import TaskReview
from coderlhf_tui.ranking import format_ranking
from coderlhf_tui.widgets.review_comments import comments_cell

DIFFERS = "bold yellow"


def _clock(seconds: float) -> str:
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}:{rest:02d}"


class JudgementsView(Static):
    """A table of the annotators' judgements of the task under review."""

    DEFAULT_CSS = """
    JudgementsView { height: auto; padding: 0 1; }
    """

    def show(self, review: TaskReview | None, dimensions: list[str]) -> None:
        """Render ``review`` (or a hint when nothing is selected)."""
        if review is None:
            self.update("Select a task to see its annotations.")
            return
        self.update(judgement_table(review, dimensions))


def judgement_table(review: TaskReview, dimensions: list[str]) -> Table:
    """The side-by-side table itself (a Rich renderable, also used in tests)."""
    people: list[Annotation] = review.annotations
    table = Table(expand=True, show_lines=False, pad_edge=False)
    table.add_column("", style="bold", no_wrap=True)
    for ann in people:
        table.add_column(ann.annotator, overflow="fold")
    adjudication = review.adjudicated
    if adjudication is not None:
        table.add_column(f"lead {adjudication.lead}", style="italic", overflow="fold")

    def row(label: str, cells: list[str], extra: str = "") -> None:
        differs = len(set(cells)) > 1
        rendered = [Text(c, style=DIFFERS if differs else "") for c in cells]
        if adjudication is not None:
            rendered.append(Text(extra))
        table.add_row(label, *rendered)

    row(
        "preference",
        [a.preference.value if a.preference else "-" for a in people],
        adjudication.preference.value if adjudication else "",
    )
    if any(a.ranking is not None for a in people):
        row(
            "ranking",
            [format_ranking(a.ranking) if a.ranking else "-" for a in people],
            format_ranking(adjudication.ranking) if adjudication and adjudication.ranking else "",
        )
    for dim in dimensions:
        row(
            dim,
            [
                f"{a.scores.get('a', {}).get(dim, '-')} / {a.scores.get('b', {}).get(dim, '-')}"
                for a in people
            ],
            (
                f"{adjudication.scores.get('a', {}).get(dim, '-')} / "
                f"{adjudication.scores.get('b', {}).get(dim, '-')}"
                if adjudication
                else ""
            ),
        )
    table.add_row(
        "time", *[_clock(a.time_spent_s) for a in people], *([""] if adjudication else [])
    )
    table.add_row(
        "shown",
        *["A left" if a.shown_order != "ba" else "B left" for a in people],
        *([""] if adjudication else []),
    )
    table.add_row(
        "tags", *[", ".join(a.tags) or "-" for a in people], *([""] if adjudication else [])
    )
    table.add_row(
        "rationale",
        *[Text(a.rationale or "-") for a in people],
        *([Text(adjudication.note)] if adjudication else []),
    )
    if any(a.comments for a in people):
        table.add_row(
            "comments",
            *[comments_cell(a, adjudication) for a in people],
            *([Text(f"{len(adjudication.dropped_comments)} dropped")] if adjudication else []),
        )
    return table
