"""Evidence provenance: an annotator's pushed claim never becomes another's evidence.

The poisoning scenario over real HTTP, on SQLite and PostgreSQL: annotator ann1 pushes a
fake PASSED run for a response of a task ann2 also holds; ann2 never receives it (not in
the feed, not in the local store, not as a cache hit), while trusted evidence from the
audit worker reaches both, under its own body even when the fake named the same hash.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import inspect, text

from coderlhf_tui.cli import main
from coderlhf_tui.domain import Finding, Severity, TestRun, Verdict
from coderlhf_tui.sync.client import SyncClient
from coderlhf_tui.sync.client.inbound import Applied, apply_page
from coderlhf_tui.sync.server import db
from coderlhf_tui.sync.server.serve import BackgroundServer
from coderlhf_tui.sync.wire.evidence_items import run_evidence, scan_evidence
from tests.sync.helpers import Team, open_store, task_record

SHARED = "py-000"  # k=2 and two Python annotators: ann1 and ann2 both hold every py task
RUN_HASH = "h-shared-run-inputs"
FAKE = TestRun(verdict=Verdict.PASSED, content_hash=RUN_HASH, passed=9, detail="trust me")
REAL = TestRun(verdict=Verdict.FAILED, content_hash=RUN_HASH, failed=1, failing_tests=["t1"])


def _post(server: BackgroundServer, team: Team, who: str, path: str, body: Any) -> httpx.Response:
    return httpx.post(f"{server.url}{path}", json=body, headers=team.headers(who), timeout=30)


def _feed(server: BackgroundServer, team: Team, who: str) -> list[dict[str, Any]]:
    """Every evidence item of ``who``'s whole feed, once each (a page also carries the
    current evidence of the tasks it brings, which may repeat an item of the window)."""
    cursor, evidence = 0, []
    while True:
        page = httpx.get(
            f"{server.url}/v1/sync/pull",
            params={"cursor": cursor, "limit": 1000},
            headers=team.headers(who),
        ).json()
        evidence += page["evidence"]
        cursor = page["cursor"]
        if not page["more"]:
            unique = {json.dumps(item, sort_keys=True): item for item in evidence}
            return list(unique.values())


def test_a_pushed_fake_pass_never_reaches_a_co_annotator(
    team: Team, server: BackgroundServer, tmp_path: Path
) -> None:
    fake = _post(
        server, team, "ann1", "/v1/sync/push", {"evidence": [run_evidence(SHARED, "b", FAKE)]}
    )
    assert fake.status_code == 200 and fake.json()["evidence_stored"] == 1

    assert _feed(server, team, "ann2") == []
    assert _feed(server, team, "lead") == []  # a lead's cache is not poisoned either
    own = _feed(server, team, "ann1")
    assert [(e["test_run"]["verdict"], e["producer"]) for e in own] == [
        ("PASSED", {"name": "ann1", "trusted": False})
    ]
    ann2 = open_store(tmp_path / "ann2.db", "ann2")
    with SyncClient(ann2, server.url, team.tokens["ann2"]) as client:
        assert client.sync().ok
        assert ann2.latest_test_run(SHARED, "b") is None
        assert ann2.cached_test_run(RUN_HASH) is None

        # the lead reviews the claim, labelled, outside the feed
        listed = httpx.get(
            f"{server.url}/v1/tasks/{SHARED}/evidence", headers=team.headers("lead")
        ).json()
        assert [(e["producer"], e["trusted"], e["body"]["verdict"]) for e in listed] == [
            ("ann1", False, "PASSED")
        ]

        # annotators and leads cannot make evidence trusted; the audit worker can
        trusted = {"evidence": [run_evidence(SHARED, "b", REAL)]}
        assert _post(server, team, "ann1", "/v1/audit/evidence", trusted).status_code == 403
        assert _post(server, team, "lead", "/v1/audit/evidence", trusted).status_code == 403
        stored = _post(server, team, "auditor", "/v1/audit/evidence", trusted)
        assert stored.status_code == 200 and stored.json() == {"stored": 1}
        assert _post(server, team, "auditor", "/v1/audit/evidence", trusted).json() == {"stored": 0}

        report = client.sync()
        assert report.ok and report.pulled.evidence == 1
        got = ann2.latest_test_run(SHARED, "b")
        assert got is not None and got.verdict is Verdict.FAILED  # the audit's body, not ann1's
        cached = ann2.cached_test_run(RUN_HASH)
        assert cached is not None and cached.verdict is Verdict.FAILED

        # pushing the fake again changes nothing anyone else receives
        again = _post(
            server, team, "ann1", "/v1/sync/push", {"evidence": [run_evidence(SHARED, "b", FAKE)]}
        )
        assert again.status_code == 200 and again.json()["evidence_stored"] == 0
        assert client.sync().pulled.evidence == 0
    assert [e["test_run"]["verdict"] for e in _feed(server, team, "ann2")] == ["FAILED"]
    assert [e["producer"] for e in _feed(server, team, "ann2")] == [
        {"name": "auditor", "trusted": True}
    ]


def test_evidence_reveals_nothing_of_a_co_annotators_work(
    team: Team, server: BackgroundServer
) -> None:
    scan = scan_evidence(SHARED, "a", [])
    assert _post(server, team, "ann1", "/v1/sync/push", {"evidence": [scan]}).status_code == 200
    # the same body pushed by ann2 counts as new for ann2: no hint that ann1 stored it first
    second = _post(server, team, "ann2", "/v1/sync/push", {"evidence": [scan]})
    assert second.json()["evidence_stored"] == 1
    stored = _post(server, team, "auditor", "/v1/audit/evidence", {"evidence": [scan]})
    assert stored.status_code == 200
    (item,) = _feed(server, team, "ann2")[-1:]
    # no stamp, no sequence number of its own: the item says what, not when
    assert set(item) == {"task_id", "response_key", "kind", "hash", "findings", "producer"}


def test_the_client_applies_only_its_own_or_trusted_evidence(tmp_path: Path) -> None:
    store = open_store(tmp_path / "ann2.db", "ann2")
    page: dict[str, Any] = {
        "cursor": 1,
        "more": False,
        "tasks": [task_record("t-1")],
        "annotations": [],
        "adjudications": [],
        "evidence": [
            {**run_evidence("t-1", "a", FAKE), "producer": {"name": "ann1", "trusted": False}},
            {**run_evidence("t-1", "b", FAKE)},  # no producer: an older server
        ],
    }
    applied = Applied()
    apply_page(store, page, "server ann2", applied, user="ann2")
    assert applied.tasks == 1 and applied.evidence == 0
    assert store.cached_test_run(RUN_HASH) is None
    page["evidence"] = [
        {**run_evidence("t-1", "a", REAL), "producer": {"name": "auditor", "trusted": True}},
        {**run_evidence("t-1", "b", FAKE), "producer": {"name": "ann2", "trusted": False}},
    ]
    apply_page(store, page, "server ann2", applied, user="ann2")
    assert applied.evidence == 2


def test_an_admin_audit_workspace_becomes_trusted_evidence(
    team: Team, server: BackgroundServer, tmp_path: Path, capsys: Any
) -> None:
    audit = open_store(tmp_path / "audit.db", "admin")
    with SyncClient(audit, server.url, team.tokens["admin"]) as client:
        assert client.sync().ok  # the admin's workspace holds every task
    finding = Finding("py.eval", "CWE-95", "Eval injection", Severity.HIGH, 1, 1, "eval")
    audit.save_test_run(SHARED, "a", REAL)
    audit.save_findings(SHARED, "a", "scan-1", [finding])
    audit.close()
    argv = ["server", "evidence", "import", str(tmp_path / "audit.db"), "--db", team.url]
    assert main([*argv, "--producer", "ann1"]) == 2  # an annotator is not a trusted producer
    assert main([*argv, "--producer", "admin", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["stored"] == 2
    got = {(e["kind"], e["producer"]["trusted"]) for e in _feed(server, team, "ann2")}
    assert got == {("test_run", True), ("findings", True)}


def test_an_audit_worker_reads_every_task_without_gold_and_posts_its_runs(
    team: Team, server: BackgroundServer
) -> None:
    after, seen = -1, []
    while True:
        page = httpx.get(
            f"{server.url}/v1/audit/tasks",
            params={"after": after, "limit": 4},
            headers=team.headers("auditor"),
        ).json()
        seen += page["tasks"]
        after = page["after"]
        if not page["more"]:
            break
    lead_view = httpx.get(f"{server.url}/v1/tasks", headers=team.headers("lead")).json()
    assert [t["id"] for t in seen] == [t["id"] for t in lead_view]  # all, in import order
    assert all("gold" not in t for t in seen) and any(t["id"].startswith("gold-") for t in seen)
    items = [scan_evidence(t["id"], "a", []) for t in seen]
    stored = _post(server, team, "auditor", "/v1/audit/evidence", {"evidence": items})
    assert stored.json() == {"stored": len(seen)}
    held = {e["task_id"] for e in _feed(server, team, "ann3")}  # ann3 holds the Go tasks
    assert held and all(task_id.startswith("go-") for task_id in held)


def test_migration_from_unattributed_evidence(db_url: str) -> None:
    engine = db.make_engine(db_url)
    try:
        db.upgrade(engine, "0002")
        with engine.begin() as conn:
            old = "INSERT INTO evidence_bodies(hash, kind, body) VALUES ('h1', 'findings', '[]')"
            conn.execute(text(old))
        db.upgrade(engine)
        tables = set(inspect(engine).get_table_names())
        assert {"evidence_documents", "evidence_records"} <= tables
        assert not {"evidence_bodies", "response_evidence"} & tables
    finally:
        engine.dispose()
