"""A whole-file, side-by-side diff: aligned rows plus the changed characters within lines.

The diff view shows all of A against all of B (not hunks), so it needs one row per
visual line with an index into each side (or None where a side has no line). Character
spans are computed per row on demand, because the view only ever renders the rows on
screen and a 2,000-line pair must open in well under 150 ms.

The line alignment must stay near-linear whatever the files hold. ``difflib`` alone is
not: on two 2,000-line files that share only their braces and blank lines (no junk
heuristic below 4,000 lines) it took 28 s. Small inputs still go to ``difflib``, whose
bounded cost there buys its familiar result; larger ones are first cut at the lines that
occur exactly once on each side and in the same order (the anchors of a patience diff,
found with a longest increasing subsequence), and only the pieces between anchors that are
small again go to ``difflib``. A large piece without anchors is a replaced block. Pairing
similar lines inside replaced blocks has a budget of line comparisons for the whole diff.
"""

from __future__ import annotations

import difflib
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

Span = tuple[int, int]
"""A half-open character range [start, end) within one line."""


class RowKind(StrEnum):
    """How a row's two sides relate."""

    EQUAL = "equal"
    INSERT = "insert"  # only the right side has a line
    DELETE = "delete"  # only the left side has a line
    CHANGE = "change"  # both sides have a line, and they differ


@dataclass(frozen=True, slots=True)
class DiffRow:
    """One visual row: 0-based line indexes into each side (None = blank filler)."""

    kind: RowKind
    left: int | None
    right: int | None


@dataclass(frozen=True, slots=True)
class DiffStats:
    """Counts for a one-line summary of the diff."""

    equal: int
    inserted: int
    deleted: int
    changed: int


Opcode = tuple[str, int, int, int, int]
"""(tag, i1, i2, j1, j2) as ``difflib.SequenceMatcher.get_opcodes`` gives them."""

DIFFLIB_LIMIT = 40_000
"""Inputs (or pieces between anchors) of at most this many line pairs go to ``difflib``."""

MAX_DEPTH = 24
"""Deeper than this, a piece without a result is taken as one replaced block."""

ALIGN_LIMIT = 2500
"""Replaced blocks up to this many line pairs are aligned by similarity, larger ones in order."""

ALIGN_BUDGET = 20_000
"""Line comparisons allowed for similarity pairing across one whole diff."""

SIMILAR = 0.5
"""Two lines at least this similar are shown as one changed row."""


def side_by_side(left: Sequence[str], right: Sequence[str]) -> list[DiffRow]:
    """Align two files line by line; replaced blocks pair similar lines up in order."""
    rows: list[DiffRow] = []
    budget = [ALIGN_BUDGET]
    for tag, i1, i2, j1, j2 in line_opcodes(left, right):
        if tag == "equal":
            rows.extend(
                DiffRow(RowKind.EQUAL, i, j)
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            )
        elif tag == "delete":
            rows.extend(DiffRow(RowKind.DELETE, i, None) for i in range(i1, i2))
        elif tag == "insert":
            rows.extend(DiffRow(RowKind.INSERT, None, j) for j in range(j1, j2))
        else:
            rows.extend(_replace_block(left, right, i1, i2, j1, j2, budget))
    return rows


def line_opcodes(left: Sequence[str], right: Sequence[str]) -> list[Opcode]:
    """Opcodes turning ``left`` into ``right``, merged so equal runs are one opcode."""
    merged: list[Opcode] = []
    for tag, i1, i2, j1, j2 in _opcodes(left, right, 0, len(left), 0, len(right), 0):
        if i1 == i2 and j1 == j2:
            continue
        if merged and merged[-1][0] == tag == "equal":
            merged[-1] = ("equal", merged[-1][1], i2, merged[-1][3], j2)
        elif merged and tag != "equal" and merged[-1][0] != "equal":
            _, pi1, _, pj1, _ = merged[-1]
            merged[-1] = (_change_tag(pi1, i2, pj1, j2), pi1, i2, pj1, j2)
        else:
            merged.append((tag, i1, i2, j1, j2))
    return merged


def _change_tag(i1: int, i2: int, j1: int, j2: int) -> str:
    if i1 == i2:
        return "insert"
    return "delete" if j1 == j2 else "replace"


