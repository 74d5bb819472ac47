"""Background sync for the app: one sync at a time on a store connection of its own.

The app asks for a sync periodically and after each submit; a request made while one is
running is folded into one more round afterwards, so a burst of submits costs at most two
rounds. The sync runs on its own SQLite connection: the store serializes each connection
with a lock, and a sync waiting for the write lock must never hold the one the screen
reads through. ``SyncClient`` never raises on network faults; it records 'offline' in the
store's meta, which the status line reads.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from coderlhf_tui.store import Store

if TYPE_CHECKING:  # the client (httpx) loads with the first round, not with the app
    from coderlhf_tui.sync.client import SyncClient, SyncReport


class Syncer:
    """Runs ``SyncClient.sync()`` for one workspace; thread-safe, coalescing requests."""

    def __init__(self, db_path: Path | str, client_options: dict[str, object] | None = None):
        self.db_path = Path(db_path)
        self.client_options = dict(client_options or {"timeout": 10.0})
        self._store: Store | None = None
        self._client: SyncClient | None = None
        self._lock = threading.Lock()
        self._running = False
        self._again = False

    @staticmethod
    def logged_in() -> bool:
        """Whether ``coderlhf login`` stored a server and token (checked without network)."""
        from coderlhf_tui.config import section
        from coderlhf_tui.sync.client import CONFIG_SECTION

        conf = section(CONFIG_SECTION)
        return bool(conf.get("server") and conf.get("token"))

    def claim(self) -> bool:
        """Reserve the right to run a round; False (and one more round queued) if busy."""
        with self._lock:
            if self._running:
                self._again = True
                return False
            self._running = True
            return True

    def release(self) -> bool:
        """End a round; True when another was requested meanwhile (the caller runs it)."""
        with self._lock:
            if self._again:
                self._again = False
                return True
            self._running = False
            return False

    @property
    def running(self) -> bool:
        """Whether a round is under way."""
        with self._lock:
            return self._running

    def sync_once(self) -> SyncReport | None:
        """One round (push, then pull); None when the user is not logged in."""
        if self._client is None:
            from coderlhf_tui.sync.client import SyncClient

            self._store = self._store or Store.open(self.db_path)
            self._client = SyncClient.from_config(self._store, **self.client_options)
            if self._client is None:
                return None
        return self._client.sync()

    def close(self) -> None:
        """Close the HTTP client and the store connection."""
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._store is not None:
            self._store.close()
            self._store = None
