"""Time on task: active time only, so a pair left open over lunch does not count hours.

The clock accumulates the time between activity events (keys, clicks, saves) but caps
each gap at ``idle_cap_s``: an engineer reading code for a minute without a key press
still counts, an abandoned terminal stops counting after the cap. The clock is given
timestamps (no hidden global time), which keeps it exact under test.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_IDLE_CAP_S = 120.0


@dataclass(slots=True)
class ActiveClock:
    """Seconds of active work on one task, on top of what earlier sessions recorded."""

    base_s: float
    started_at: float
    idle_cap_s: float = DEFAULT_IDLE_CAP_S
    _last: float = 0.0
    _active: float = 0.0
    _running: bool = True

    def __post_init__(self) -> None:
        self._last = self.started_at

    def touch(self, now: float) -> None:
        """Record activity at ``now`` (monotonic seconds)."""
        if not self._running:
            self._running = True
            self._last = now
            return
        gap = max(0.0, now - self._last)
        self._active += min(gap, self.idle_cap_s)
        self._last = now

    def pause(self, now: float) -> None:
        """Stop counting (the pair is left); ``touch`` resumes."""
        if self._running:
            self.touch(now)
            self._running = False

    def total(self, now: float) -> float:
        """Total active seconds including earlier sessions, as of ``now``."""
        pending = min(max(0.0, now - self._last), self.idle_cap_s) if self._running else 0.0
        return round(self.base_s + self._active + pending, 1)
