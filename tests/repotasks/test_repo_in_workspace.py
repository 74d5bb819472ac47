"""Repository tasks in the workspace: imported into the store, opened from the app's queue
on the repository pair view, graded on the real engine, judged with the rubric's scoring
panel, and exported from the stored annotation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable

from coderlhf_tui.app import build_app
from coderlhf_tui.cli import main
from coderlhf_tui.domain import AnnotationStatus, Preference
from coderlhf_tui.repotasks.stored import import_repo_tasks, is_repository
from coderlhf_tui.repotasks.task_format import RepoTask
from coderlhf_tui.screens.queue import QueueScreen
from coderlhf_tui.screens.repo_pair_stored import StoredRepoPairScreen
from coderlhf_tui.store import Store
from coderlhf_tui.workbench.blind import blind_order

pytestmark = [pytest.mark.xdist_group("repotasks"), pytest.mark.anyio]

INSTANCE = "toolz__frequencies-empty"


@pytest.fixture
def anyio_backend() -> str:
    """Textual runs on asyncio."""
    return "asyncio"


async def _until(pilot: Any, condition: Any, seconds: float = 300.0) -> None:
    for _ in range(int(seconds * 10)):
        if condition():
            return
        await pilot.pause(0.1)
    raise AssertionError("timed out")


async def test_open_grade_score_prefer_and_export_from_the_store(
    engine: Any,
    demo_tasks: dict[str, RepoTask],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # a real run, not a cached one
    task = demo_tasks[INSTANCE]
    workspace = tmp_path / "workspace.db"
    with Store.open(workspace) as store:
        assert import_repo_tasks(store, [task]) == 1
        assert import_repo_tasks(store, [task]) == 0  # already there
        assert is_repository(store.get_task(INSTANCE))
        app = build_app(workspace, "ak", store=store)
        left_is_a = blind_order("ak", INSTANCE) == "ab"
        try:
            async with app.run_test(size=(200, 50)) as pilot:
                await pilot.pause()
                assert isinstance(app.screen, QueueScreen)
                assert app.session.order == [INSTANCE]  # listed in the queue
                await pilot.press("n")  # open the next unfinished task
                await pilot.pause()
                screen = app.screen
                assert isinstance(screen, StoredRepoPairScreen)
                assert [r.name for r in screen.responses] == (
                    ["agent-a", "agent-b"] if left_is_a else ["agent-b", "agent-a"]
                )
                screen.set_focus(None)
                await pilot.press("r")
                await _until(pilot, lambda: bool(screen.runs))
                table = screen.query_one("#repo-tests", DataTable)
                rows = [table.get_row_at(i) for i in range(table.row_count)]
                grades = ["resolved", "not_resolved"] if left_is_a else ["not_resolved", "resolved"]
                assert rows[0] == ["grade", "", *grades]
                assert not any(run.cached for run in screen.runs)
                countby = "toolz/tests/test_recipes.py::test_countby"
                assert ["P2P", countby, *("passed", "failed")[:: 1 if left_is_a else -1]] in rows
                # agent-a's card 4 everywhere, agent-b's 2 (s: the left card, then the right)
                left, right = ("4", "2") if left_is_a else ("2", "4")
                for level in (left, right):
                    await pilot.press("s", level, "j", level, "j", level, "j", level, "j", level)
                await pilot.press("p", "1" if left_is_a else "5")  # agent-a much better
                await pilot.press("w", *"b breaks countby")
                await pilot.pause(0.2)
                await pilot.press("escape")
                await pilot.pause(0.2)
        finally:
            app.session.checks.close()
        app.session.flush_writes(10)
        saved = store.get_annotation(INSTANCE, "ak")
    assert saved is not None and saved.status is AnnotationStatus.IN_PROGRESS
    assert saved.preference is Preference.A_MUCH_BETTER
    assert saved.rationale == "b breaks countby"
    assert saved.scores["a"] == dict.fromkeys(saved.scores["a"], 4) and len(saved.scores["a"]) == 5
    assert saved.scores["b"] == dict.fromkeys(saved.scores["b"], 2) and len(saved.scores["b"]) == 5

    out = tmp_path / "export"
    assert main(["repo", "export", "--db", str(workspace), "--out", str(out), task.source]) == 0
    rows = [json.loads(line) for line in (out / "trl.jsonl").read_text().splitlines()]
    by_pair = {row["id"]: row for row in rows}
    judged = by_pair[f"{INSTANCE}:agent-a>agent-b"]
    assert judged["source"] == "annotator" and judged["margin"] == 2.0
    patches = {r.name: r.patch for r in task.responses}
    assert judged["chosen"][0]["content"] == patches["agent-a"]
    assert judged["rejected"][0]["content"] == patches["agent-b"]
