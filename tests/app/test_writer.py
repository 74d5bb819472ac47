"""Saves never block the screen: while another process holds the workspace's write lock,
scoring keys are answered at once, the changes wait in the writer thread, and they all
reach the store (in order, as one annotation) once the lock is released; a scan waiting
to store its findings waits on a connection of its own, not the screen's."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import replace
from pathlib import Path

import pytest
from textual.pilot import Pilot

from coderlhf_tui.app import CoderlhfApp
from coderlhf_tui.scan.semgrep import semgrep_binary
from coderlhf_tui.screens.pair import PairScreen
from coderlhf_tui.store import Store
from coderlhf_tui.workbench.writer import AnnotationWriter
from tests.conftest import require_part
from tests.sync.helpers import new_annotation

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    """Textual runs on asyncio."""
    return "asyncio"


async def _open_first_pair(pilot: Pilot[None], app: CoderlhfApp) -> str:
    """Open the queue's first task; its id."""
    await pilot.press("enter")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, PairScreen) and screen.pair_task is not None
    return screen.pair_task.id


async def test_scores_while_another_process_holds_the_write_lock(
    app: CoderlhfApp, workspace: Path, store: Store
) -> None:
    other = sqlite3.connect(workspace, isolation_level=None)
    async with app.run_test(size=(160, 48)) as pilot:
        task_id = await _open_first_pair(pilot, app)
        other.execute("BEGIN IMMEDIATE")  # as a long export or sync in another terminal
        try:
            started = time.monotonic()
            await pilot.press("s", "4", "j", "3", "j", "2", "p", "1")
            await pilot.pause()
            # a save on the UI thread would wait out the 30 s busy timeout, then fail
            assert time.monotonic() - started < 15.0, "the screen waited for the lock"
            assert store.get_annotation(task_id, "ak") is None
            unsaved = app.session.unsaved(task_id)
            assert unsaved is not None and unsaved.preference is not None
        finally:
            other.execute("ROLLBACK")
        assert app.session.flush_writes(timeout=30)
        saved = store.get_annotation(task_id, "ak")
        assert saved is not None and saved.preference is not None
        assert sorted(next(iter(saved.scores.values())).values()) == [2, 3, 4]
    other.close()


def test_writer_coalesces_and_keeps_order(workspace: Path, store: Store) -> None:
    writer = AnnotationWriter(workspace)
    other = sqlite3.connect(workspace, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    first = new_annotation("py-add", "ak", rationale="one")
    second = new_annotation("go-reverse", "ak", rationale="two")
    try:
        writer.save(first)
        time.sleep(0.2)  # the thread now waits for the lock with `first` in hand
        for n in range(50):
            writer.save(replace(second, rationale=f"two {n}"))
        assert not writer.flush(timeout=0.5)
        assert writer.pending_for("go-reverse", "ak").rationale == "two 49"  # type: ignore[union-attr]
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert writer.close(timeout=30)
    assert store.get_annotation("py-add", "ak").rationale == "one"  # type: ignore[union-attr]
    latest = store.get_annotation("go-reverse", "ak")
    assert latest is not None and latest.rationale == "two 49"
    assert len(store.annotation_history(latest.id)) == 1, "waiting copies collapse into one"


@pytest.mark.xdist_group("semgrep")
async def test_a_scan_waiting_for_the_write_lock_leaves_the_screen_free(
    app: CoderlhfApp, workspace: Path, store: Store
) -> None:
    require_part("semgrep", semgrep_binary() is not None, "pip install semgrep")
    other = sqlite3.connect(workspace, isolation_level=None)
    async with app.run_test(size=(160, 48)) as pilot:
        task_id = await _open_first_pair(pilot, app)
        other.execute("BEGIN IMMEDIATE")  # held while the scan wants to store its findings
        try:
            await pilot.press("x")
            slowest, started = 0.0, time.monotonic()
            while time.monotonic() - started < 8.0:  # semgrep is done long before the end
                began = time.monotonic()
                await pilot.press("down")
                assert app.session.store.get_task(task_id) is not None  # as the screen reads
                slowest = max(slowest, time.monotonic() - began)
                await pilot.pause(0.2)
            assert app.session.in_flight.running("scan", task_id), "the scan waits for the lock"
            assert slowest < 2.0, f"the screen waited {slowest:.1f} s for the lock"
        finally:
            other.execute("ROLLBACK")
        while app.session.in_flight.running("scan", task_id):
            await pilot.pause(0.2)
        assert store.is_scanned(task_id, "a") and store.is_scanned(task_id, "b")
    other.close()
