"""Read the next page while the current one is labelled and written.

An export alternates between reading a page out of SQLite (and parsing its annotation
JSON) and building and writing its records. Both halves spend most of their time in C
code that releases the GIL (SQLite's step, Arrow's JSON reader, Parquet and zstd), so on
a machine with two cores running them side by side cuts the wall time without adding
work. Only one page is read ahead, so memory stays flat: at most two pages are alive.

The reading thread owns the iterator (and so the SQLite connection) until the
``with`` block ends; leaving the block, normally or by an exception, stops the thread
and waits for it, so the caller may close the connection afterwards.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from types import TracebackType
from typing import Generic, TypeVar

T = TypeVar("T")

_DONE = object()
_POLL_SECONDS = 0.1


class Prefetch(Generic[T]):
    """Iterate ``source`` one item ahead, in a thread; use as a context manager."""

    def __init__(self, source: Iterator[T]) -> None:
        self._source = source
        self._queue: queue.Queue[object] = queue.Queue(maxsize=1)
        self._stop = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="export-prefetch", daemon=True)

    def _put(self, item: object) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        try:
            for item in self._source:
                if not self._put(item):
                    return
        except BaseException as exc:  # handed to the consumer, raised there
            self._error = exc
        self._put(_DONE)

    def __enter__(self) -> Prefetch[T]:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()

    def __iter__(self) -> Iterator[T]:
        while True:
            item = self._queue.get()
            if item is _DONE:
                if self._error is not None:
                    raise self._error
                return
            yield item  # type: ignore[misc]
