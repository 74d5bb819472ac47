"""The one way the project writes "now": ISO 8601 UTC with a Z, as docs/formats.md shows.

It lives apart from the local store so that the central server (which has no local
store) and the client stamp times the same way without importing each other.
"""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> str:
    """The current time as an ISO 8601 UTC string with a Z, as docs/formats.md writes it."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
