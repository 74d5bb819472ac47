"""Fixtures of the hostile tests: the runner tests' unpooled Docker backend, shared."""

from __future__ import annotations

from tests.runners.conftest import backend, client, settings

__all__ = ["backend", "client", "settings"]
