"""Fixtures for the scanner tests: the real semgrep (a package dependency) and samples."""

from __future__ import annotations

import pytest

from coderlhf_tui.scan.semgrep import semgrep_binary
from tests.conftest import require_part


@pytest.fixture
def semgrep() -> str:
    """The semgrep executable (skips, or fails under CI, when missing)."""
    binary = semgrep_binary()
    require_part("semgrep", binary is not None, "pip install semgrep")
    assert binary is not None
    return binary
