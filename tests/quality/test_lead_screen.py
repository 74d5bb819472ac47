"""The lead screen driven with Textual's pilot on a real workspace: the queue is the
disagreement ranking, filters narrow it, adjudication and send-back reach the store, and
the spot-check shows the seeded stratified sample."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList

from coderlhf_tui.app import CoderlhfApp, build_app
from coderlhf_tui.domain import AnnotationStatus
from coderlhf_tui.quality.disagreement import rank_disagreements
from coderlhf_tui.quality.report import load_workspace
from coderlhf_tui.quality.spotcheck import spot_check
from coderlhf_tui.screens.lead import LeadScreen
from coderlhf_tui.screens.lead_dialogs import AdjudicateDialog, SendBackDialog, SpotCheckDialog
from coderlhf_tui.store import Store
from tests.quality.workspace import demo_workspace

SIZE = (180, 60)

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    """Textual runs on asyncio."""
    return "asyncio"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = demo_workspace(tmp_path / "ws.db")
    yield opened
    opened.close()


@pytest.fixture
def app(store: Store) -> CoderlhfApp:
    return build_app(store.path, "lee", store=store)


async def open_lead(app: CoderlhfApp, pilot: Pilot[None]) -> LeadScreen:
    await pilot.press("ctrl+l")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, LeadScreen)
    return screen


def table_ids(screen: LeadScreen) -> list[str]:
    table = screen.query_one(DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_queue_is_the_disagreement_ranking_and_filters_narrow_it(
    app: CoderlhfApp, store: Store
) -> None:
    workspace = load_workspace(store, app.session.rubric)
    settled = set(workspace.adjudicated)
    expected = [d.task_id for d in rank_disagreements(workspace.frame, exclude_tasks=settled)]
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lead(app, pilot)
        assert table_ids(screen) == expected
        assert screen.review is not None and screen.review.task.id == expected[0]
        assert len(screen.review.annotations) >= 2
        await pilot.press("l")  # first language in name order: c
        assert table_ids(screen) and all(t.startswith("c-") for t in table_ids(screen))
        await pilot.press("c", "m")  # clear, then dimension: correctness
        by_dim = rank_disagreements(workspace.frame, dimension="correctness", exclude_tasks=settled)
        assert table_ids(screen) == [d.task_id for d in by_dim]
        await pilot.press("c", "a")  # annotator: ak
        assert set(table_ids(screen)) == {
            d.task_id
            for d in rank_disagreements(workspace.frame, annotator="ak", exclude_tasks=settled)
        }
        await pilot.press("h")  # settled shown again
        assert settled <= set(table_ids(screen))


async def test_adjudicate_stores_the_decision_and_settles_the_task(
    app: CoderlhfApp, store: Store
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lead(app, pilot)
        task_id = table_ids(screen)[0]
        before = len(store.list_adjudications(task_id))
        await pilot.press("j")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AdjudicateDialog)
        assert dialog.query_one("#adj-a", Input).value.count(" ") == 4  # median scores prefilled
        dialog.query_one("#adj-note", Input).value = "B is right: A ignores punctuation."
        dialog.query_one("#adj-note", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        saved = store.list_adjudications(task_id)
        assert len(saved) == before + 1
        assert saved[-1].lead == "lee" and saved[-1].note.startswith("B is right")
        assert set(saved[-1].scores) == {"a", "b"}
        assert task_id not in table_ids(screen)  # settled tasks are hidden


async def test_adjudication_needs_a_note(app: CoderlhfApp, store: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_lead(app, pilot)
        await pilot.press("j")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AdjudicateDialog)
        dialog.save()
        await pilot.pause()
        assert app.screen is dialog
        assert "note" in str(dialog.query_one("#adj-error").render())


async def test_send_back_marks_the_annotation(app: CoderlhfApp, store: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lead(app, pilot)
        assert screen.review is not None
        task_id = screen.review.task.id
        first = sorted(a.annotator for a in screen.review.annotations)[0]
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, SendBackDialog)
        app.screen.query_one(OptionList).highlighted = 0
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        annotation = store.get_annotation(task_id, first)
        assert annotation is not None and annotation.status is AnnotationStatus.SENT_BACK
        assert store.outbox_count() >= 1


async def test_spot_check_shows_the_seeded_sample(app: CoderlhfApp, store: Store) -> None:
    workspace = load_workspace(store, app.session.rubric)
    expected = spot_check(workspace.frame, 7, 3)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lead(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SpotCheckDialog)
        dialog.query_one("#spot-size", Input).value = "7"
        dialog.query_one("#spot-seed", Input).value = "3"
        dialog.draw()
        await pilot.pause()
        assert table_ids(screen) == [item.task_id for item in expected]
        await pilot.press("d")
        assert len(table_ids(screen)) > 7
