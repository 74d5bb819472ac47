"""A repository task synced from another machine names a task file that is not here: the app
says what is missing and which command brings it (instead of failing), and opens the task
once the file is in the folder beside the workspace (at 90 columns, without its file tree,
so the patch panes stay readable)."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from coderlhf_tui.app import build_app
from coderlhf_tui.repotasks.demo_workspace import tasks_folder
from coderlhf_tui.repotasks.stored import as_store_task
from coderlhf_tui.repotasks.task_format import RepoTask
from coderlhf_tui.screens.dialogs import TextDialog
from coderlhf_tui.screens.repo_pair_stored import StoredRepoPairScreen
from coderlhf_tui.store import Store

pytestmark = [pytest.mark.xdist_group("repotasks"), pytest.mark.anyio]

INSTANCE = "toolz__frequencies-empty"


@pytest.fixture
def anyio_backend() -> str:
    """Textual runs on asyncio."""
    return "asyncio"


async def test_a_task_file_from_elsewhere_is_named_then_found_beside_the_workspace(
    demo_tasks: dict[str, RepoTask], tmp_path: Path
) -> None:
    repo = demo_tasks[INSTANCE]
    task = as_store_task(repo)
    elsewhere = str(Path("/", "another-machine", Path(repo.source).name))
    db = tmp_path / "workspace.db"
    with Store.open(db) as store:
        store.insert_tasks([replace(task, metadata={**task.metadata, "task_file": elsewhere})])
        app = build_app(db, "ak", store=store)
        try:
            async with app.run_test(size=(160, 48)) as pilot:
                await pilot.pause()
                app.open_pair(INSTANCE)
                await pilot.pause()
                page = app.screen
                assert isinstance(page, TextDialog)
                assert "cannot read the task" in page.body
                assert f"coderlhf repo demo {tasks_folder(db)} --db {db}" in page.body
                await pilot.press("escape")
                await pilot.pause()
                folder = tasks_folder(db)
                folder.mkdir()
                for path in (Path(repo.source), repo.snapshot.path):
                    shutil.copy(path, folder / path.name)
                app.open_pair(INSTANCE)
                await pilot.pause()
                screen = app.screen
                assert isinstance(screen, StoredRepoPairScreen)
                assert screen.repo_task.source == str(folder / Path(repo.source).name)
                assert screen.query_one("#files").display  # wide: the file tree is shown
                await pilot.resize_terminal(90, 28)
                await pilot.pause()
                assert not screen.query_one("#files").display  # narrow: the patches get it
                assert screen.query_one("#patch-a").region.width >= 25
                await pilot.press("escape")
        finally:
            app.session.checks.close()
