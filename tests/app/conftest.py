"""Fixtures for the app tests: a workspace on disk, the app on it, no cursor blinking."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from coderlhf_tui.app import CoderlhfApp, build_app
from coderlhf_tui.store import Store
from tests.app.tasks import sample_tasks

ANNOTATOR = "ak"


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Path]:
    """A workspace file holding the sample tasks."""
    path = tmp_path / "workspace.db"
    with Store.open(path) as store:
        store.insert_tasks(sample_tasks())
    yield path


@pytest.fixture
def store(workspace: Path) -> Iterator[Store]:
    """The workspace, opened."""
    with Store.open(workspace) as opened:
        yield opened


@pytest.fixture
def app(workspace: Path, store: Store) -> CoderlhfApp:
    """The app on the sample workspace (the real runner and scanner behind it)."""
    return build_app(workspace, ANNOTATOR, store=store)
