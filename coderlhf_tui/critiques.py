"""Line-level critiques: anchoring comments to lines, and which comments count.

A comment (``domain.LineComment``) names a line range of one response. The response's
code is fixed once imported, so line numbers are a stable anchor inside the workspace;
outside it (a dataset consumer who reformatted the code, an importer whose copy
differs) they are not, so every comment also quotes the text of its lines and
``reanchor`` finds that text again. This module is pure (no store, no Textual): the
app, the importer, the exports and the QA report all ask it the same questions, so a
range means the same lines everywhere.

What counts: a comment is *kept* unless a lead's adjudication dropped it; a disputed
scanner finding is kept as a verdict but is not a critique (it says the lines are
fine), so ``critiques`` leaves it out of what exports and agreement measure.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from coderlhf_tui.domain import (
    Adjudication,
    Finding,
    FindingVerdict,
    LineComment,
    ResponseKey,
    Severity,
)

COMMENT_FIELDS = (
    "id",
    "response",
    "start_line",
    "end_line",
    "category",
    "severity",
    "text",
    "quote",
    "rule_id",
    "verdict",
)
"""A stored comment's keys, in order (``serialize.line_comment_to_dict``)."""

SOLUTION_PATHS: dict[str, str] = {
    "python": "solution.py",
    "javascript": "solution.js",
    "typescript": "solution.ts",
    "java": "Solution.java",
    "go": "solution.go",
    "rust": "solution.rs",
    "c": "solution.c",
    "cpp": "solution.cpp",
    "sql": "solution.sql",
    "php": "solution.php",
}
"""The file a response is written to when its tests run (docs/languages.md): the
``path`` of a GitHub-style review comment on it."""


@dataclass(frozen=True, slots=True)
class CommentFields:
    """What an annotator writes about a range: category, severity and text."""

    category: str
    severity: Severity
    text: str


def code_lines(code: str) -> list[str]:
    """The response's lines as the code views number them (1-based, no line ends)."""
    return code.splitlines() or [""]


def quote_of(code: str | Sequence[str], start_line: int, end_line: int) -> str:
    """The text of lines ``start_line..end_line`` (1-based, inclusive), joined by newlines."""
    lines = code_lines(code) if isinstance(code, str) else code
    return "\n".join(lines[max(0, start_line - 1) : max(0, end_line)])


def new_comment(
    code: str,
    response: ResponseKey,
    start_line: int,
    end_line: int,
    category: str,
    severity: Severity,
    text: str = "",
    *,
    rule_id: str | None = None,
    verdict: FindingVerdict | None = None,
    comment_id: str | None = None,
) -> LineComment:
    """A comment on ``code``'s lines, its range put in order and its quote taken."""
    lines = code_lines(code)
    low, high = sorted((start_line, end_line))
    low = max(1, min(low, len(lines)))
    high = max(low, min(high, len(lines)))
    return LineComment(
        id=comment_id or str(uuid.uuid4()),
        response=response,
        start_line=low,
        end_line=high,
        category=category,
        severity=severity,
        text=text,
        quote=quote_of(lines, low, high),
        rule_id=rule_id,
        verdict=verdict,
    )


def from_finding(
    code: str,
    response: ResponseKey,
    finding: Finding,
    verdict: FindingVerdict,
    category: str,
) -> LineComment:
    """The comment recording an annotator's verdict on a scanner finding.

    Its id is derived from the finding (response, rule, lines), so judging the same
    finding again replaces the earlier verdict instead of adding a second one.
    """
    return new_comment(
        code,
        response,
        finding.start_line,
        finding.end_line,
        category,
        finding.severity,
        finding.message if verdict is FindingVerdict.AGREE else "false positive",
        rule_id=finding.rule_id,
        verdict=verdict,
        comment_id=finding_comment_id(response, finding),
    )


def finding_comment_id(response: ResponseKey, finding: Finding) -> str:
    """The stable id of the verdict comment on one finding."""
    key = f"{response}:{finding.rule_id}:{finding.start_line}:{finding.end_line}"
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "coderlhf-finding:" + key))


