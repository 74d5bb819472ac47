"""The side-by-side diff: every line of both files appears once, in order, rightly paired."""

from __future__ import annotations

import time

from coderlhf_tui.workbench.diffing import DiffRow, RowKind, changed_spans, diff_stats, side_by_side
from tests.app.tasks import big_pair


def _sides(rows: list[DiffRow]) -> tuple[list[int], list[int]]:
    return [r.left for r in rows if r.left is not None], [
        r.right for r in rows if r.right is not None
    ]


def test_every_line_once_in_order() -> None:
    task = big_pair()
    left, right = (r.code.split("\n") for r in task.responses)
    rows = side_by_side(left, right)
    got_left, got_right = _sides(rows)
    assert got_left == list(range(len(left)))
    assert got_right == list(range(len(right)))
    for row in rows:
        if row.kind is RowKind.EQUAL:
            assert left[row.left] == right[row.right]  # type: ignore[index]
        if row.kind is RowKind.CHANGE:
            assert left[row.left] != right[row.right]  # type: ignore[index]
    stats = diff_stats(rows)
    assert stats.changed > 0 and stats.inserted > 0 and stats.deleted > 0


def test_similar_lines_pair_up_in_a_replaced_block() -> None:
    left = ["def f(x):", '    """Doc."""', "    y = x + 1", "    return y"]
    right = ["def f(x, z):", "    y = x + z", "    return y"]
    rows = side_by_side(left, right)
    pairs = [(r.kind, r.left, r.right) for r in rows]
    assert (RowKind.CHANGE, 0, 0) in pairs
    assert (RowKind.DELETE, 1, None) in pairs
    assert (RowKind.CHANGE, 2, 1) in pairs
    assert (RowKind.EQUAL, 3, 2) in pairs


def test_identical_and_empty_files() -> None:
    assert all(r.kind is RowKind.EQUAL for r in side_by_side(["a", "b"], ["a", "b"]))
    assert [r.kind for r in side_by_side([], ["x"])] == [RowKind.INSERT]
    assert [r.kind for r in side_by_side(["x"], [])] == [RowKind.DELETE]


def test_changed_spans_mark_only_the_difference() -> None:
    old, new = changed_spans("total += value * 3", "total += item * 3")
    assert old and new
    assert all(9 <= a < b <= 14 for a, b in old)  # only inside "value"
    assert all(9 <= a < b <= 13 for a, b in new)  # only inside "item"
    assert changed_spans("same", "same") == ((), ())


def _code_like(prefix: str, count: int) -> list[str]:
    """Lines as code has them: braces, blanks and returns repeat; the rest differs per side."""
    shapes = ["    }}", "", "    {p}_{i} = {i}", "    return x", "if ({p}{i}) {{"]
    return [shapes[i % 5].format(p=prefix, i=i) for i in range(count)]


def test_two_files_that_differ_everywhere_diff_in_near_linear_time() -> None:
    # difflib alone took 28 s on this pair (no junk heuristic below 4,000 lines): quadratic
    # in the repeated lines; a budget of 2 s leaves a hundredfold margin for a loaded machine
    for left, right in [
        (_code_like("l", 2000), _code_like("r", 2000)),
        ([f"line {i % 150}" for i in range(2000)], [f"line {i % 149}" for i in range(2000)]),
    ]:
        started = time.process_time()
        rows = side_by_side(left, right)
        assert time.process_time() - started < 2.0
        got_left, got_right = _sides(rows)
        assert got_left == list(range(2000)) and got_right == list(range(2000))
        for row in rows:
            if row.kind is RowKind.EQUAL:
                assert left[row.left] == right[row.right]  # type: ignore[index]
