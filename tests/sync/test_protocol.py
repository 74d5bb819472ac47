"""The sync protocol over real HTTP on loopback, on SQLite and on PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import httpx

from coderlhf_tui.domain import Adjudication, Finding, Preference, Severity, TestRun, Verdict
from coderlhf_tui.store import Store
from coderlhf_tui.sync.client import SyncClient
from coderlhf_tui.sync.client.state import sync_state
from coderlhf_tui.sync.server.serve import BackgroundServer
from coderlhf_tui.sync.wire.evidence_items import run_evidence, scan_evidence
from tests.sync.helpers import Team, annotation_wire, new_annotation, open_store


def _push(server: BackgroundServer, team: Team, who: str, body: dict) -> httpx.Response:
    return httpx.post(f"{server.url}/v1/sync/push", json=body, headers=team.headers(who))


def _pull(server: BackgroundServer, team: Team, who: str, cursor: int = 0, limit: int = 500):
    response = httpx.get(
        f"{server.url}/v1/sync/pull",
        params={"cursor": cursor, "limit": limit},
        headers=team.headers(who),
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_push_is_idempotent_and_higher_revision_wins(team: Team, server: BackgroundServer):
    ann = new_annotation("py-000", "ann1", revision=1)
    first = _push(server, team, "ann1", {"annotations": [annotation_wire(ann)]})
    assert first.status_code == 200, first.text
    assert first.json()["results"][0]["outcome"] == "applied"
    replay = _push(server, team, "ann1", {"annotations": [annotation_wire(ann)]})
    assert replay.json()["results"][0]["outcome"] == "duplicate"
    newer = replace(ann, revision=3, rationale="third thoughts")
    older = replace(ann, revision=2, rationale="second thoughts")
    both = _push(
        server, team, "ann1", {"annotations": [annotation_wire(newer), annotation_wire(older)]}
    )
    assert [r["outcome"] for r in both.json()["results"]] == ["applied", "stale"]
    stored = httpx.get(f"{server.url}/v1/annotations/{ann.id}", headers=team.headers("ann1"))
    assert stored.json()["revision"] == 3 and stored.json()["rationale"] == "third thoughts"
    history = httpx.get(
        f"{server.url}/v1/annotations/{ann.id}/history", headers=team.headers("ann1")
    ).json()
    assert [h["revision"] for h in history] == [1, 2, 3]
    page = _pull(server, team, "ann1")
    assert [a["revision"] for a in page["annotations"]] == [3]


def test_second_annotation_of_a_task_is_a_conflict(team: Team, server: BackgroundServer):
    one = new_annotation("py-000", "ann1")
    two = new_annotation("py-000", "ann1")
    answer = _push(
        server, team, "ann1", {"annotations": [annotation_wire(one), annotation_wire(two)]}
    ).json()
    assert [r["outcome"] for r in answer["results"]] == ["applied", "conflict"]
    assert one.id in answer["results"][1]["detail"]


def test_pull_pages_with_a_cursor_and_blinds_annotators(team: Team, server: BackgroundServer):
    whole = _pull(server, team, "ann1")
    assert not whole["more"]
    ids = [t["id"] for t in whole["tasks"]]
    assert ids and all(i.startswith(("py-", "gold-")) for i in ids)
    assert all("gold" not in t for t in whole["tasks"])  # blind to the known answer
    cursor, seen = 0, []
    while True:
        page = _pull(server, team, "ann1", cursor, limit=2)
        seen += [t["id"] for t in page["tasks"]]
        assert len(page["tasks"]) <= 2
        cursor = page["cursor"]
        if not page["more"]:
            break
    assert seen == ids
    assert _pull(server, team, "ann1", cursor)["tasks"] == []
    lead = _pull(server, team, "lead")
    assert any("gold" in t for t in lead["tasks"])
    assert {t["id"] for t in lead["tasks"]} >= set(ids)


def test_evidence_travels_to_its_producers_machines(
    team: Team, server: BackgroundServer, tmp_path: Path
):
    store = open_store(tmp_path / "ann1.db", "ann1")
    with SyncClient(store, server.url, team.tokens["ann1"]) as client:
        assert client.sync().ok  # pulls the assigned tasks
        run = TestRun(verdict=Verdict.FAILED, content_hash="h-run-1", passed=0, failed=1)
        store.save_test_run("py-000", "b", run)
        finding = Finding("py.eval", "CWE-95", "Eval injection", Severity.HIGH, 1, 1, "eval")
        store.save_findings("py-000", "b", "scan-1", [finding])
        store.save_findings("py-000", "a", "scan-2", [])
        store.save_annotation(new_annotation("py-000", "ann1"))
        report = client.sync()
        assert report.ok and report.applied == 1 and report.pending == 0
    other = open_store(tmp_path / "ann1-laptop.db", "ann1")  # ann1's second machine
    with SyncClient(other, server.url, team.tokens["ann1"]) as client:
        report = client.sync()
    assert report.ok and report.pulled.evidence == 3
    assert other.latest_test_run("py-000", "b").verdict is Verdict.FAILED
    assert other.latest_findings("py-000", "b") == [finding]
    assert other.is_scanned("py-000", "a") and other.latest_findings("py-000", "a") == []
    item = run_evidence("py-000", "b", store.latest_test_run("py-000", "b"))  # as pushed
    again = _push(server, team, "ann1", {"evidence": [item, item]}).json()
    assert again["evidence_stored"] == 0
    bad = scan_evidence("py-000", "a", [finding])
    bad["hash"] = "f:0000"
    assert _push(server, team, "ann1", {"evidence": [bad]}).status_code == 422


def test_adjudications_sync_between_leads(team: Team, server: BackgroundServer, tmp_path: Path):
    lead_store = open_store(tmp_path / "lead.db", "lead")
    with SyncClient(lead_store, server.url, team.tokens["lead"]) as client:
        client.sync()
        adj = Adjudication("adj-1", "py-001", "lead", Preference.B_MUCH_BETTER, note="final")
        lead_store.save_adjudication(adj)
        assert client.sync().applied == 1
    admin_store = open_store(tmp_path / "admin.db", "admin")
    with SyncClient(admin_store, server.url, team.tokens["admin"]) as client:
        assert client.sync().pulled.adjudications == 1
    assert [a.id for a in admin_store.list_adjudications("py-001")] == ["adj-1"]
    annotator = _pull(server, team, "ann1")
    assert annotator["adjudications"] == []


def test_sync_state_reports_pending_and_offline(
    team: Team, server: BackgroundServer, tmp_path: Path
):
    store = open_store(tmp_path / "ann2.db", "ann2")
    assert sync_state(store).label == "local"
    with SyncClient(store, server.url, team.tokens["ann2"]) as client:
        assert client.sync().state == "synced"
        assert sync_state(store).label == "synced"
        store.save_annotation(new_annotation("py-000", "ann2"))
        assert sync_state(store).label == "1 pending"
    with SyncClient(store, "http://127.0.0.1:9", team.tokens["ann2"], timeout=2) as dead:
        report = dead.sync()
    assert report.state == "offline" and report.pending == 1
    assert sync_state(store).label == "offline"
    assert isinstance(store, Store)


def test_team_reports_languages_and_years(team: Team, server: BackgroundServer):
    members = httpx.get(f"{server.url}/v1/team", headers=team.headers("lead")).json()
    by_name = {m["name"]: m for m in members}
    assert by_name["ann1"]["years"] == 7 and by_name["ann1"]["languages"] == ["python"]
    assert by_name["ann3"]["languages"] == ["go"] and by_name["ann3"]["assigned"] == 2
    assert "admin" not in by_name
