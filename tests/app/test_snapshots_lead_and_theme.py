"""Snapshot tests of the lead screen and of the high-contrast theme (pytest-textual-snapshot),
in the same way as test_snapshots.py: at 80x24 and 160x48, on real workspaces.

The lead screen runs on the quality tests' workspace (the demo tasks judged by three
annotators, one adjudication, a failed test run and a finding); the theme is chosen the way
a user chooses it, in the ``ui`` section of the config file. Update after an intended change
with ``pytest tests/app/test_snapshots_lead_and_theme.py --snapshot-update`` and look at the
SVGs in ``__snapshots__`` before committing them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from textual.pilot import Pilot
from textual.widgets import TextArea

from coderlhf_tui.app import HIGH_CONTRAST, CoderlhfApp, build_app
from coderlhf_tui.screens.lead import LeadScreen
from coderlhf_tui.store import Store
from tests.app.stored_runs_and_findings import store_lookup_runs_and_findings
from tests.app.tasks import sample_tasks
from tests.quality.workspace import demo_workspace

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]
pytestmark = pytest.mark.xdist_group("app-snapshots")


def _stable(app: CoderlhfApp) -> CoderlhfApp:
    app.config_file = "~/.config/coderlhf/config.yaml"  # the real path varies per test run
    return app


@pytest.fixture
def lead_app(tmp_path: Path) -> Iterator[CoderlhfApp]:
    store = demo_workspace(tmp_path / "workspace.db")
    yield _stable(build_app(store.path, "lee", store=store))
    store.close()


@pytest.fixture
def high_contrast_app(tmp_path: Path) -> Iterator[CoderlhfApp]:
    Path(os.environ["CODERLHF_CONFIG"]).write_text(
        yaml.safe_dump({"ui": {"theme": HIGH_CONTRAST.name}}), encoding="utf-8"
    )
    path = tmp_path / "workspace.db"
    store = Store.open(path)
    store.insert_tasks(sample_tasks())
    store_lookup_runs_and_findings(store)
    app = _stable(build_app(path, "ak", store=store))
    assert app.theme == HIGH_CONTRAST.name
    yield app
    store.close()


async def _settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    for area in pilot.app.screen.query(TextArea):
        area.cursor_blink = False
    await pilot.pause(0.2)


async def _open_lead(pilot: Pilot[Any]) -> None:
    await pilot.press("ctrl+l")
    await pilot.pause()
    await _settle(pilot)
    assert isinstance(pilot.app.screen, LeadScreen)


@pytest.mark.parametrize("size", SIZES)
def test_lead_screen(snap_compare: Any, lead_app: CoderlhfApp, size: tuple[int, int]) -> None:
    assert snap_compare(lead_app, terminal_size=size, run_before=_open_lead)


@pytest.mark.parametrize("size", SIZES)
def test_high_contrast_queue(
    snap_compare: Any, high_contrast_app: CoderlhfApp, size: tuple[int, int]
) -> None:
    assert snap_compare(high_contrast_app, terminal_size=size, run_before=_settle)


@pytest.mark.parametrize("size", SIZES)
def test_high_contrast_diff_with_findings(
    snap_compare: Any, high_contrast_app: CoderlhfApp, size: tuple[int, int]
) -> None:
    keys = ["enter", "d", "f"]
    assert snap_compare(high_contrast_app, press=keys, terminal_size=size, run_before=_settle)
