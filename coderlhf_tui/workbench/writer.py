"""Annotation saves off the UI thread: one writer thread, in order, coalescing drafts.

Every change of a draft is handed over at once (``save`` never blocks); the thread writes
the latest copy of each annotation on its own SQLite connection, so another process
holding the write lock (``coderlhf sync`` in a terminal, an export) delays the write, never
the screen. Copies waiting for the same annotation collapse into the newest, which keeps
the store's history to one revision per write actually made. ``pending_for`` lets a
reopened task see a copy not yet written; ``flush`` waits for everything (quit, sync).
A write that fails (the disk is full, the lock is held past the busy timeout) is retried
until it succeeds or a newer copy replaces it: nothing entered is dropped. A copy handed
over after ``close`` (a hang-up rescue racing the app's own exit) is written at once, in
the caller's thread, on a connection of its own.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from coderlhf_tui.domain import Annotation
from coderlhf_tui.store import Store

RETRY_S = 0.5
"""Pause before retrying a failed write."""


class AnnotationWriter:
    """The one thread that writes annotations for the app."""

    def __init__(self, db_path: Path | str) -> None:
        self.db_path = Path(db_path)
        self._cond = threading.Condition()
        self._pending: dict[str, Annotation] = {}
        self._busy = False
        self._closed = False
        self.last_error = ""
        self.written = 0
        self._thread = threading.Thread(target=self._run, name="annotation-writer", daemon=True)
        self._thread.start()

    def save(self, annotation: Annotation) -> None:
        """Queue the newest copy of an annotation (replacing an older one still waiting)."""
        with self._cond:
            if not self._closed:
                self._pending.pop(annotation.id, None)
                self._pending[annotation.id] = annotation
                self._cond.notify_all()
                return
        with Store.open(self.db_path) as store:
            store.save_annotation(annotation)

    def pending_for(self, task_id: str, annotator: str) -> Annotation | None:
        """A copy of this task's annotation that is queued but not written yet."""
        with self._cond:
            for annotation in reversed(self._pending.values()):
                if annotation.task_id == task_id and annotation.annotator == annotator:
                    return annotation
        return None

    @property
    def idle(self) -> bool:
        """Whether everything handed over is written."""
        with self._cond:
            return not self._pending and not self._busy

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until everything queued is written; False on timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while self._pending or self._busy:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._cond.wait(left)
        return True

    def close(self, timeout: float | None = None) -> bool:
        """Write what is queued, then stop the thread; False when it did not finish."""
        done = self.flush(timeout)
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._thread.join(timeout)
        return done

    def _run(self) -> None:
        store: Store | None = None
        try:
            while True:
                with self._cond:
                    while not self._pending and not self._closed:
                        self._cond.wait()
                    if not self._pending:
                        return
                    key = next(iter(self._pending))
                    annotation = self._pending.pop(key)
                    self._busy = True
                try:
                    store = store or Store.open(self.db_path)
                    store.save_annotation(annotation)
                    ok = True
                except Exception as exc:  # the thread must outlive any failure, or saves stop
                    self.last_error = f"{type(exc).__name__}: {exc}"
                    ok = False
                with self._cond:
                    if ok:
                        self.written += 1
                        self.last_error = ""
                    else:  # keep it unless a newer copy arrived meanwhile
                        self._pending.setdefault(key, annotation)
                    self._busy = False
                    self._cond.notify_all()
                if not ok:
                    time.sleep(RETRY_S)
        finally:
            if store is not None:
                store.close()
