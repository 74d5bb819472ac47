"""Editing a draft's line comments from the screen: add, edit, delete, judge a finding.

The screen speaks of sides (left/right) and of the lines it shows; the draft stores
comments in the task's A/B terms with a quote of the lines (``coderlhf_tui/critiques.py``).
This module is the translation, with no Textual in it, so the pair view and the
ranking view edit comments the same way and tests can drive it without a terminal.
Every change goes through ``Draft.set_comments``: it marks the draft dirty, and the
screen's autosave writes it as a store revision like any score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from coderlhf_tui.critiques import (
    CommentFields,
    from_finding,
    new_comment,
    replace_comment,
    without_comment,
)
from coderlhf_tui.domain import Finding, FindingVerdict, LineComment, ResponseKey, Task
from coderlhf_tui.workbench.blind import Side
from coderlhf_tui.workbench.draft import Draft


def comments_on(draft: Draft, side: Side) -> list[LineComment]:
    """The comments on the response shown on ``side``, in line order."""
    return comments_of(draft, draft.sides.key(side))


def comments_of(draft: Draft, key: ResponseKey) -> list[LineComment]:
    """The comments on response ``key`` (the ranking view speaks in keys, not sides)."""
    return [c for c in draft.annotation.comments if c.response == key]


def find(draft: Draft, comment_id: str) -> LineComment | None:
    """The draft's comment with this id."""
    return next((c for c in draft.annotation.comments if c.id == comment_id), None)


def add(
    draft: Draft, task: Task, side: Side, start_line: int, end_line: int, fields: CommentFields
) -> LineComment:
    """A new comment on lines of the response shown on ``side``."""
    return add_to(draft, task, draft.sides.key(side), start_line, end_line, fields)


def add_to(
    draft: Draft,
    task: Task,
    key: ResponseKey,
    start_line: int,
    end_line: int,
    fields: CommentFields,
) -> LineComment:
    """A new comment on lines of response ``key``."""
    made = new_comment(
        task.response(key).code,
        key,
        start_line,
        end_line,
        fields.category,
        fields.severity,
        fields.text,
    )
    draft.set_comments(replace_comment(draft.annotation.comments, made))
    return made


def edit(draft: Draft, comment_id: str, fields: CommentFields) -> LineComment | None:
    """Change a comment's category, severity and text (its lines stay)."""
    found = find(draft, comment_id)
    if found is None:
        return None
    changed = replace(found, category=fields.category, severity=fields.severity, text=fields.text)
    draft.set_comments(replace_comment(draft.annotation.comments, changed))
    return changed


def delete(draft: Draft, comment_id: str) -> bool:
    """Remove a comment; False when there was none with this id."""
    if find(draft, comment_id) is None:
        return False
    draft.set_comments(without_comment(draft.annotation.comments, comment_id))
    return True


def judge(
    draft: Draft,
    task: Task,
    side: Side,
    findings: Sequence[Finding],
    verdict: FindingVerdict,
    category: str,
) -> list[LineComment]:
    """Record ``verdict`` on each finding (judging one again replaces the earlier verdict)."""
    return judge_on(draft, task, draft.sides.key(side), findings, verdict, category)


def judge_on(
    draft: Draft,
    task: Task,
    key: ResponseKey,
    findings: Sequence[Finding],
    verdict: FindingVerdict,
    category: str,
) -> list[LineComment]:
    """``judge`` for response ``key``."""
    code = task.response(key).code
    comments = list(draft.annotation.comments)
    made = []
    for finding in findings:
        comment = from_finding(code, key, finding, verdict, category)
        comments = replace_comment(comments, comment)
        made.append(comment)
    draft.set_comments(comments)
    return made


def marked_lines(comments: Sequence[LineComment]) -> dict[int, LineComment]:
    """1-based line -> the most severe comment covering it (for gutter markers)."""
    out: dict[int, LineComment] = {}
    for comment in comments:
        for line in range(comment.start_line, comment.end_line + 1):
            held = out.get(line)
            if held is None or _weight(comment) > _weight(held):
                out[line] = comment
    return out


def _weight(comment: LineComment) -> int:
    return -1 if comment.is_dispute else comment.severity.rank
