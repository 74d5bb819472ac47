"""The repository pair view, driven by Textual's pilot with the real grader behind it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Tree

from coderlhf_tui.repotasks.changed_scan import scan_patch
from coderlhf_tui.repotasks.environments import ensure_image
from coderlhf_tui.repotasks.grading import RepoGrader
from coderlhf_tui.repotasks.task_format import RepoTask
from coderlhf_tui.screens.repo_pair import RepoPairApp, RepoPairScreen, split_by_file

pytestmark = [pytest.mark.xdist_group("repotasks"), pytest.mark.anyio]


@pytest.fixture
def anyio_backend() -> str:
    """Textual runs on asyncio."""
    return "asyncio"


async def test_files_changes_tests_preference_and_rationale(
    engine: Any, demo_tasks: dict[str, RepoTask], base_image: str, downloads: Path, results: Path
) -> None:
    task = demo_tasks["toolz__frequencies-empty"]
    image = ensure_image(engine, task.environment, base_image, downloads)
    grader = RepoGrader(engine, image, results)
    saved: list[dict[str, Any]] = []
    app = RepoPairApp(
        task,
        (0, 1),
        lambda r: grader.grade(task, r),
        saved.append,
        lambda r: scan_patch(task, r, results),
    )
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RepoPairScreen)
        tree = screen.query_one("#files", Tree)
        assert [str(n.label) for n in tree.root.children] == ["toolz/itertoolz.py [AB]"]
        assert "-        return None" in screen.shown["a"]  # agent-a's change against the base
        assert "+    return {item: seq.count(item)" in screen.shown["versus"]  # b against a
        assert "toolz/itertoolz.py" in app.export_screenshot()  # the tree is drawn
        await pilot.press("r")
        for _ in range(600):  # the grading runs in a worker thread
            await pilot.pause(0.1)
            if screen.runs:
                break
        table = screen.query_one("#repo-tests", DataTable)
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        assert rows[0] == ["grade", "", "resolved", "not_resolved"]
        assert ["P2P", "toolz/tests/test_recipes.py::test_countby", "passed", "failed"] in rows
        assert screen.findings == {
            "agent-a": {},
            "agent-b": {},
        }  # neither fix adds a finding to its lines
        await pilot.press("1")
        await pilot.click("#rationale")
        await pilot.press(*"b breaks countby")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert saved == [
        {
            "instance_id": task.instance_id,
            "responses": ["agent-a", "agent-b"],
            "preference": "agent-a",
            "rationale": "b breaks countby",
            "grades": {"agent-a": "resolved", "agent-b": "not_resolved"},
        }
    ]


def test_a_patch_splits_by_file() -> None:
    patch = "diff --git a/x.py b/x.py\n+1\ndiff --git a/y/z.py b/y/z.py\n+2\n"
    assert split_by_file(patch) == {
        "x.py": "diff --git a/x.py b/x.py\n+1\n",
        "y/z.py": "diff --git a/y/z.py b/y/z.py\n+2\n",
    }