def anchor_problem(comment: LineComment, code: str) -> str | None:
    """Why ``comment`` does not fit ``code`` (lines past the end, a quote that differs)."""
    lines = code_lines(code)
    if comment.end_line > len(lines):
        return (
            f"lines {comment.start_line}..{comment.end_line} run past the end of response"
            f" {comment.response} ({len(lines)} lines)"
        )
    if comment.quote and comment.quote != quote_of(lines, comment.start_line, comment.end_line):
        return (
            f"quote does not match lines {comment.start_line}..{comment.end_line} of response"
            f" {comment.response}"
        )
    return None


def reanchor(comment: LineComment, code: str) -> LineComment | None:
    """The comment moved to where its quoted text is in ``code`` (None when it is gone).

    The quote's own position is preferred; otherwise the occurrence nearest the old
    line numbers wins, so a comment on one of several identical lines stays on the
    one it was made on when only lines above it were added or removed.
    """
    lines = code_lines(code)
    if not comment.quote:
        return comment if comment.end_line <= len(lines) else None
    wanted = comment.quote.split("\n")
    span = len(wanted)
    starts = [i + 1 for i in range(len(lines) - span + 1) if lines[i : i + span] == wanted]
    if not starts:
        return None
    start = min(starts, key=lambda s: (abs(s - comment.start_line), s))
    if start == comment.start_line and span == comment.end_line - start + 1:
        return comment
    return new_comment(
        code,
        comment.response,
        start,
        start + span - 1,
        comment.category,
        comment.severity,
        comment.text,
        rule_id=comment.rule_id,
        verdict=comment.verdict,
        comment_id=comment.id,
    )


def is_critique(comment: LineComment) -> bool:
    """A comment that says the lines have a problem (everything but a disputed finding)."""
    return not comment.is_dispute


def kept(comments: Iterable[LineComment], adjudication: Adjudication | None) -> list[LineComment]:
    """The comments an adjudication keeps (all, without one)."""
    dropped = set(adjudication.dropped_comments) if adjudication is not None else set()
    return [comment for comment in comments if comment.id not in dropped]


def marked_lines(
    comments: Iterable[LineComment], response: ResponseKey, category: str | None = None
) -> set[int]:
    """Lines of one response covered by critiques (of one category, when given)."""
    out: set[int] = set()
    for comment in comments:
        if comment.response != response or not is_critique(comment):
            continue
        if category is not None and comment.category != category:
            continue
        out.update(range(comment.start_line, comment.end_line + 1))
    return out


def review_fields(comment: LineComment, language: str) -> dict[str, object]:
    """GitHub's review-comment anchor for the comment.

    The response is the new version of its file, so ``side`` is RIGHT; ``start_line``
    (and ``start_side``) are present only for a multi-line range, as GitHub sends them.
    """
    multi = comment.end_line > comment.start_line
    return {
        "path": SOLUTION_PATHS.get(language, "solution.txt"),
        "line": comment.end_line,
        "side": "RIGHT",
        "start_line": comment.start_line if multi else None,
        "start_side": "RIGHT" if multi else None,
    }


def replace_comment(comments: Sequence[LineComment], comment: LineComment) -> list[LineComment]:
    """``comments`` with ``comment`` in place of the one with its id, or appended."""
    out = [comment if c.id == comment.id else c for c in comments]
    if not any(c.id == comment.id for c in comments):
        out.append(comment)
    return sorted(out, key=sort_key)


def without_comment(comments: Sequence[LineComment], comment_id: str) -> list[LineComment]:
    """``comments`` without the one whose id is ``comment_id``."""
    return [c for c in comments if c.id != comment_id]


def sort_key(comment: LineComment) -> tuple[str, int, int, str]:
    """Reading order: response, then lines, then id (stable for equal ranges)."""
    return (comment.response, comment.start_line, comment.end_line, comment.id)
