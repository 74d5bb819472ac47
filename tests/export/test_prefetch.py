"""Reading pages ahead keeps their order, hands errors to the consumer and stops cleanly."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from coderlhf_tui.export.prefetch import Prefetch


def test_items_arrive_in_order() -> None:
    with Prefetch(iter(range(50))) as items:
        assert list(items) == list(range(50))


def test_an_error_while_reading_is_raised_in_the_consumer() -> None:
    def pages() -> Iterator[int]:
        yield 1
        raise ValueError("broken page")

    with Prefetch(pages()) as items, pytest.raises(ValueError, match="broken page"):
        list(items)


def test_leaving_early_stops_the_reading_thread() -> None:
    produced: list[int] = []

    def pages() -> Iterator[int]:
        for i in range(1000):
            produced.append(i)
            yield i

    before = threading.active_count()
    with Prefetch(pages()) as items:
        assert next(iter(items)) == 0
    assert threading.active_count() == before
    assert len(produced) <= 3  # read ahead by one page, not to the end