def _opcodes(
    left: Sequence[str], right: Sequence[str], i1: int, i2: int, j1: int, j2: int, depth: int
) -> Iterator[Opcode]:
    if (i2 - i1) * (j2 - j1) <= DIFFLIB_LIMIT:
        matcher = difflib.SequenceMatcher(None, left[i1:i2], right[j1:j2], autojunk=False)
        for tag, a1, a2, b1, b2 in matcher.get_opcodes():
            yield (tag, i1 + a1, i1 + a2, j1 + b1, j1 + b2)
        return
    while i1 < i2 and j1 < j2 and left[i1] == right[j1]:  # common head
        yield ("equal", i1, i1 + 1, j1, j1 + 1)
        i1, j1 = i1 + 1, j1 + 1
    tail: list[Opcode] = []
    while i1 < i2 and j1 < j2 and left[i2 - 1] == right[j2 - 1]:  # common tail
        tail.append(("equal", i2 - 1, i2, j2 - 1, j2))
        i2, j2 = i2 - 1, j2 - 1
    if i1 == i2 or j1 == j2:
        yield (_change_tag(i1, i2, j1, j2), i1, i2, j1, j2)
    elif (i2 - i1) * (j2 - j1) <= DIFFLIB_LIMIT:
        matcher = difflib.SequenceMatcher(None, left[i1:i2], right[j1:j2], autojunk=False)
        for tag, a1, a2, b1, b2 in matcher.get_opcodes():
            yield (tag, i1 + a1, i1 + a2, j1 + b1, j1 + b2)
    else:
        anchors = _unique_anchors(left, right, i1, i2, j1, j2) if depth < MAX_DEPTH else []
        if not anchors:
            yield ("replace", i1, i2, j1, j2)
        else:
            for ai, aj in anchors:
                yield from _opcodes(left, right, i1, ai, j1, aj, depth + 1)
                yield ("equal", ai, ai + 1, aj, aj + 1)
                i1, j1 = ai + 1, aj + 1
            yield from _opcodes(left, right, i1, i2, j1, j2, depth + 1)
    yield from reversed(tail)


def _unique_anchors(
    left: Sequence[str], right: Sequence[str], i1: int, i2: int, j1: int, j2: int
) -> list[tuple[int, int]]:
    """Lines occurring once on each side of the piece, the longest run of them that keeps
    the same order on both sides (patience sorting: O(k log k) for k such lines)."""
    left_counts = Counter(left[i1:i2])
    right_counts = Counter(right[j1:j2])
    where_right = {right[j]: j for j in range(j1, j2) if right_counts[right[j]] == 1}
    candidates = [
        (i, where_right[left[i]])
        for i in range(i1, i2)
        if left_counts[left[i]] == 1 and left[i] in where_right
    ]
    tops: list[int] = []  # smallest right index ending an increasing run of each length
    top_at: list[int] = []  # the candidate holding it
    previous: list[int] = []
    for index, (_, j) in enumerate(candidates):
        length = bisect_left(tops, j)
        if length == len(tops):
            tops.append(j)
            top_at.append(index)
        else:
            tops[length] = j
            top_at[length] = index
        previous.append(top_at[length - 1] if length else -1)
    chain: list[tuple[int, int]] = []
    index = top_at[-1] if top_at else -1
    while index >= 0:
        chain.append(candidates[index])
        index = previous[index]
    return chain[::-1]


def _replace_block(
    left: Sequence[str],
    right: Sequence[str],
    i1: int,
    i2: int,
    j1: int,
    j2: int,
    budget: list[int],
) -> list[DiffRow]:
    """Rows for a replaced block: similar lines side by side, the rest on their own (while
    ``budget[0]`` comparisons last; then in order). Identical lines paired up are equal."""
    pairs: list[tuple[int, int]] = []
    size = (i2 - i1) * (j2 - j1)
    if size <= ALIGN_LIMIT and size <= budget[0]:
        budget[0] -= size
        start = j1
        for i in range(i1, i2):
            best, best_j = SIMILAR, -1
            for j in range(start, j2):
                a, b = left[i], right[j]
                if 2 * min(len(a), len(b)) <= best * (len(a) + len(b)):
                    continue  # even all of the shorter line in common would not be enough
                matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
                if matcher.quick_ratio() > best and (ratio := matcher.ratio()) > best:
                    best, best_j = ratio, j
            if best_j >= 0:
                pairs.append((i, best_j))
                start = best_j + 1
    else:
        pairs = [(i1 + k, j1 + k) for k in range(min(i2 - i1, j2 - j1))]
    rows: list[DiffRow] = []
    i, j = i1, j1
    for pi, pj in [*pairs, (i2, j2)]:
        rows.extend(DiffRow(RowKind.DELETE, k, None) for k in range(i, pi))
        rows.extend(DiffRow(RowKind.INSERT, None, k) for k in range(j, pj))
        if pi < i2:
            kind = RowKind.EQUAL if left[pi] == right[pj] else RowKind.CHANGE
            rows.append(DiffRow(kind, pi, pj))
        i, j = pi + 1, pj + 1
    return rows


def diff_stats(rows: Sequence[DiffRow]) -> DiffStats:
    """How many rows of each kind."""
    counts = dict.fromkeys(RowKind, 0)
    for row in rows:
        counts[row.kind] += 1
    return DiffStats(
        counts[RowKind.EQUAL],
        counts[RowKind.INSERT],
        counts[RowKind.DELETE],
        counts[RowKind.CHANGE],
    )


@lru_cache(maxsize=4096)
def changed_spans(old: str, new: str) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
    """The character ranges of ``old`` and of ``new`` that differ (for intra-line marks)."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    old_spans: list[Span] = []
    new_spans: list[Span] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if i2 > i1:
            old_spans.append((i1, i2))
        if j2 > j1:
            new_spans.append((j1, j2))
    return tuple(old_spans), tuple(new_spans)
