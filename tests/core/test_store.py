"""The local store: revisions, history, outbox, merges, evidence, migrations."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import pytest

from coderlhf_tui.domain import (
    Adjudication,
    Annotation,
    AnnotationStatus,
    Finding,
    Language,
    Preference,
    Response,
    Severity,
    Task,
    TaskStatus,
    TestRun,
    Verdict,
)
from coderlhf_tui.migrations import MIGRATIONS, SchemaTooNew
from coderlhf_tui.store import Store


def _task(task_id: str, language: Language = Language.PYTHON) -> Task:
    return Task(
        task_id, language, f"prompt of {task_id}", (Response("a", "x = 1"), Response("b", "y = 2"))
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.open(tmp_path / "w.db")
    s.insert_tasks([_task("t-1"), _task("t-2", Language.GO), _task("t-3")])
    return s


def test_wal_and_schema_version(store: Store) -> None:
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(SchemaTooNew):
        Store.open(path)


def test_revisions_history_and_outbox(store: Store) -> None:
    ann = Annotation(str(uuid.uuid4()), "t-1", "ak", preference=Preference.A_BETTER)
    first = store.save_annotation(ann)
    first.rationale = "edited"
    second = store.save_annotation(first)
    assert (first.revision, second.revision) == (1, 2)
    assert second.created_at and second.updated_at >= second.created_at
    history = store.annotation_history(ann.id)
    assert [a.revision for a in history] == [1, 2] and history[0].rationale == ""
    items = store.outbox_items()
    assert len(items) == 1 and items[0].revision == 2 and items[0].payload["rationale"] == "edited"
    store.ack_outbox([items[0].seq])
    assert store.outbox_count() == 0


def test_merge_keeps_the_higher_revision(store: Store) -> None:
    ann = store.save_annotation(Annotation(str(uuid.uuid4()), "t-1", "ak"))
    stale = Annotation(ann.id, "t-1", "ak", revision=1, rationale="stale")
    assert not store.merge_annotation(stale)
    newer = Annotation(ann.id, "t-1", "ak", revision=5, rationale="from server")
    assert store.merge_annotation(newer)
    assert store.annotation_by_id(ann.id).rationale == "from server"  # type: ignore[union-attr]
    assert store.outbox_count() == 0
    assert [a.revision for a in store.annotation_history(ann.id)] == [1, 5]


def test_status_per_annotator_and_needs_sync(store: Store) -> None:
    ann = store.save_annotation(Annotation(str(uuid.uuid4()), "t-1", "ak"))
    ann.status = AnnotationStatus.SUBMITTED
    store.save_annotation(ann)
    store.save_annotation(Annotation(str(uuid.uuid4()), "t-3", "ak"))
    status = {t.id: t.status for t in store.list_tasks(annotator="ak")}
    assert status == {
        "t-1": TaskStatus.SUBMITTED,
        "t-2": TaskStatus.NEW,
        "t-3": TaskStatus.IN_PROGRESS,
    }
    store.set_meta("sync_enabled", "1")
    assert store.list_tasks(annotator="ak", status="needs_sync")[0].id == "t-1"
    assert store.list_tasks(annotator="someone-else", status="new")[0].id == "t-1"
    assert [t.id for t in store.list_tasks(language="go")] == ["t-2"]
    assert [t.id for t in store.list_tasks(search="of t-3")] == ["t-3"]


def test_test_runs_and_findings_are_cached_by_hash(store: Store) -> None:
    run = TestRun(Verdict.FAILED, content_hash="h1", passed=2, failed=1, failing_tests=["test_x"])
    store.save_test_run("t-1", "a", run)
    assert store.cached_test_run("h1").failing_tests == ["test_x"]  # type: ignore[union-attr]
    assert store.latest_test_run("t-1", "a").verdict is Verdict.FAILED  # type: ignore[union-attr]
    assert store.cached_test_run("nope") is None and store.latest_test_run("t-1", "b") is None
    finding = Finding(
        "py.sqli", "CWE-89", "SQL Injection", Severity.HIGH, 3, 4, "query built from input"
    )
    assert store.cached_findings("s1") is None
    store.save_findings("t-1", "b", "s1", [finding])
    store.save_findings("t-1", "a", "s2", [])
    assert store.cached_findings("s2") == [] and store.is_scanned("t-1", "a")
    assert store.latest_findings("t-1", "b") == [finding]
    row = store.list_tasks()[0]
    assert (row.verdict_a, row.findings_a, row.findings_b) == ("FAILED", 0, 1)


def test_adjudications_are_stored_and_queued(store: Store) -> None:
    adj = store.save_adjudication(
        Adjudication(str(uuid.uuid4()), "t-1", "lead", Preference.B_BETTER, note="B is right")
    )
    assert store.list_adjudications("t-1") == [adj]
    assert store.outbox_items()[0].kind == "adjudication"
    assert not store.merge_adjudication(adj)


def test_a_failed_transaction_leaves_nothing(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        store.insert_tasks([_task("new-1"), _task("t-1")])
    assert store.existing_task_ids(["new-1"]) == set()


def test_iter_tasks_pages_through_everything(tmp_path: Path) -> None:
    with Store.open(tmp_path / "big.db") as s:
        s.insert_tasks(
            _task(f"t-{i:04d}", Language.GO if i % 3 else Language.C) for i in range(1234)
        )
        assert sum(1 for _ in s.iter_tasks()) == 1234
        c_tasks = list(s.iter_tasks("c"))
        assert len(c_tasks) == s.count_tasks("c") == 412
        assert c_tasks[0].responses[1].code == "y = 2"
