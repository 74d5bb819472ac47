"""The issue's "done when", from the keyboard: in the demo's rate limiter pair, mark a range,
categorise it, accept one finding and dispute another, submit, reopen exactly, sync to a
real server on loopback (the lead pulls it), export from the lead's workspace."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from coderlhf_tui.app import build_app
from coderlhf_tui.demo import demo_tasks_path
from coderlhf_tui.domain import AnnotationStatus, Finding, FindingVerdict, Severity
from coderlhf_tui.export.formats import get_format
from coderlhf_tui.export.pipeline import ExportOptions, run_export
from coderlhf_tui.rubric import load_rubric
from coderlhf_tui.screens.pair import PairScreen
from coderlhf_tui.store import Store
from coderlhf_tui.sync.client import SyncClient
from coderlhf_tui.sync.server import accounts, assign
from coderlhf_tui.sync.server.db import make_engine, upgrade
from coderlhf_tui.sync.server.serve import BackgroundServer
from coderlhf_tui.sync.server.settings import ServerSettings
from coderlhf_tui.sync.server.tasks_import import import_task_file
from coderlhf_tui.widgets.code_pane import CodePane
from coderlhf_tui.widgets.comment_editor import CommentEditor
from coderlhf_tui.widgets.comments_panel import CommentsPanel
from coderlhf_tui.workbench.blind import blind_order
from tests.critiques.helpers import RATE_LIMITER, demo_store

pytestmark = pytest.mark.anyio

RATIONALE = "A never resets its window, so it blocks forever; B refills a token bucket."
LIMITER_RULE = "py.demo-global-counter"
OTHER_RULE = "py.demo-sleep-in-lock"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def server_engine(path: Path) -> Engine:
    """A fresh server database (SQLite) at ``path``."""
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    return engine


async def test_mark_judge_submit_reopen_export(tmp_path: Path) -> None:
    db = tmp_path / "ws.db"
    store = demo_store(db)
    # scanner evidence as the scan stores it: one finding per response
    store.save_findings(
        RATE_LIMITER,
        "a",
        "scan-a",
        [
            Finding(LIMITER_RULE, "CWE-770", "No limits", Severity.MEDIUM, 2, 2, "global counter"),
        ],
    )
    store.save_findings(
        RATE_LIMITER,
        "b",
        "scan-b",
        [
            Finding(OTHER_RULE, "CWE-400", "Resource", Severity.LOW, 3, 3, "sleep under lock"),
        ],
    )
    left_key = "a" if blind_order("ak", RATE_LIMITER) == "ab" else "b"
    a_side = "left" if left_key == "a" else "right"
    app = build_app(db, "ak", store=store)
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause()
            app.open_pair(RATE_LIMITER)
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, PairScreen)
            if a_side == "right":
                await pilot.press("c")  # the other pane: A's
            pane = screen.query_one(f"#code-{a_side}", CodePane)
            assert screen.focused is pane
            # mark lines 3-5 of A, comment: correctness bug, HIGH
            await pilot.press("home", "j", "j", "m", "j", "j", "m")
            await pilot.pause()
            assert screen.query_one(CommentEditor).is_open
            await pilot.press("shift+up", *"no time window", "ctrl+s")
            await pilot.pause()
            assert app.screen is screen and pane.comment_on(a_side, 4) is not None
            # accept A's finding on line 2
            await pilot.press("home", "j", "plus")
            # dispute B's finding on line 3 (the other pane)
            await pilot.press("c")
            await pilot.press("home", "j", "j", "minus")
            await pilot.pause()
            panel = screen.query_one(CommentsPanel)
            assert panel.comment_count == 3
            # score, prefer B, rationale, submit
            await pilot.press("s", *"2j2j2j2j2")
            await pilot.press("s", *"5j5j5j5j5")
            preference = "1" if left_key == "b" else "5"  # B much better
            await pilot.press("p", preference, "r", *RATIONALE, "escape", "ctrl+s")
            await pilot.pause(0.2)
            if type(app.screen).__name__ == "ConfirmDialog":
                await pilot.press("y")
                await pilot.pause(0.2)
    finally:
        app.session.checks.close()

    saved = store.get_annotation(RATE_LIMITER, "ak")
    assert saved is not None and saved.status is AnnotationStatus.SUBMITTED
    by_rule = {c.rule_id: c for c in saved.comments}
    code_a = store.get_task(RATE_LIMITER).response("a").code.splitlines()  # type: ignore[union-attr]
    range_comment = by_rule[None]
    assert (range_comment.response, range_comment.start_line, range_comment.end_line) == ("a", 3, 5)
    assert range_comment.category == "correctness_bug" and range_comment.severity is Severity.HIGH
    assert range_comment.text == "no time window"
    assert range_comment.quote == "\n".join(code_a[2:5])
    assert by_rule[LIMITER_RULE].verdict is FindingVerdict.AGREE
    assert by_rule[LIMITER_RULE].category == load_rubric().finding_category
    assert (by_rule[OTHER_RULE].response, by_rule[OTHER_RULE].verdict) == (
        "b",
        FindingVerdict.DISPUTE,
    )

    # reopen: a fresh app shows exactly the same comments and markers
    reopened = build_app(db, "ak", store=store)
    try:
        async with reopened.run_test(size=(160, 48)) as pilot:
            await pilot.pause()
            reopened.open_pair(RATE_LIMITER)
            await pilot.pause()
            screen = reopened.screen
            assert isinstance(screen, PairScreen) and screen.draft is not None
            assert screen.draft.annotation.comments == saved.comments
            assert screen.query_one(CommentsPanel).comment_count == 3
            pane = screen.query_one(f"#code-{a_side}", CodePane)
            assert [line for line in range(1, 10) if pane.comment_on(a_side, line)] == [2, 3, 4, 5]
    finally:
        reopened.session.checks.close()

    # sync: the lead's workspace receives the comments with the annotation
    server_db = server_engine(tmp_path / "server.db")
    _, ak_token = accounts.create_user(server_db, "ak", "annotator", "python", 5)
    _, lead_token = accounts.create_user(server_db, "lead", "lead", "python", 10)
    assert not import_task_file(server_db, demo_tasks_path()).errors
    assign.assign(server_db, k=1, gold_rate=0.9)  # the rate limiter is a gold task
    lead_db = tmp_path / "lead.db"
    with BackgroundServer(ServerSettings(db_url=f"sqlite:///{tmp_path / 'server.db'}")) as server:
        with SyncClient(store, server.url, ak_token) as client:
            report = client.sync()
            assert report.state == "synced", report
        with Store.open(lead_db) as lead, SyncClient(lead, server.url, lead_token) as client:
            assert client.sync().ok
            pulled = lead.get_annotation(RATE_LIMITER, "ak")
            assert pulled is not None and pulled.comments == saved.comments

    # export (from the lead's workspace): the range and the accepted finding, not the dispute
    folder = tmp_path / "critiques"
    run_export(
        lead_db, get_format("critiques"), folder, load_rubric(), ExportOptions(test_fraction=0)
    )
    records = [json.loads(x) for x in (folder / "train.jsonl").read_text().splitlines()]
    found = sorted(((r["line"], r["start_line"], r["rule_id"]) for r in records), key=str)
    assert found == [(2, None, LIMITER_RULE), (5, 3, None)]
