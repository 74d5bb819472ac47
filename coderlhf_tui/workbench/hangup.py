"""Noticing that the terminal went away, so the app can write what was typed before it ends.

Three ways a terminal goes: the kernel sends SIGHUP when the terminal hangs up (an SSH
connection drops, a terminal window closes); a session manager or ``kill`` sends SIGTERM;
and a process that is not the terminal's controlling process gets no signal at all, only a
hang-up (POLLHUP) or end of file on stdin. Python's default for both signals ends the
process on the spot, losing the draft in memory and the writer's queue.

``HangupWatch`` catches all three and calls ``on_gone(reason)`` once, in a thread of its
own: a signal handler runs on the main thread between two bytecodes of whatever the UI
was doing, and the UI thread may be blocked writing to the dead terminal, so the callback
must need neither. ``stop`` puts the previous signal handlers back.
"""

from __future__ import annotations

import os
import select
import signal
import threading
from collections.abc import Callable
from types import FrameType

SIGNALS = (signal.SIGHUP, signal.SIGTERM)
POLL_MS = 500
"""How often the stdin watcher looks up to see whether it should stop."""


class HangupWatch:
    """Calls ``on_gone`` once when a watched signal arrives or stdin hangs up."""

    def __init__(self, on_gone: Callable[[str], None], stdin_fd: int | None = 0) -> None:
        self.on_gone = on_gone
        self.stdin_fd = stdin_fd
        self.reason = ""
        """What happened ('SIGHUP', 'SIGTERM', 'stdin hung up'); empty while nothing has."""
        self._fired = threading.Event()
        self._stopped = threading.Event()
        self._previous: dict[int, object] = {}
        self._watcher: threading.Thread | None = None

    def start(self) -> HangupWatch:
        """Install the signal handlers (call from the main thread) and watch stdin."""
        for signum in SIGNALS:
            self._previous[signum] = signal.signal(signum, self._on_signal)
        if self.stdin_fd is not None and _watchable(self.stdin_fd):
            self._watcher = threading.Thread(
                target=self._watch_stdin, name="hangup-watch", daemon=True
            )
            self._watcher.start()
        return self

    def stop(self) -> None:
        """Stop watching and restore the previous signal handlers."""
        self._stopped.set()
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]
        self._previous.clear()

    @property
    def fired(self) -> bool:
        """Whether the terminal went away."""
        return self._fired.is_set()

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self._fire(signal.Signals(signum).name)

    def _watch_stdin(self) -> None:
        assert self.stdin_fd is not None
        poller = select.poll()
        poller.register(self.stdin_fd, 0)  # no events asked for: only HUP, ERR and NVAL come
        while not self._stopped.is_set():
            events = poller.poll(POLL_MS)
            if events and not self._stopped.is_set():
                self._fire("stdin hung up")
                return

    def _fire(self, reason: str) -> None:
        if self._fired.is_set() or self._stopped.is_set():
            return
        self._fired.set()
        self.reason = reason
        threading.Thread(target=self.on_gone, args=(reason,), name="hangup-rescue").start()


def _watchable(fd: int) -> bool:
    """Whether ``fd`` is open (a test runner may have closed stdin)."""
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True
