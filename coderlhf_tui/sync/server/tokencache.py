"""A short-lived, in-process cache of token lookups.

Every request authenticates; without a cache that is one more database round trip per
request. Entries live at most ``ttl_s`` seconds (10 by default) and an expired token is
still refused at once (the expiry travels with the entry), so revoking a token takes
effect within the TTL on every server process. Keys are token hashes, never tokens.

Each entry lives a random 50-100% of the TTL: clients that authenticated at the same
moment (a team syncing after a server restart, the load benchmark's burst) would
otherwise all miss together every TTL, a burst of lookups that showed in the load
benchmark as a one-second latency spike every ten seconds.
"""

from __future__ import annotations

import random
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from coderlhf_tui.sync.server.accounts import Account


class TokenCache:
    """Maps token hash -> (account, expires_at, stale_at); thread-safe, bounded."""

    def __init__(
        self, ttl_s: float = 10.0, size: int = 10_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl_s = ttl_s
        self.size = size
        self._clock = clock
        self._entries: OrderedDict[str, tuple[Account, str | None, float]] = OrderedDict()
        self._lock = threading.Lock()
        self._random = random.Random()

    def get(self, token_hash: str, now_iso: str) -> Account | None:
        """The cached account, or None when absent, stale or past its expiry."""
        with self._lock:
            entry = self._entries.get(token_hash)
            if entry is None:
                return None
            account, expires_at, stale_at = entry
            if self._clock() > stale_at or (expires_at is not None and expires_at <= now_iso):
                del self._entries[token_hash]
                return None
            return account

    def put(self, token_hash: str, account: Account, expires_at: str | None) -> None:
        """Remember a successful lookup."""
        if self.ttl_s <= 0:
            return
        with self._lock:
            life = self.ttl_s * self._random.uniform(0.5, 1.0)
            self._entries[token_hash] = (account, expires_at, self._clock() + life)
            self._entries.move_to_end(token_hash)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
