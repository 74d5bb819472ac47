"""Fixtures the ranking tests share with other areas' tests."""

from __future__ import annotations

from tests.export.test_trl import tokenizer  # noqa: F401  (the chat tokenizer built offline)
