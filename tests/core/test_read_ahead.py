"""read_ahead: chunks in order from another thread, errors where they happened, and a
caller that stops early stops the thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from coderlhf_tui.read_ahead import read_ahead


def test_chunks_keep_order_and_are_made_by_another_thread() -> None:
    makers: set[str] = set()

    def items() -> Iterator[int]:
        for number in range(10):
            makers.add(threading.current_thread().name)
            yield number

    assert list(read_ahead(items(), 4)) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert makers == {"read-ahead"}
    assert list(read_ahead(iter([]), 4)) == []


def test_an_error_comes_after_the_chunks_made_before_it() -> None:
    def items() -> Iterator[int]:
        yield from range(5)
        raise ValueError("line 6: bad")

    got: list[list[int]] = []
    with pytest.raises(ValueError, match="line 6"):
        for chunk in read_ahead(items(), 2):
            got.append(chunk)
    assert got == [[0, 1], [2, 3]]


def test_stopping_early_stops_the_thread() -> None:
    made: list[int] = []

    def endless() -> Iterator[int]:
        number = 0
        while True:
            made.append(number)
            yield number
            number += 1

    chunks = read_ahead(endless(), 3, depth=1)
    assert next(chunks) == [0, 1, 2]
    chunks.close()
    assert not any(t.name == "read-ahead" for t in threading.enumerate())
    assert len(made) <= 3 * 3  # the chunk handed over, one queued, one being made
