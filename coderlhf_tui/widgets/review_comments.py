"""Line comments as a lead sees them: a cell per annotator, and the keep/drop choices.

The lead screen shows every annotator's comments beside their scores (one compact
line per comment, the ones an adjudication dropped struck through), and its
adjudication dialog lists them all to keep or drop. Both read the ``TaskReview`` the
screen hands down; nothing here reads the store.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from rich.text import Text

from coderlhf_tui.domain import Adjudication, Annotation, LineComment


def comment_label(comment: LineComment) -> str:
    """``A 3-5 correctness_bug HIGH: text`` (the task's A/B: leads see the real names)."""
    lines = (
        f"{comment.start_line}"
        if comment.start_line == comment.end_line
        else f"{comment.start_line}-{comment.end_line}"
    )
    verdict = f" [{comment.verdict.value} {comment.rule_id}]" if comment.verdict else ""
    text = comment.text.strip().splitlines()[0] if comment.text.strip() else ""
    head = f"{comment.response.upper()} {lines} {comment.category} {comment.severity.value}"
    return f"{head}{verdict}" + (f": {text}" if text else "")


def comments_cell(annotation: Annotation, adjudication: Adjudication | None) -> Text:
    """One annotator's comments, one a line; dropped ones struck through."""
    if not annotation.comments:
        return Text("-")
    dropped = set(adjudication.dropped_comments) if adjudication else set()
    cell = Text()
    for index, comment in enumerate(annotation.comments):
        if index:
            cell.append("\n")
        cell.append(comment_label(comment), "strike dim" if comment.id in dropped else "")
    return cell


def comment_choices(
    annotations: Sequence[Annotation], dropped: Collection[str] = ()
) -> list[tuple[str, str, bool]]:
    """(label, comment id, kept) for every comment of the task, annotator by annotator."""
    return [
        (f"{a.annotator}: {comment_label(c)}", c.id, c.id not in dropped)
        for a in annotations
        for c in a.comments
    ]
