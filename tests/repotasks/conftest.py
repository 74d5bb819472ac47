"""Fixtures of the repository-task tests: the demo tasks on the real engine.

The demo's sdists and wheels come from the package index through pip on the host, once:
they are kept in the user cache (checked by sha256 on every use), so a second run of the
suite downloads nothing. Graded results go to a fresh folder per session.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from coderlhf_tui.repotasks.cache_dir import default_cache
from coderlhf_tui.repotasks.demo import build_demo
from coderlhf_tui.repotasks.task_format import RepoTask, RepoTaskError, load_task
from tests.conftest import require_part
from tests.runners.helpers import IMAGE, docker_client


@pytest.fixture(scope="session")
def downloads() -> Path:
    return default_cache()


@pytest.fixture(scope="session")
def demo_tasks(tmp_path_factory: pytest.TempPathFactory, downloads: Path) -> dict[str, RepoTask]:
    """The demo tasks by instance id, written into a session folder."""
    out = tmp_path_factory.mktemp("demo-repotasks")
    try:
        paths = build_demo(downloads, out, log=lambda _: None)
    except RepoTaskError as exc:
        require_part("the package index (pip download of the demo sdists)", False, str(exc))
        raise
    tasks = [load_task(path) for path in paths]
    return {task.instance_id: task for task in tasks}


@pytest.fixture(scope="module")
def engine() -> Any:
    return docker_client()


@pytest.fixture(scope="session")
def base_image() -> str:
    return IMAGE


@pytest.fixture(scope="session")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One results cache for the session: a task graded by one test is cached for the next."""
    return tmp_path_factory.mktemp("repo-results")


@pytest.fixture(scope="session")
def workspace_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One workspace for the session's commands: runs graded by one test are kept for the next."""
    return tmp_path_factory.mktemp("repo-workspace") / "workspace.db"
