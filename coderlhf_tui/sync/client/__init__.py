"""The annotator's sync client: the outbox goes up, the change feed comes down.

Imports only the standard library, httpx and the local store, never the server's stack.
The names below are the client's public surface (the app, the CLI and the tests use them).
"""

from coderlhf_tui.sync.client.sync_client import (
    CONFIG_SECTION,
    ServerFault,
    SyncClient,
    SyncRefused,
    SyncReport,
)

__all__ = ["CONFIG_SECTION", "ServerFault", "SyncClient", "SyncRefused", "SyncReport"]
