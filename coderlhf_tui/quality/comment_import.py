"""Validating the line comments of an imported annotation, field by field and against the code.

An annotation file made elsewhere may carry ``comments`` (docs/formats.md). Each is
checked like every other field (``file:line: comments[2].severity: ...``); then, once
the task is known, against the response's code: a range past the end, or a quote that
is not the text of its lines, is an error rather than a comment silently pointing at
the wrong lines. A comment without a quote gets one from the code.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from coderlhf_tui.critiques import COMMENT_FIELDS, anchor_problem, quote_of
from coderlhf_tui.domain import FindingVerdict, LineComment, Severity, Task
from coderlhf_tui.record_files import FieldError, Fields

COMMENT_KEYS = set(COMMENT_FIELDS)
REQUIRED_COMMENT_KEYS = {"id", "response", "start_line", "category", "severity"}
MAX_COMMENTS = 1000
MAX_LINE = 1_000_000


def comments_from_record(record: Fields) -> list[LineComment]:
    """The ``comments`` array of an annotation record, each checked field by field."""
    raw = record.array("comments")
    if len(raw) > MAX_COMMENTS:
        raise FieldError("comments", f"at most {MAX_COMMENTS} comments per annotation")
    return [_comment(value, f"comments[{index}]") for index, value in enumerate(raw)]


def _comment(value: Any, path: str) -> LineComment:
    fields = Fields(value, path, COMMENT_KEYS, REQUIRED_COMMENT_KEYS)
    start = fields.integer("start_line", minimum=1, maximum=MAX_LINE)
    end = (
        fields.integer("end_line", minimum=start, maximum=MAX_LINE)
        if fields.has("end_line")
        else start
    )
    verdict = (
        FindingVerdict(fields.choice("verdict", [v.value for v in FindingVerdict]))
        if fields.has("verdict")
        else None
    )
    return LineComment(
        id=fields.string("id", non_empty=True),
        response="a" if fields.choice("response", ["a", "b"]) == "a" else "b",
        start_line=start,
        end_line=end,
        category=fields.string("category", non_empty=True),
        severity=Severity(fields.choice("severity", [s.value for s in Severity])),
        text=fields.string("text") if fields.has("text") else "",
        quote=fields.string("quote") if fields.has("quote") else "",
        rule_id=fields.optional_string("rule_id"),
        verdict=verdict,
    )


def anchored(comments: list[LineComment], task: Task) -> tuple[list[LineComment], str | None]:
    """The comments with quotes filled in from the task's code, or the first misfit.

    The problem comes back as ``"comments[i].field: message"`` for the caller's error.
    """
    out = []
    for index, comment in enumerate(comments):
        code = task.response(comment.response).code
        problem = anchor_problem(comment, code)
        if problem is not None:
            field = "quote" if problem.startswith("quote") else "end_line"
            return [], f"comments[{index}].{field}: {problem}"
        if not comment.quote:
            comment = replace(comment, quote=quote_of(code, comment.start_line, comment.end_line))
        out.append(comment)
    return out, None
