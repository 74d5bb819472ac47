"""Pilot tests of the ranking screen on a real workspace, at 80x24."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from coderlhf_tui.app import build_app
from coderlhf_tui.demo import demo_ranked_tasks_path
from coderlhf_tui.domain import AnnotationStatus, Language, Response, Task, TestKind, TestSpec
from coderlhf_tui.ingest import load_task_file
from coderlhf_tui.ranking import group_of
from coderlhf_tui.screens.dialogs import ConfirmDialog
from coderlhf_tui.screens.pair import PairScreen
from coderlhf_tui.screens.ranking import RankingScreen
from coderlhf_tui.store import Store
from coderlhf_tui.widgets.code_pane import CodePane
from coderlhf_tui.widgets.comments_panel import CommentsPanel
from coderlhf_tui.widgets.rank_list import RankList
from coderlhf_tui.widgets.score_card import ScoreCard
from coderlhf_tui.workbench.ranked_draft import blind_permutation
from tests.ranking.helpers import CODES

pytestmark = pytest.mark.anyio

RATIONALE = "The first one is right and linear; the others lose cases."


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _task(task_id: str, n: int) -> Task:
    return Task(
        id=task_id,
        language=Language.PYTHON,
        prompt="Add two numbers.",
        responses=tuple(Response(k, CODES[k], f"model-{k}") for k in "abcdefgh"[:n]),
        tests=TestSpec(kind=TestKind.SCRIPT, code="assert add(1, 2) == 3\n"),
    )


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    path = tmp_path / "w.db"
    with Store.open(path) as store:
        store.insert_tasks([_task("r-1", 4), _task("p-1", 2), _task("r-2", 5)])
    return path


async def _settle(pilot: Any) -> None:
    await pilot.pause()
    await pilot.pause(0.05)


async def _open_first(app: Any, pilot: Any) -> RankingScreen:
    """Open the queue's first task (a ranked one) with enter."""
    await _settle(pilot)
    await pilot.press("enter")
    await _settle(pilot)
    screen = app.screen
    assert isinstance(screen, RankingScreen)
    return screen


async def _score(pilot: Any, levels: dict[str, str]) -> None:
    """Every dimension of the responses shown at these positions, at one level each."""
    for position, level in levels.items():
        await pilot.press(position, "s")
        for _ in range(5):
            await pilot.press(level, "down")
        await pilot.press("escape")


def _rows(screen: RankingScreen) -> list[tuple[int, str]]:
    return [(row.place, row.label) for row in screen.query_one(RankList).rows]


async def test_rank_score_and_submit_from_the_keyboard_at_80x24(workspace: Path) -> None:
    with Store.open(workspace) as store:
        app = build_app(workspace, "ak", store=store)
        order = blind_permutation("ak", "r-1", "abcd")
        async with app.run_test(size=(80, 24)) as pilot:
            await _settle(pilot)
            await pilot.press("enter")  # the queue's first task: r-1, ranked
            await _settle(pilot)
            screen = app.screen
            assert isinstance(screen, RankingScreen)
            assert _rows(screen) == [(1, "#1"), (1, "#2"), (1, "#3"), (1, "#4")]  # all tied
            for widget in (RankList, ScoreCard):
                region = screen.query_one(widget).region
                assert region.width > 0 and region.bottom <= 24
            code = screen.query_one("#rank-code", CodePane).region
            assert code.width >= 40 and code.height >= 5 and code.right <= 80
            head = str(screen.query_one("#rank-head").render())
            assert "model-" not in head and head.startswith("#1")  # blind: no model names
            # rank: #1 best, then #4, #3 tied, then #2
            await pilot.press("1", "u", "K")
            await pilot.press("2", "u", "3", "u", "equals_sign")
            await _settle(pilot)
            assert _rows(screen) == [(1, "#1"), (2, "#3"), (2, "#4"), (3, "#2")]
            await _score(pilot, {position: "4" for position in "1234"})
            await pilot.press("r", *RATIONALE, "escape")
            await pilot.press("ctrl+s")
            await _settle(pilot)
        app.session.flush_writes(5.0)
        saved = store.get_annotation("r-1", "ak")
        assert saved is not None and saved.status is AnnotationStatus.SUBMITTED
        expected = [[order[0]], sorted([order[2], order[3]]), [order[1]]]
        assert saved.ranking is not None and saved.shown_order == order
        assert [sorted(group) for group in saved.ranking] == expected
        assert saved.preference is None and set(saved.scores) == set("abcd")
        assert all(level == 4 for dims in saved.scores.values() for level in dims.values())
        assert saved.rationale == RATIONALE


async def test_warning_before_submit_when_the_ranking_contradicts_the_scores(
    workspace: Path,
) -> None:
    with Store.open(workspace) as store:
        app = build_app(workspace, "ak", store=store)
        async with app.run_test(size=(80, 24)) as pilot:
            await _open_first(app, pilot)
            await pilot.press("1", "u", "K")  # #1 above the rest
            await _score(pilot, {"1": "2", "2": "5", "3": "5", "4": "5"})
            await pilot.press("r", *RATIONALE, "escape", "ctrl+s")
            await _settle(pilot)
            dialog = app.screen
            assert isinstance(dialog, ConfirmDialog)
            text = " ".join(str(w.render()) for w in dialog.query("*") if hasattr(w, "render"))
            assert "#1 is ranked above #2, which scores higher on every dimension" in text
            await pilot.press("n")
            await _settle(pilot)
            assert isinstance(app.screen, RankingScreen)
        saved = store.get_annotation("r-1", "ak")
        assert saved is None or saved.status is AnnotationStatus.IN_PROGRESS


