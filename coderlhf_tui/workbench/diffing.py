"""A whole-file, side-by-side diff: aligned rows plus the changed characters within lines.

The diff view shows all of A against all of B (not hunks), so it needs one row per
visual line with an index into each side (or None where a side has no line). Character
spans are computed per row on demand, because the view only ever renders the rows on
screen and a 2,000-line pair must open in well under 150 ms.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
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


def side_by_side(left: Sequence[str], right: Sequence[str]) -> list[DiffRow]:
    """Align two files line by line; replaced blocks pair lines up in order."""
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(None, left, right, autojunk=len(left) + len(right) > 4000)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
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
            rows.extend(_replace_block(left, right, i1, i2, j1, j2))
    return rows


ALIGN_LIMIT = 2500
"""Replaced blocks up to this many line pairs are aligned by similarity, larger ones in order."""

SIMILAR = 0.5
"""Two lines at least this similar are shown as one changed row."""


def _replace_block(
    left: Sequence[str], right: Sequence[str], i1: int, i2: int, j1: int, j2: int
) -> list[DiffRow]:
    """Rows for a replaced block: similar lines side by side, the rest on their own."""
    pairs: list[tuple[int, int]] = []
    if (i2 - i1) * (j2 - j1) <= ALIGN_LIMIT:
        start = j1
        for i in range(i1, i2):
            best, best_j = SIMILAR, -1
            for j in range(start, j2):
                matcher = difflib.SequenceMatcher(None, left[i], right[j], autojunk=False)
                if matcher.real_quick_ratio() > best and matcher.ratio() > best:
                    best, best_j = matcher.ratio(), j
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
            rows.append(DiffRow(RowKind.CHANGE, pi, pj))
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
