"""Background sync in the app against a real server on loopback: the app pulls its tasks,
a submit reaches the server and the status line says synced; with the server gone a
change stays queued and the status line says offline with the pending count."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from coderlhf_tui.app import build_app
from coderlhf_tui.screens.pair import PairScreen
from coderlhf_tui.store import Store
from coderlhf_tui.sync.client.login import login
from coderlhf_tui.sync.server.serve import BackgroundServer
from coderlhf_tui.sync.server.settings import ServerSettings
from coderlhf_tui.widgets.status_line import StatusLine
from tests.sync.helpers import make_team, server_annotations

pytestmark = pytest.mark.anyio

RATIONALE = "both add correctly in the cases that matter here"


@pytest.fixture
def anyio_backend() -> str:
    """Textual runs on asyncio."""
    return "asyncio"


async def _wait(pilot: Any, condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    waited = 0.0
    while not condition():
        await pilot.pause(0.1)
        waited += 0.1
        assert waited < timeout, f"timed out waiting for {what}"


def _keys(text: str) -> list[str]:
    return ["space" if ch == " " else ch for ch in text]


async def test_submit_syncs_then_offline_shows_pending(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = make_team(f"sqlite:///{tmp_path / 'server.db'}", tmp_path)
    monkeypatch.setenv("CODERLHF_CONFIG", str(tmp_path / "config.yaml"))
    server = BackgroundServer(ServerSettings(db_url=team.url, auth_failures=10_000)).start()
    ws = tmp_path / "ann1.db"
    store = Store.open(ws)
    try:
        login(server.url, team.tokens["ann1"], store)
        app = build_app(ws, "ann1", store=store)
        assert app.syncer is not None
        async with app.run_test(size=(160, 48)) as pilot:

            def status() -> str:
                return app.screen.query_one(StatusLine).sync

            titles = [command.title for command in app.get_system_commands(app.screen)]
            assert "Sync now" in titles
            await _wait(pilot, lambda: bool(app.session.order), "the first sync to pull tasks")
            await _wait(pilot, lambda: status() == "synced", f"synced (is {status()!r})")
            await pilot.press("n")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, PairScreen) and screen.pair_task is not None
            task_id = screen.pair_task.id
            card = ["3", "j", "3", "j", "3", "j", "3", "j", "3"]
            await pilot.press("s", *card, "s", *card, "p", "3", "r", *_keys(RATIONALE))
            await pilot.press("escape", "ctrl+s")
            await pilot.pause()

            def on_server() -> list[dict[str, Any]]:
                rows = server_annotations(server.url, team.tokens["lead"])
                return [r for r in rows if r["task_id"] == task_id and r["status"] == "submitted"]

            await _wait(pilot, lambda: bool(on_server()), "the submit to reach the server")
            await _wait(pilot, lambda: status() == "synced", f"synced (is {status()!r})")
            assert store.outbox_count() == 0

            server.stop()
            assert isinstance(app.screen, PairScreen)
            await pilot.press("s", "4")  # a change on the next task: queued for the server
            await pilot.pause()
            assert store.outbox_count() >= 1
            await pilot.press("ctrl+y")
            pending = store.outbox_count()
            await _wait(
                pilot,
                lambda: status() == f"offline, {pending} pending",
                f"offline with the pending count (is {status()!r})",
            )
    finally:
        if server.thread.is_alive():
            server.stop()
        store.close()
