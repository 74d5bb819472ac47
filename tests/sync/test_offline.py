"""Two annotators work offline for a while on separate stores, then sync: nothing lost."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from coderlhf_tui.domain import Preference, TestRun, Verdict
from coderlhf_tui.sync.client import SyncClient
from coderlhf_tui.sync.server.serve import BackgroundServer
from coderlhf_tui.sync.server.settings import ServerSettings
from tests.sync.helpers import Team, new_annotation, open_store, server_annotations


def test_two_offline_annotators_sync_everything(team: Team, tmp_path: Path) -> None:
    settings = ServerSettings(db_url=team.url)
    stores = {name: open_store(tmp_path / f"{name}.db", name) for name in ("ann1", "ann2")}
    with BackgroundServer(settings) as server:
        port = server.port
        for name, store in stores.items():
            with SyncClient(store, server.url, team.tokens[name]) as client:
                assert client.sync().state == "synced"
    url = f"http://127.0.0.1:{port}"
    expected: dict[str, int] = {}
    for name, store in stores.items():  # the server is down: days of offline work
        with SyncClient(store, url, team.tokens[name], timeout=2) as client:
            for task_id in store.task_ids():
                saved = store.save_annotation(new_annotation(task_id, name))
                for step in range(3):
                    saved = store.save_annotation(
                        replace(saved, rationale=f"pass {step}", preference=Preference.B_BETTER)
                    )
                expected[saved.id] = saved.revision
                store.save_test_run(task_id, "a", TestRun(Verdict.PASSED, f"{name}-{task_id}"))
            assert client.sync().state == "offline"
        assert store.outbox_count() == len(store.task_ids())
    with BackgroundServer(settings, port=port) as server:
        for name, store in stores.items():
            with SyncClient(store, server.url, team.tokens[name], batch_items=3) as client:
                report = client.sync()  # one go
            assert report.state == "synced", report
            assert report.applied == len(store.task_ids()) and store.outbox_count() == 0
        on_server = {
            a["id"]: a["revision"] for a in server_annotations(server.url, team.tokens["lead"])
        }
        lead = open_store(tmp_path / "lead.db", "lead")
        with SyncClient(lead, server.url, team.tokens["lead"]) as client:
            assert client.sync().ok
        laptop = open_store(tmp_path / "ann1-laptop.db", "ann1")  # ann1's second machine
        with SyncClient(laptop, server.url, team.tokens["ann1"]) as client:
            assert client.sync().ok
    assert on_server == expected
    assert {a.id: a.revision for a in lead.list_annotations()} == expected
    for name, store in stores.items():  # blind: each store holds its own work only
        assert {a.annotator for a in store.list_annotations()} == {name}
    run = laptop.latest_test_run("py-000", "a")  # the evidence went up with the work
    assert run is not None and run.content_hash == "ann1-py-000"
    assert lead.latest_test_run("py-000", "a") is None  # a claim stays with its producer
