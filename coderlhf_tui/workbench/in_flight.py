"""Which tasks have tests or a scan running now, shared by the app's workers and the screens.

The app claims a task before it starts a worker and releases it when the worker ends; a
screen only reads, to grey out ``t`` and ``x`` and to show a spinner. Keeping this in the
session (not in the app object) lets a screen ask without calling up into the app, and
lets a pair screen opened in the middle of a run show that run as running.
"""

from __future__ import annotations

import threading
from typing import Literal

CheckKind = Literal["tests", "scan"]


class InFlight:
    """A thread-safe set of (kind, task id) pairs with work under way."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[tuple[CheckKind, str]] = set()

    def claim(self, kind: CheckKind, task_id: str) -> bool:
        """Mark the work as running; False when it already was (start nothing then)."""
        with self._lock:
            if (kind, task_id) in self._running:
                return False
            self._running.add((kind, task_id))
            return True

    def release(self, kind: CheckKind, task_id: str) -> None:
        """The work ended (finished or failed)."""
        with self._lock:
            self._running.discard((kind, task_id))

    def running(self, kind: CheckKind, task_id: str) -> bool:
        """Whether this work is under way now."""
        with self._lock:
            return (kind, task_id) in self._running
