"""The workspace's sync state, kept in the store's meta table, for status lines.

``sync_state(store)`` is cheap (two small queries) and never touches the network, so
the app may call it on every refresh. The client writes the meta keys below after each
attempt; nothing else should.
"""

from __future__ import annotations

from dataclasses import dataclass

from coderlhf_tui.store import Store

ENABLED = "sync_enabled"
"""'1' once the workspace syncs with a server (the store then shows needs_sync)."""
ONLINE = "sync_online"
"""'1' when the last attempt reached the server, '0' when it did not."""
LAST_OK = "sync_last_ok"
"""When the last complete sync finished (ISO 8601 UTC)."""
LAST_ERROR = "sync_last_error"
"""Why the last attempt failed ('' after a success)."""
CURSOR = "sync_cursor"
"""The server change-sequence cursor of the last applied pull page."""
SERVER = "sync_server"
"""Which server (URL and user) the cursor belongs to."""


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """What a status line shows: ``label`` is 'synced', 'N pending', 'offline' or 'local'."""

    label: str
    pending: int
    online: bool | None
    last_sync: str | None
    last_error: str | None

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form (stable keys)."""
        return {
            "label": self.label,
            "pending": self.pending,
            "online": self.online,
            "last_sync": self.last_sync,
            "last_error": self.last_error,
        }


def sync_state(store: Store) -> SyncStatus:
    """The current state: offline when the last attempt could not reach the server."""
    pending = store.outbox_count()
    enabled = store.get_meta(ENABLED) == "1"
    online_flag = store.get_meta(ONLINE)
    online = None if online_flag is None else online_flag == "1"
    error = store.get_meta(LAST_ERROR) or None
    if not enabled:
        label = "local"
    elif online is False:
        label = "offline"
    elif pending:
        label = f"{pending} pending"
    else:
        label = "synced"
    return SyncStatus(label, pending, online, store.get_meta(LAST_OK), error)
