"""Throttling failed bearer tokens without ever locking out a valid one.

Failures are counted in sliding windows per source address and per presented token
(by its hash). Behind one NAT or proxy address many honest clients share a source, so a
source over its limit never costs a valid token anything but, at most, the wait for
one roster refresh:

- A token that failed too often by itself is answered 429 at once, without a lookup
  (a valid token never fails, so it never gets there).
- From a source over its limit, a token is first checked against the ``TokenRoster``,
  the hashes of every unrevoked token held in memory: one not there (a guess) is
  answered 429 without a database query; one there goes on to the usual check. The
  roster is reloaded on a miss, but at most once per ``min_interval_s`` for the whole
  process, so a flood of guesses costs the database one query a second while a token
  issued a moment ago still gets in (its request waits for the next reload).
- Failures from a source under its limit are answered 401, as before.

Guessing a 256-bit token stays hopeless either way; what the throttle buys is bounded
database work under a flood and a clear 429 with Retry-After for a misconfigured client.
Counts are per process: behind several replicas each keeps its own.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque
from collections.abc import Callable

from fastapi.concurrency import run_in_threadpool

MAX_KEYS = 100_000
"""Keys a window keeps before it forgets them all (memory stays bounded under a spray)."""


class FailedAuthLimiter:
    """Failed attempts per key (an address, a token hash) in a sliding window; thread-safe."""

    def __init__(
        self,
        max_failures: int = 20,
        window_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.window_s = window_s
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, key: str) -> float | None:
        """Seconds until ``key`` is under its limit again, or None when it is now."""
        with self._lock:
            if key not in self._failures:  # a read never adds a key
                return None
            times = self._recent(key)
            if len(times) < self.max_failures:
                return None
            return max(0.0, times[0] + self.window_s - self._clock())

    def record_failure(self, key: str) -> None:
        """Note one failed attempt of ``key``."""
        with self._lock:
            self._recent(key).append(self._clock())
            if len(self._failures) > MAX_KEYS:
                self._failures.clear()

    def _recent(self, key: str) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        cutoff = self._clock() - self.window_s
        while times and times[0] <= cutoff:
            times.popleft()
        return times


class TokenRoster:
    """The hashes of every unrevoked token, reloaded on a miss at most once per interval.

    ``load`` reads them from the database (a blocking call, run in the thread pool).
    ``holds`` answers from memory when it can; on a miss it waits for a reload that
    started after the question, so a token committed before the request is always found.
    """

    def __init__(
        self,
        load: Callable[[], set[str]],
        min_interval_s: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._load = load
        self.min_interval_s = min_interval_s
        self._clock = clock
        self._hashes: frozenset[str] = frozenset()
        self._loaded_at = float("-inf")  # when the current snapshot's load started
        self._lock: asyncio.Lock | None = None
        self.loads = 0

    async def holds(self, token_hash: str) -> bool:
        """True when ``token_hash`` belongs to an unrevoked token."""
        if token_hash in self._hashes:
            return True
        await self._reload_after(self._clock())
        return token_hash in self._hashes

    async def _reload_after(self, asked_at: float) -> None:
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self._loaded_at >= asked_at:
                return  # a reload started after the question while this one waited
            pause = self._loaded_at + self.min_interval_s - self._clock()
            if pause > 0:
                await asyncio.sleep(pause)
            started = self._clock()
            self._hashes = frozenset(await run_in_threadpool(self._load))
            self._loaded_at = started
            self.loads += 1


class AuthThrottle:
    """Per-source and per-token failure windows, and the roster that keeps valid tokens in."""

    def __init__(
        self,
        roster: TokenRoster,
        source_failures: int,
        token_failures: int,
        window_s: float,
    ) -> None:
        self.roster = roster
        self.sources = FailedAuthLimiter(source_failures, window_s)
        self.tokens = FailedAuthLimiter(token_failures, window_s)

    def token_wait(self, token_hash: str) -> float | None:
        """Seconds this very token must wait (it failed too often), or None."""
        return self.tokens.retry_after(token_hash)

    def source_wait(self, address: str) -> float | None:
        """Seconds until ``address`` is under its limit, or None when it is now."""
        return self.sources.retry_after(address)

    def record_failure(self, address: str, token_hash: str) -> None:
        """One failed attempt, counted for both the source and the token."""
        self.sources.record_failure(address)
        self.tokens.record_failure(token_hash)
