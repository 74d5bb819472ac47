"""Snapshot tests of every screen at 80x24 and 160x48 (pytest-textual-snapshot).

Update after an intended change with ``pytest tests/app/test_snapshots.py --snapshot-update``
and look at the SVGs in ``__snapshots__`` before committing them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import TextArea

from coderlhf_tui.app import CoderlhfApp, build_app
from coderlhf_tui.domain import Annotation, Preference
from coderlhf_tui.rubric import load_rubric
from coderlhf_tui.store import Store
from coderlhf_tui.workbench.blind import blind_order
from tests.app.stored_runs_and_findings import store_lookup_runs_and_findings
from tests.app.tasks import sample_tasks

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]
pytestmark = pytest.mark.xdist_group("app-snapshots")


@pytest.fixture
def snap_app(tmp_path: Path) -> Iterator[CoderlhfApp]:
    path = tmp_path / "workspace.db"
    store = Store.open(path)
    store.insert_tasks(sample_tasks())
    store_lookup_runs_and_findings(store)
    app = build_app(path, "ak", store=store)
    app.config_file = "~/.config/coderlhf/config.yaml"  # the real path varies per test run
    yield app
    store.close()


def _complete_inconsistent_draft(store: Store) -> None:
    """A finished annotation that contradicts the evidence (A fails but scores 5)."""
    rubric = load_rubric()
    top = dict.fromkeys(rubric.dimension_names, 5)
    low = dict.fromkeys(rubric.dimension_names, 2)
    store.save_annotation(
        Annotation(
            id="snap-ann",
            task_id="py-user-lookup",
            annotator="ak",
            preference=Preference.A_BETTER,
            scores={"a": top, "b": low},
            rationale="A reads well and is short; B has needless type hints everywhere.",
            shown_order=blind_order("ak", "py-user-lookup"),
            rubric_version=rubric.version,
        )
    )


async def _settle(pilot: Pilot[Any]) -> None:
    for area in pilot.app.screen.query(TextArea):
        area.cursor_blink = False
    await pilot.pause(0.2)


@pytest.mark.parametrize("size", SIZES)
def test_queue(snap_compare: Any, snap_app: CoderlhfApp, size: tuple[int, int]) -> None:
    assert snap_compare(snap_app, terminal_size=size, run_before=_settle)


@pytest.mark.parametrize("size", SIZES)
def test_pair(snap_compare: Any, snap_app: CoderlhfApp, size: tuple[int, int]) -> None:
    assert snap_compare(snap_app, press=["enter"], terminal_size=size, run_before=_settle)


@pytest.mark.parametrize("size", SIZES)
def test_pair_right_tab(snap_compare: Any, snap_app: CoderlhfApp, size: tuple[int, int]) -> None:
    """At 80x24 the right response is a tab of its own; at 160x48 `v` does nothing."""
    assert snap_compare(
        snap_app, press=["enter", "v", "c", "j"], terminal_size=size, run_before=_settle
    )


@pytest.mark.parametrize("size", SIZES)
def test_diff_with_findings(
    snap_compare: Any, snap_app: CoderlhfApp, size: tuple[int, int]
) -> None:
    assert snap_compare(snap_app, press=["enter", "d", "f"], terminal_size=size, run_before=_settle)


@pytest.mark.parametrize("size", SIZES)
def test_scoring(snap_compare: Any, snap_app: CoderlhfApp, size: tuple[int, int]) -> None:
    keys = ["enter", "s", "4", "j", "2", "s", "5", "p", "2"]
    assert snap_compare(snap_app, press=keys, terminal_size=size, run_before=_settle)


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare: Any, snap_app: CoderlhfApp, size: tuple[int, int]) -> None:
    assert snap_compare(snap_app, press=["f1"], terminal_size=size, run_before=_settle)


@pytest.mark.parametrize("size", SIZES)
def test_consistency_dialog(
    snap_compare: Any, snap_app: CoderlhfApp, size: tuple[int, int]
) -> None:
    _complete_inconsistent_draft(snap_app.session.store)
    assert snap_compare(snap_app, press=["enter", "ctrl+s"], terminal_size=size, run_before=_settle)
