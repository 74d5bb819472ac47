"""The annotator's sync client: the outbox goes up, the change feed comes down.

Imports only the standard library, httpx and the local store, never the server's stack.
The names below are the client's public surface (the app, the CLI and the tests use them).
They are loaded on first use: the app's start-up reads ``sync.client.state`` (through
this package) and must not pay for httpx, which brings pygments and rich's CLI with it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

CONFIG_SECTION = "sync"
"""The user config section ``coderlhf login`` writes: server, token, user."""

if TYPE_CHECKING:
    from coderlhf_tui.sync.client.sync_client import (
        ServerFault,
        SyncClient,
        SyncRefused,
        SyncReport,
    )

__all__ = ["CONFIG_SECTION", "ServerFault", "SyncClient", "SyncRefused", "SyncReport"]


def __getattr__(name: str) -> object:
    if name in __all__:  # the client's classes
        return getattr(import_module("coderlhf_tui.sync.client.sync_client"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
