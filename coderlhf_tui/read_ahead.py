"""Reading ahead in a thread: the next chunk of an iterator is made while the caller
works on the current one.

Why: an import is two halves of similar cost, reading and validating records (Python,
which holds the GIL) and SQLite storing and indexing them (C, which releases the GIL
in every step). One after the other they keep one core busy; overlapped, validation
runs on the second core while SQLite writes (BENCHMARKS.md, issue 18). Only the
reading side moves to the thread: the database connection and its transaction stay
with the caller.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

DEPTH = 2
"""Chunks made ahead of the caller: enough to cover a slow write, little memory."""

_POLL_S = 0.1


class _Done:
    """The end of the items."""


def read_ahead(items: Iterable[T], size: int, depth: int = DEPTH) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last may be shorter), made by a thread.

    An exception raised while making them is raised here, in the caller's thread, at the
    point the failed chunk would have come. Closing the iterator early (an exception in
    the caller, ``break``) stops the thread before this returns.
    """
    chunks: queue.Queue[list[T] | BaseException | _Done] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(chunk: list[T] | BaseException | _Done) -> bool:
        while not stop.is_set():
            try:
                chunks.put(chunk, timeout=_POLL_S)
            except queue.Full:
                continue
            return True
        return False

    def produce() -> None:
        try:
            chunk: list[T] = []
            for item in items:
                chunk.append(item)
                if len(chunk) >= size:
                    if not put(chunk):
                        return
                    chunk = []
            if chunk and not put(chunk):
                return
            put(_Done())
        except BaseException as error:  # handed to the caller, who decides
            put(error)

    thread = threading.Thread(target=produce, name="read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            got = chunks.get()
            if isinstance(got, _Done):
                return
            if isinstance(got, BaseException):
                raise got
            yield got
    finally:
        stop.set()
        thread.join()
