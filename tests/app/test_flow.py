"""Pilot tests of the whole annotation flow, against the real store, runner and scanner.

Open the workspace, move through the queue, run the tests on the real Docker engine, run
the real semgrep scan, score, write a rationale, tag, submit through the consistency
dialog, reopen and find everything as entered.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import TextArea

from coderlhf_tui.app import CoderlhfApp, build_app
from coderlhf_tui.domain import AnnotationStatus, Preference, Verdict
from coderlhf_tui.screens.pair import PairScreen
from coderlhf_tui.screens.queue import QueueScreen
from coderlhf_tui.store import Store
from coderlhf_tui.widgets.diff_view import DiffView
from coderlhf_tui.widgets.preference_bar import PreferenceBar
from coderlhf_tui.widgets.score_card import ScoreCard
from coderlhf_tui.widgets.tag_picker import TagPicker
from coderlhf_tui.widgets.test_panel import TestPanel
from coderlhf_tui.workbench.blind import blind_order
from tests.app.pilot_steps import open_pair
from tests.conftest import require_part

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    """Textual runs on asyncio."""
    return "asyncio"


RATIONALE = "Right builds the query by string formatting: injectable, and fails on quotes."


def _docker_ready() -> bool:
    try:
        import docker

        client = docker.from_env()
        client.images.get("coderlhf-toolbox:1")
        return True
    except Exception:
        return False


async def _wait(pilot: Any, condition: Any, timeout: float = 120.0) -> None:
    waited = 0.0
    while not condition():
        await pilot.pause(0.1)
        waited += 0.1
        assert waited < timeout, "timed out waiting for the app"


@pytest.mark.docker
@pytest.mark.xdist_group("docker-app")
async def test_full_flow_with_real_tests_and_scan(workspace: Path, store: Store) -> None:
    require_part(
        "Docker engine with coderlhf-toolbox:1", _docker_ready(), "scripts/services/images.sh"
    )
    require_part(
        "semgrep", shutil.which("semgrep") is not None or Path(".venv/bin/semgrep").exists()
    )
    app = build_app(workspace, "ak", store=store)
    task_id = "py-user-lookup"
    left_key = "b" if blind_order("ak", task_id) == "ba" else "a"
    right_key = "a" if left_key == "b" else "b"
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, QueueScreen)
            await pilot.press("n")  # next unfinished task
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, PairScreen) and screen.pair_task is not None
            assert screen.pair_task.id == task_id

            await pilot.press("t")
            await pilot.pause(0.05)
            assert app.session.in_flight.running("tests", task_id)
            assert screen.check_action("run_tests", ()) is None  # greyed out while running
            await pilot.press("t")  # harmless: no second run starts
            await pilot.press("x")
            in_flight = app.session.in_flight
            await _wait(
                pilot,
                lambda: (
                    not in_flight.running("tests", task_id)
                    and not in_flight.running("scan", task_id)
                ),
            )
            await pilot.pause(0.2)
            assert store.latest_test_run(task_id, "a").verdict is Verdict.FAILED  # type: ignore[union-attr]
            assert store.latest_test_run(task_id, "b").verdict is Verdict.PASSED  # type: ignore[union-attr]
            panel = screen.query_one(f"#test-{'left' if left_key == 'a' else 'right'}", TestPanel)
            assert panel.run is not None and panel.run.verdict is Verdict.FAILED
            assert [f.cwe_id for f in store.latest_findings(task_id, "a")] == ["CWE-89"]
            assert store.latest_findings(task_id, "b") == []

            # scores: left card 4,4,4,4,4 then right card 5 everywhere (right = the task's other)
            await pilot.press("s", "4", "j", "4", "j", "4", "j", "4", "j", "4")
            await pilot.press("s", "5", "j", "5", "j", "5", "j", "5", "j", "5")
            await pilot.press("p", "5")  # right much better
            await pilot.press("r", *RATIONALE, "escape")  # escape leaves the editor
            await pilot.press("g", "down", "down", "down", "down", "space")  # SQL_INJECTION
            await pilot.press("ctrl+s")
            await pilot.pause(0.2)
            # the right response failed its tests and has a CRITICAL finding, yet scored 5:
            # warnings when right is A (the failing, injectable one); accept them
            if right_key == "a":
                assert type(app.screen).__name__ == "ConfirmDialog"
                await pilot.press("y")
                await pilot.pause(0.2)
            assert isinstance(app.screen, PairScreen)
            assert app.screen.pair_task is not None and app.screen.pair_task.id == "py-add"
    finally:
        app.session.checks.close()

    saved = store.get_annotation(task_id, "ak")
    assert saved is not None
    assert saved.status is AnnotationStatus.SUBMITTED
    assert saved.shown_order == blind_order("ak", task_id)
    assert saved.scores[left_key] == dict.fromkeys(saved.scores[left_key], 4)
    assert saved.scores[right_key] == dict.fromkeys(saved.scores[right_key], 5)
    assert len(saved.scores[right_key]) == 5
    expected = Preference.A_MUCH_BETTER if right_key == "a" else Preference.B_MUCH_BETTER
    assert saved.preference is expected
    assert saved.rationale == RATIONALE
    assert saved.tags == ["SQL_INJECTION"]
    assert saved.time_spent_s > 0

    # reopen: a fresh app shows exactly what was entered
    reopened = build_app(workspace, "ak", store=store)
    async with reopened.run_test(size=(160, 48)) as pilot:
        pair = await open_pair(reopened, pilot, task_id)
        assert pair.query_one("#score-left", ScoreCard).scores == saved.scores[left_key]
        assert pair.query_one("#score-right", ScoreCard).scores == saved.scores[right_key]
        assert pair.query_one(PreferenceBar).ordinal == 2
        assert pair.query_one("#rationale-text", TextArea).text == RATIONALE
        assert list(pair.query_one(TagPicker).selected) == ["SQL_INJECTION"]
        panel = pair.query_one(f"#test-{'left' if left_key == 'a' else 'right'}", TestPanel)
        assert panel.run is not None and panel.run.verdict is Verdict.FAILED


async def test_submit_refuses_an_incomplete_annotation(app: CoderlhfApp, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("s", "3", "ctrl+s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PairScreen)
        assert screen.pair_task is not None and screen.pair_task.id == "py-user-lookup"
    saved = store.get_annotation("py-user-lookup", "ak")
    assert saved is not None and saved.status is AnnotationStatus.IN_PROGRESS


async def test_navigation_filters_and_search(app: CoderlhfApp) -> None:
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        await pilot.press("l")  # language: python
        await pilot.pause()
        assert app.session.order == ["py-user-lookup", "py-add"]
        await pilot.press("c", "slash", *"reverse", "enter")
        await pilot.pause(0.4)
        assert app.session.order == ["go-reverse"]
        await pilot.press("c", "enter")  # filters cleared, the cursor stays on go-reverse
        await pilot.pause()
        pair = app.screen
        assert isinstance(pair, PairScreen)
        assert pair.pair_task is not None and pair.pair_task.id == "go-reverse"
        await pilot.press("right_square_bracket")
        assert pair.pair_task.id == "rust-sum"
        await pilot.press("d")  # diff mode on, then the next pair keeps it
        await pilot.press("right_square_bracket")
        assert pair.pair_task.id == "sql-top-users"
        assert pair.diff_mode and pair.query_one(DiffView).row_count() > 0
        assert pair.check_action("next_pair", ()) is None  # the last task: greyed out
        await pilot.press("left_square_bracket", "left_square_bracket", "left_square_bracket")
        assert pair.pair_task.id == "py-add"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)


async def test_narrow_layout_reaches_everything(app: CoderlhfApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PairScreen) and screen.has_class("-narrow")
        assert screen.query_one("#col-left").display and not screen.query_one("#col-right").display
        await pilot.press("v")
        assert screen.query_one("#col-right").display and not screen.query_one("#col-left").display
        await pilot.press("p")  # the scoring panel comes into view when needed
        assert screen.query_one("#pair-side").display
        assert isinstance(app.focused, PreferenceBar)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert type(app.screen).__name__ == "CommandPalette"


async def test_high_contrast_theme_and_remapped_key(workspace: Path, store: Store) -> None:
    import os

    Path(os.environ["CODERLHF_CONFIG"]).write_text(
        "ui:\n  theme: coderlhf-high-contrast\nkeys:\n  pair.diff: ctrl+d\n"
    )
    app = build_app(workspace, "ak", store=store)
    async with app.run_test(size=(160, 48)) as pilot:
        assert app.theme == "coderlhf-high-contrast"
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PairScreen)
        await pilot.press("d")
        assert not screen.diff_mode  # d no longer toggles
        await pilot.press("ctrl+d")
        assert screen.diff_mode