async def test_pin_compare_diff_and_move_between_kinds_of_task(workspace: Path) -> None:
    with Store.open(workspace) as store:
        app = build_app(workspace, "ak", store=store)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await _open_first(app, pilot)
            await pilot.press("2", "c", "4")
            await _settle(pilot)
            assert screen.pinned is not None and screen.has_class("-pinned")
            assert screen.query_one("#rank-pin", CodePane).region.width > 0
            await pilot.press("d")
            await _settle(pilot)
            assert screen.has_class("-diff") and screen.query_one("#rank-diff").region.width > 0
            await pilot.press("right_square_bracket")  # next task: p-1, a pair
            await _settle(pilot)
            assert isinstance(app.screen, PairScreen)
            await pilot.press("right_square_bracket")  # and r-2, ranked again (5 responses)
            await _settle(pilot)
            ranked = app.screen
            assert isinstance(ranked, RankingScreen) and ranked.task_shown is not None
            assert ranked.task_shown.id == "r-2" and len(_rows(ranked)) == 5
            order = blind_permutation("ak", "r-2", "abcde")
            await pilot.press("5", "u")
            await _settle(pilot)
            assert ranked.draft is not None
            assert group_of(ranked.draft.ranking)[order[4]] == 1


@pytest.mark.docker
@pytest.mark.xdist_group("docker-app")
async def test_tests_and_scan_of_every_response_from_the_screen(tmp_path: Path) -> None:
    from tests.runners.helpers import docker_client

    docker_client()  # skips (fails under CI) without the engine and the toolbox image
    tasks, errors = load_task_file(demo_ranked_tasks_path())
    assert not errors
    task = next(t for t in tasks if t.id == "py-count-lines-ranked")
    path = tmp_path / "demo.db"
    with Store.open(path) as store:
        store.insert_tasks([task])
        app = build_app(path, "ak", store=store)
        order = blind_permutation("ak", task.id, task.keys)
        try:
            async with app.run_test(size=(80, 24)) as pilot:
                screen = await _open_first(app, pilot)
                await pilot.press("t", "x")
                waited = 0.0
                while waited < 240 and (
                    any(row.verdict is None for row in screen.query_one(RankList).rows)
                    or any(row.findings is None for row in screen.query_one(RankList).rows)
                ):
                    await pilot.pause(0.2)
                    waited += 0.2
                verdicts = {
                    order[int(row.label[1:]) - 1]: row.verdict
                    for row in screen.query_one(RankList).rows
                }
                assert verdicts == task.metadata["expected_verdicts"]
                findings = {
                    order[int(row.label[1:]) - 1]: row.findings
                    for row in screen.query_one(RankList).rows
                }
                assert findings["a"] and not findings["b"]
        finally:
            app.session.checks.close()


async def test_line_comments_on_the_response_in_view_at_80x24(workspace: Path) -> None:
    """Marking lines comments on the response in view (here d, beyond a pair's a/b): saved
    in the store, markers follow the response shown, ``i`` focuses the panel, which jumps
    back to it and deletes from it."""
    with Store.open(workspace) as store:
        app = build_app(workspace, "ak", store=store)
        order = blind_permutation("ak", "r-1", "abcd")
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await _open_first(app, pilot)
            await pilot.press(str(order.index("d") + 1))
            await _settle(pilot)
            assert screen.current == "d"
            await pilot.press("m", "down", "m")
            await _settle(pilot)
            await pilot.press(*"off by one", "ctrl+s")
            await _settle(pilot)
            pane = screen.query_one("#rank-code", CodePane)
            assert pane.comment_on("code", 1) is not None and pane.comment_on("code", 3) is None
            panel = screen.query_one(CommentsPanel)
            assert panel.comment_count == 1
            await pilot.press(str(order.index("a") + 1))
            await _settle(pilot)
            assert screen.current == "a" and pane.comment_on("code", 1) is None
            await pilot.press("i")  # the comments panel, as on the pair screen
            assert app.focused is panel
            panel.highlighted = 0
            await pilot.press("enter")  # jump: d is in view again, cursor on its line 1
            await _settle(pilot)
            assert screen.current == "d" and pane.comment_on("code", 1) is not None
            assert app.focused is pane and pane.cursor == 0
            await pilot.press("m", "m", *"gone", "ctrl+s")  # a second one, then delete it
            await _settle(pilot)
            assert panel.comment_count == 2
            await pilot.press("i")
            assert app.focused is panel
            prompts = [entry.comment.text for entry in panel.entries]
            panel.highlighted = next(i for i, text in enumerate(prompts) if "gone" in text)
            await pilot.press("delete")
            await _settle(pilot)
            assert panel.comment_count == 1
        app.session.flush_writes(5.0)
        saved = store.get_annotation("r-1", "ak")
        assert saved is not None and len(saved.comments) == 1
        comment = saved.comments[0]
        assert (comment.response, comment.start_line, comment.end_line) == ("d", 1, 2)
        assert comment.text == "off by one"
        assert comment.quote == "\n".join(CODES["d"].splitlines()[:2])
