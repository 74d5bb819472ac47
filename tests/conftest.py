"""Shared test fixtures.

A test that needs a real part (Docker, PostgreSQL, Chromium, semgrep) calls
``require_part``: on a developer's machine a missing part skips the test and says which;
under ``CI=true`` it fails, because CI must run every test for real.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXTERNAL = (REPO.parent / "shared" / "data" / "external").resolve()


def require_part(name: str, available: bool, how: str = "") -> None:
    """Skip (or, under CI=true, fail) when a real part the test needs is missing."""
    if available:
        return
    message = f"{name} is not available" + (f": {how}" if how else "")
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (CI=true: a missing part is a failure)")
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep every test out of the real user's config and data folders."""
    home = tmp_path_factory.mktemp("home")
    saved = {k: os.environ.get(k) for k in ("CODERLHF_CONFIG", "CODERLHF_DB", "XDG_DATA_HOME")}
    os.environ["CODERLHF_CONFIG"] = str(home / "config.yaml")
    os.environ["CODERLHF_DB"] = str(home / "workspace.db")
    os.environ["XDG_DATA_HOME"] = str(home / "data")
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture
def external() -> Path:
    """The shared public benchmark data (../shared/data/external)."""
    require_part("shared benchmark data", EXTERNAL.is_dir(), str(EXTERNAL))
    return EXTERNAL
