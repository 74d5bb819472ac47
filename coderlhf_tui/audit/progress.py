"""A one-line progress bar on a terminal (a line every few seconds when not a terminal)."""

from __future__ import annotations

import time
from typing import TextIO

BAR_WIDTH = 30


class Progress:
    """Progress of one phase of the audit: ``step(n)`` as items finish."""

    def __init__(self, stream: TextIO, phase: str, total: int) -> None:
        self.stream = stream
        self.phase = phase
        self.total = total
        self.done = 0
        self.tty = stream.isatty()
        self.started = time.monotonic()
        self.last = 0.0
        self.shown = -1

    def step(self, n: int = 1, note: str = "") -> None:
        """Count ``n`` more items done and redraw (throttled off a terminal)."""
        self.done += n
        now = time.monotonic()
        if not self.tty and now - self.last < 5.0 and self.done < self.total:
            return
        self.last = now
        self.shown = self.done
        filled = int(BAR_WIDTH * self.done / max(self.total, 1))
        rate = self.done / max(now - self.started, 1e-6)
        line = (
            f"{self.phase:<8} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] "
            f"{self.done}/{self.total} {rate:.1f}/s {note}"
        ).rstrip()
        self.stream.write(("\r\033[K" + line) if self.tty else line + "\n")
        self.stream.flush()

    def finish(self, note: str = "") -> None:
        """Draw the final state (unless just drawn) and end the line."""
        if self.shown != self.done or self.tty:
            self.last = 0.0
            self.done -= 1
            self.step(1, note)
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
