"""The ranked repository view on the real engine: three toolz patches graded on one key,
ranked with the ranking screen's keys, saved as a ranked annotation; opened again, the
grades come from the workspace (no second grading)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Static

from coderlhf_tui.app import build_app
from coderlhf_tui.domain import AnnotationStatus
from coderlhf_tui.repotasks.stored import import_repo_tasks
from coderlhf_tui.repotasks.task_format import RepoTask
from coderlhf_tui.screens.messages import SyncStateChanged
from coderlhf_tui.screens.repo_pair_ranked import StoredRepoRankScreen
from coderlhf_tui.store import Store
from coderlhf_tui.widgets.code_pane import CodePane
from coderlhf_tui.widgets.rank_list import RankList
from coderlhf_tui.workbench.ranked_draft import blind_permutation

pytestmark = [pytest.mark.xdist_group("repotasks"), pytest.mark.anyio]

RANKED = "toolz__frequencies-ranked"
CRITIQUED = "+    return {item: seq.count(item) for item in seq}"
RATIONALE = "a fixes frequencies; b breaks countby on iterators; c does not apply"
GRADES = {"agent-a": "resolved", "agent-b": "not_resolved", "agent-c": "patch_failed"}


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


async def test_rank_three_patches_from_the_keyboard(
    engine: Any, demo_tasks: dict[str, RepoTask], tmp_path: Path
) -> None:
    db = tmp_path / "w.db"
    order = blind_permutation("ak", RANKED, "abc")
    digit = {key: str(order.index(key) + 1) for key in "abc"}
    patches = {key: r.patch for key, r in zip("abc", demo_tasks[RANKED].responses, strict=True)}
    with Store.open(db) as store:
        import_repo_tasks(store, [demo_tasks[RANKED]])
        app = build_app(db, "ak", store=store)
        try:
            async with app.run_test(size=(200, 50)) as pilot:
                app.open_pair(RANKED)
                await _until(pilot, lambda: isinstance(app.screen, StoredRepoRankScreen), 30)
                screen = app.screen
                assert isinstance(screen, StoredRepoRankScreen) and not screen.runs
                screen.post_message(SyncStateChanged("2 pending"))  # as the app answers a sync
                await pilot.pause()
                assert "2 pending" in str(screen.query_one("#status", Static).render())
                await pilot.press("t")  # every patch graded in the sandbox
                await _until(pilot, lambda: bool(screen.runs))
                assert {run.response: str(run.grade) for run in screen.runs} == GRADES
                table = screen.query_one("#repo-tests", DataTable)
                names = [screen.store_task.response(k).id for k in order]  # type: ignore[arg-type]
                assert table.get_row_at(0) == ["grade", "", *(GRADES[n] for n in names)]

                await pilot.press(digit["a"], "K")  # a out of the one tie group, to the top
                await pilot.press(digit["b"])  # b left, a beside it
                left, right = (screen.query_one(f"#patch-{s}", CodePane) for s in "ab")
                assert "\n".join(left.lines).rstrip() == patches["b"].rstrip()
                assert "\n".join(right.lines).rstrip() == patches["a"].rstrip()
                await pilot.press("K", "equals_sign")  # b above c, then tied with a
                assert screen.draft.ranking == [["a", "b"], ["c"]]
                await pilot.press("u")  # untied: just below a
                assert screen.draft.ranking == [["a"], ["b"], ["c"]]
                left.cursor = left.lines.index(CRITIQUED)  # a critique on b, in the left pane
                screen.set_focus(left)
                await pilot.press("m", "m")
                await pilot.pause()
                await pilot.press(*"counts in quadratic time", "ctrl+s")
                await pilot.pause()
                rows = screen.query_one(RankList).rows
                assert [(row.model, row.verdict) for row in rows] == list(GRADES.items())
                await pilot.press("ctrl+s")  # not yet: scores and rationale missing
                await pilot.pause()
                assert app.screen is screen
                for key, level in zip("abc", "531", strict=True):  # v: back to the panes
                    await pilot.press("v", digit[key], "s", *"j".join(level * 5))
                await pilot.press("r", *RATIONALE, "ctrl+s")  # submitted; no task left: queue
                await _until(pilot, lambda: not isinstance(app.screen, StoredRepoRankScreen))

                app.open_pair(RANKED)  # again: grades from the workspace, no engine asked
                await _until(pilot, lambda: isinstance(app.screen, StoredRepoRankScreen), 10)
                await pilot.pause(0.3)
                again = app.screen
                assert isinstance(again, StoredRepoRankScreen) and again is not screen
                assert [str(r.grade) for r in again.runs] == [str(r.grade) for r in screen.runs]
                assert again.draft.ranking == [["a"], ["b"], ["c"]]
        finally:
            app.session.checks.close()
        app.session.flush_writes(10)
        saved = store.get_annotation(RANKED, "ak")
    assert saved is not None and saved.ranking == [["a"], ["b"], ["c"]]
    assert saved.preference is None and saved.shown_order == order
    assert saved.status is AnnotationStatus.SUBMITTED and saved.rationale == RATIONALE
    assert [set(saved.scores[key].values()) for key in "abc"] == [{5}, {3}, {1}]
    [comment] = saved.comments
    assert (comment.response, comment.quote) == ("b", CRITIQUED)
    assert comment.text == "counts in quadratic time"
