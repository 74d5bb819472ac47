"""The local workspace store: one SQLite file per workspace (schema through migrations.py).

Offline-first means this file is the annotator's truth: every write is one transaction,
annotations are saved on every change with an append-only revision history, and an
outbox remembers what the server has not acknowledged yet. WAL mode with
``synchronous=NORMAL`` keeps each commit durable against a killed process (the WAL is
written before COMMIT returns) while keeping autosave cheap enough for every keystroke.
The API is documented in docs/STORE_API.md.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from itertools import chain
from pathlib import Path
from typing import Any

from coderlhf_tui.clock import utc_now as utc_now  # re-exported: callers import it from here
from coderlhf_tui.config import default_db_path
from coderlhf_tui.domain import (
    Adjudication,
    Annotation,
    AnnotationStatus,
    Finding,
    ResponseKey,
    Severity,
    Task,
    TaskStatus,
    TestRun,
)
from coderlhf_tui.migrations import migrate
from coderlhf_tui.search_index import index_new_tasks
from coderlhf_tui.search_index import search as search_tasks
from coderlhf_tui.serialize import (
    adjudication_from_dict,
    adjudication_to_dict,
    annotation_from_dict,
    annotation_to_dict,
    finding_from_dict,
    finding_to_dict,
    task_from_dict,
    test_run_from_dict,
    test_run_to_dict,
)
from coderlhf_tui.task_rows import NewTask, rows_of_task

INSERT_CHUNK = 2000
"""Tasks are inserted in chunks of this many rows (memory stays flat on big imports)."""


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)
"""Made once: ``json.dumps`` with options builds an encoder per call (a third of an
import's JSON writing)."""


def _dumps(value: Any) -> str:
    return _ENCODER.encode(value)


ROWS_PER_INSERT = 100
"""Rows per INSERT statement when new tasks are stored: one statement with many VALUES
rows costs SQLite and the sqlite3 module less per row than ``executemany`` stepping one
statement per row (about 2 us per task of an import, issue 18 part 4)."""


def _insert_rows(conn: sqlite3.Connection, head: str, rows: Sequence[tuple[Any, ...]]) -> None:
    """``head`` (``INSERT INTO t(columns)``) for every row, in order, ROWS_PER_INSERT a time."""
    if not rows:
        return
    marks = "(" + ",".join("?" * len(rows[0])) + ")"
    whole = len(rows) - len(rows) % ROWS_PER_INSERT
    if whole:
        conn.executemany(
            f"{head} VALUES {','.join([marks] * ROWS_PER_INSERT)}",
            [
                tuple(chain.from_iterable(rows[start : start + ROWS_PER_INSERT]))
                for start in range(0, whole, ROWS_PER_INSERT)
            ],
        )
    if whole < len(rows):
        rest = rows[whole:]
        conn.execute(
            f"{head} VALUES {','.join([marks] * len(rest))}", tuple(chain.from_iterable(rest))
        )


@dataclass(frozen=True, slots=True)
class TaskSummary:
    """One row of the task queue: enough to list and filter without loading the code."""

    id: str
    language: str
    task_type: str | None
    status: TaskStatus
    prompt_head: str
    is_gold: bool
    verdict_a: str | None = None
    verdict_b: str | None = None
    findings_a: int | None = None
    findings_b: int | None = None
    n_responses: int = 2
    """More than two: a ranked task (its other responses' evidence is not summarised here)."""
    match_field: str | None = None
    """With a search: the part of the task that matched ('code B', 'rationale (ak)')."""
    match_snippet: str | None = None
    """With a search: the matched text in context, the match between « and »."""


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """A local change the server has not acknowledged yet."""

    seq: int
    kind: str
    ref_id: str
    revision: int
    payload: dict[str, Any]


class Store:
    """A workspace database. Thread-safe: one connection guarded by a re-entrant lock."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(
            str(path), isolation_level=None, check_same_thread=False, timeout=30.0
        )
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=30000")
        self.conn = conn
        self._lock = threading.RLock()
        self._depth = 0
        with self.transaction():
            migrate(conn)

    @classmethod
    def open(cls, path: Path | str | None = None) -> Store:
        """Open (creating and migrating as needed) the workspace at ``path``."""
        return cls(Path(path) if path is not None else default_db_path())

    def close(self) -> None:
        """Close the connection; the file stays consistent at every point anyway."""
        with self._lock:
            self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions -------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE .. COMMIT``; nested calls join the outer transaction."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self.conn
                finally:
                    self._depth -= 1
                return
            self.conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")
            finally:
                self._depth = 0

    @contextmanager
    def foreign_keys_unchecked(self) -> Iterator[None]:
        """Foreign keys not checked in this block: for an import, whose rows are consistent
        by construction (each response row is made with its task's row and inserted after
        it), where the check cost one index lookup per response. Holds the store's lock;
        inside a transaction SQLite leaves the setting as it was (checks stay on)."""
        with self._lock:
            self.conn.execute("PRAGMA foreign_keys=OFF")
            try:
                yield
            finally:
                self.conn.execute("PRAGMA foreign_keys=ON")

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            cursor = self.conn.execute(sql, params)
            cursor.row_factory = sqlite3.Row
            return list(cursor.fetchall())

    # -- meta -----------------------------------------------------------------------------

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        """A workspace setting (e.g. the current annotator), or ``default``."""
        rows = self._query("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0]["value"]) if rows else default

    def set_meta(self, key: str, value: str) -> None:
        """Store a workspace setting."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO meta(key, value) VALUES(?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # -- tasks ----------------------------------------------------------------------------

    def insert_tasks(self, tasks: Iterable[Task]) -> int:
        """Insert new tasks in one transaction (a duplicate id aborts the whole insert)."""
        now = utc_now()
        return self.insert_task_rows(rows_of_task(task, now) for task in tasks)

    def insert_task_rows(self, tasks: Iterable[NewTask]) -> int:
        """Insert new tasks given as their rows (``task_rows``), as ``insert_tasks`` does:
        what an import's fast path builds without making a ``Task``."""
        count = 0
        with self.transaction() as conn:
            chunk: list[NewTask] = []
            for task in tasks:
                chunk.append(task)
                if len(chunk) >= INSERT_CHUNK:
                    count += self._insert_chunk(conn, chunk)
                    chunk = []
            if chunk:
                count += self._insert_chunk(conn, chunk)
        return count

    @staticmethod
    def _insert_chunk(conn: sqlite3.Connection, tasks: list[NewTask]) -> int:
        task_rows = [task for task, _ in tasks]
        response_rows = [response for _, responses in tasks for response in responses]
        _insert_rows(
            conn,
            "INSERT INTO tasks(id, language, task_type, prompt, tests, gold, metadata, is_gold,"
            " imported_at, n_responses)",
            task_rows,
        )
        _insert_rows(
            conn, "INSERT INTO responses(task_id, key, response_id, model, code)", response_rows
        )
        index_new_tasks(
            conn,
            [(row[0], row[3]) for row in task_rows],
            [(row[0], row[1], row[4]) for row in response_rows],
        )
        return len(task_rows)

    def existing_task_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` are already in the store."""
        wanted = list(ids)
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            batch = wanted[start : start + 500]
            marks = ",".join("?" * len(batch))
            rows = self._query(f"SELECT id FROM tasks WHERE id IN ({marks})", batch)
            found.update(row["id"] for row in rows)
        return found

    def _task_from_row(self, row: sqlite3.Row, responses: list[sqlite3.Row]) -> Task:
        data: dict[str, Any] = {
            "id": row["id"],
            "language": row["language"],
            "prompt": row["prompt"],
            "task_type": row["task_type"],
            "responses": [
                {"id": r["response_id"], "code": r["code"], "model": r["model"]}
                for r in sorted(responses, key=lambda r: str(r["key"]))
            ],
        }
        for column in ("tests", "gold", "metadata"):
            if row[column]:
                data[column] = json.loads(row[column])
        return task_from_dict(data)

    def get_task(self, task_id: str) -> Task | None:
        """One task with its responses, or None."""
        rows = self._query("SELECT * FROM tasks WHERE id = ?", (task_id,))
        if not rows:
            return None
        responses = self._query("SELECT * FROM responses WHERE task_id = ?", (task_id,))
        return self._task_from_row(rows[0], responses)

    def iter_tasks(self, language: str | None = None) -> Iterator[Task]:
        """Every task in import order, optionally of one language, read in pages."""
        last = 0
        while True:
            where = "rowid > ?" + (" AND language = ?" if language else "")
            params: list[Any] = [last] + ([language] if language else [])
            rows = self._query(
                f"SELECT rowid AS _rowid, * FROM tasks WHERE {where} ORDER BY rowid LIMIT 500",
                params,
            )
            if not rows:
                return
            ids = [row["id"] for row in rows]
            marks = ",".join("?" * len(ids))
            by_task: dict[str, list[sqlite3.Row]] = {}
            for response in self._query(f"SELECT * FROM responses WHERE task_id IN ({marks})", ids):
                by_task.setdefault(response["task_id"], []).append(response)
            for row in rows:
                yield self._task_from_row(row, by_task.get(row["id"], []))
            last = rows[-1]["_rowid"]

    def response_counts(self, ids: Iterable[str]) -> dict[str, int]:
        """How many responses each of ``ids`` has (ids not in the store are left out)."""
        wanted = list(ids)
        counts: dict[str, int] = {}
        for start in range(0, len(wanted), 500):
            batch = wanted[start : start + 500]
            marks = ",".join("?" * len(batch))
            for row in self._query(
                f"SELECT id, n_responses FROM tasks WHERE id IN ({marks})", batch
            ):
                counts[row["id"]] = int(row["n_responses"])
        return counts

    def response_evidence(self) -> list[tuple[str, str, int, int, int, int, int]]:
        """Per (language, model): responses, tested, passed, scanned, with findings.

        From each response's latest run and scan; "tested" leaves out NO_TESTS and
        INTERNAL_ERROR, responses without a model are left out. Summed here rather
        than row by row in Python: the leaderboard's pass and finding rates need only
        these totals, and 100,000 per-response rows cost more than the whole fit.
        """
        rows = self._query(
            "SELECT t.language, r.model, count(*),"
            " coalesce(sum(tr.verdict NOT IN ('NO_TESTS', 'INTERNAL_ERROR')), 0),"
            " coalesce(sum(tr.verdict = 'PASSED'), 0),"
            " count(s.finding_count), coalesce(sum(s.finding_count > 0), 0)"
            " FROM responses r JOIN tasks t ON t.id = r.task_id"
            " LEFT JOIN response_test_runs x ON x.task_id = r.task_id AND x.key = r.key"
            " LEFT JOIN test_runs tr ON tr.content_hash = x.content_hash"
            " LEFT JOIN response_scans s ON s.task_id = r.task_id AND s.key = r.key"
            " WHERE r.model <> '' GROUP BY t.language, r.model"
        )
        return [tuple(row) for row in rows]

    def task_ids(self) -> list[str]:
        """Every task id in import order."""
        return [row["id"] for row in self._query("SELECT id FROM tasks ORDER BY rowid")]

    def count_tasks(self, language: str | None = None) -> int:
        """How many tasks the workspace holds (of one language)."""
        if language:
            rows = self._query("SELECT count(*) AS n FROM tasks WHERE language = ?", (language,))
        else:
            rows = self._query("SELECT count(*) AS n FROM tasks")
        return int(rows[0]["n"])

    def list_tasks(
        self,
        language: str | None = None,
        status: str | TaskStatus | None = None,
        search: str | None = None,
        annotator: str | None = None,
        limit: int | None = None,
    ) -> list[TaskSummary]:
        """The queue: tasks with their status for ``annotator`` and their evidence summary.

        Without an annotator the most advanced annotation of anyone counts. A submitted
        annotation whose change is still in the outbox is ``needs_sync`` once the workspace
        syncs with a server (meta ``sync_enabled`` = "1").
        """
        annotator_clause = "AND a.annotator = :annotator" if annotator else ""
        search_clause = "AND t.id IN (SELECT value FROM json_each(:search))" if search else ""
        sql = f"""
            SELECT t.id, t.language, t.task_type, substr(t.prompt, 1, 200) AS prompt_head,
                   t.is_gold,
                   (SELECT max(CASE a.status WHEN 'submitted' THEN 2 ELSE 1 END)
                      FROM annotations a WHERE a.task_id = t.id {annotator_clause}) AS progress,
                   (SELECT count(*) FROM outbox o JOIN annotations a
                      ON o.kind = 'annotation' AND o.ref_id = a.id
                      WHERE a.task_id = t.id {annotator_clause}) AS pending,
                   (SELECT r.verdict FROM response_test_runs x JOIN test_runs r
                      ON r.content_hash = x.content_hash
                      WHERE x.task_id = t.id AND x.key = 'a') AS verdict_a,
                   (SELECT r.verdict FROM response_test_runs x JOIN test_runs r
                      ON r.content_hash = x.content_hash
                      WHERE x.task_id = t.id AND x.key = 'b') AS verdict_b,
                   (SELECT s.finding_count FROM response_scans s
                      WHERE s.task_id = t.id AND s.key = 'a') AS findings_a,
                   (SELECT s.finding_count FROM response_scans s
                      WHERE s.task_id = t.id AND s.key = 'b') AS findings_b,
                   t.n_responses
              FROM tasks t
             WHERE (:language IS NULL OR t.language = :language)
               {search_clause}
             ORDER BY t.rowid
        """
        with self._lock:
            hits = search_tasks(self.conn, search) if search else {}
        params = {
            "language": language,
            "search": json.dumps(list(hits)) if search else None,
            "annotator": annotator,
        }
        sync_enabled = self.get_meta("sync_enabled") == "1"
        wanted = TaskStatus(status) if status else None
        out: list[TaskSummary] = []
        for row in self._query(sql, params):  # type: ignore[arg-type]
            task_status = _status_of(row["progress"], row["pending"], sync_enabled)
            if wanted is not None and task_status is not wanted:
                continue
            out.append(
                TaskSummary(
                    id=row["id"],
                    language=row["language"],
                    task_type=row["task_type"],
                    status=task_status,
                    prompt_head=row["prompt_head"],
                    is_gold=bool(row["is_gold"]),
                    verdict_a=row["verdict_a"],
                    verdict_b=row["verdict_b"],
                    findings_a=row["findings_a"],
                    findings_b=row["findings_b"],
                    n_responses=int(row["n_responses"]),
                    match_field=hits[row["id"]].label if search else None,
                    match_snippet=hits[row["id"]].snippet if search else None,
                )
            )
            if limit is not None and len(out) >= limit:
                break
        return out

    # -- annotations ------------------------------------------------------------------------

    def save_annotation(self, annotation: Annotation) -> Annotation:
        """Save a local change: the next revision, its history row and an outbox entry."""
        with self.transaction() as conn:
            rows = self._query(
                "SELECT revision, body FROM annotations WHERE id = ?", (annotation.id,)
            )
            now = utc_now()
            created = annotation.created_at
            if rows:
                created = json.loads(rows[0]["body"]).get("created_at") or created
            saved = replace(
                annotation,
                revision=(int(rows[0]["revision"]) + 1) if rows else 1,
                created_at=created or now,
                updated_at=now,
            )
            self._write_annotation(conn, saved)
            payload = annotation_to_dict(saved)
            conn.execute("DELETE FROM outbox WHERE kind = 'annotation' AND ref_id = ?", (saved.id,))
            conn.execute(
                "INSERT INTO outbox(kind, ref_id, revision, payload, created_at)"
                " VALUES ('annotation', ?, ?, ?, ?)",
                (saved.id, saved.revision, _dumps(payload), now),
            )
        return saved

    def merge_annotation(self, annotation: Annotation) -> bool:
        """Store a remote or imported copy if it is newer (higher revision) than ours."""
        with self.transaction() as conn:
            rows = self._query("SELECT revision FROM annotations WHERE id = ?", (annotation.id,))
            if rows and int(rows[0]["revision"]) >= annotation.revision:
                return False
            self._write_annotation(conn, annotation)
            conn.execute(
                "DELETE FROM outbox WHERE kind = 'annotation' AND ref_id = ? AND revision <= ?",
                (annotation.id, annotation.revision),
            )
            return True

    def _write_annotation(self, conn: sqlite3.Connection, annotation: Annotation) -> None:
        body = _dumps(annotation_to_dict(annotation))
        conn.execute(
            "INSERT INTO annotations(id, task_id, annotator, revision, status, body, updated_at)"
            " VALUES (?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET"
            " task_id=excluded.task_id, annotator=excluded.annotator,"
            " revision=excluded.revision, status=excluded.status, body=excluded.body,"
            " updated_at=excluded.updated_at",
            (
                annotation.id,
                annotation.task_id,
                annotation.annotator,
                annotation.revision,
                annotation.status.value,
                body,
                annotation.updated_at,
            ),
        )
        conn.execute(
            "INSERT OR IGNORE INTO annotation_revisions(annotation_id, revision, body, recorded_at)"
            " VALUES (?,?,?,?)",
            (annotation.id, annotation.revision, body, utc_now()),
        )

    def get_annotation(self, task_id: str, annotator: str) -> Annotation | None:
        """This annotator's annotation of this task (the latest, if several)."""
        rows = self._query(
            "SELECT body FROM annotations WHERE task_id = ? AND annotator = ?"
            " ORDER BY updated_at DESC LIMIT 1",
            (task_id, annotator),
        )
        return annotation_from_dict(json.loads(rows[0]["body"])) if rows else None

    def annotation_by_id(self, annotation_id: str) -> Annotation | None:
        """One annotation by its UUID."""
        rows = self._query("SELECT body FROM annotations WHERE id = ?", (annotation_id,))
        return annotation_from_dict(json.loads(rows[0]["body"])) if rows else None

    def list_annotations(
        self,
        task_id: str | None = None,
        annotator: str | None = None,
        status: str | AnnotationStatus | None = None,
    ) -> list[Annotation]:
        """Current annotations, filtered; in task then annotator order."""
        clauses, params = [], []
        for column, value in (("task_id", task_id), ("annotator", annotator)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        if status is not None:
            clauses.append("status = ?")
            params.append(AnnotationStatus(status).value)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        rows = self._query(
            f"SELECT body FROM annotations {where} ORDER BY task_id, annotator, id", params
        )
        return [annotation_from_dict(json.loads(row["body"])) for row in rows]

    def annotation_history(self, annotation_id: str) -> list[Annotation]:
        """Every stored revision of one annotation, oldest first."""
        rows = self._query(
            "SELECT body FROM annotation_revisions WHERE annotation_id = ? ORDER BY revision",
            (annotation_id,),
        )
        return [annotation_from_dict(json.loads(row["body"])) for row in rows]

    # -- adjudications -----------------------------------------------------------------------

    def save_adjudication(self, adjudication: Adjudication) -> Adjudication:
        """Store a lead's decision and queue it for sync."""
        saved = replace(adjudication, created_at=adjudication.created_at or utc_now())
        with self.transaction() as conn:
            self._write_adjudication(conn, saved)
            conn.execute(
                "DELETE FROM outbox WHERE kind = 'adjudication' AND ref_id = ?", (saved.id,)
            )
            conn.execute(
                "INSERT INTO outbox(kind, ref_id, revision, payload, created_at)"
                " VALUES ('adjudication', ?, 1, ?, ?)",
                (saved.id, _dumps(adjudication_to_dict(saved)), utc_now()),
            )
        return saved

    def merge_adjudication(self, adjudication: Adjudication) -> bool:
        """Store a remote adjudication unless we already have it."""
        with self.transaction() as conn:
            if self._query("SELECT 1 FROM adjudications WHERE id = ?", (adjudication.id,)):
                return False
            self._write_adjudication(conn, adjudication)
            return True

    @staticmethod
    def _write_adjudication(conn: sqlite3.Connection, adjudication: Adjudication) -> None:
        conn.execute(
            "INSERT INTO adjudications(id, task_id, body, created_at) VALUES (?,?,?,?)"
            " ON CONFLICT(id) DO UPDATE SET body=excluded.body, created_at=excluded.created_at",
            (
                adjudication.id,
                adjudication.task_id,
                _dumps(adjudication_to_dict(adjudication)),
                adjudication.created_at,
            ),
        )

    def list_adjudications(self, task_id: str | None = None) -> list[Adjudication]:
        """Adjudications, newest last (for one task, the last one is in force)."""
        if task_id is None:
            rows = self._query("SELECT body FROM adjudications ORDER BY task_id, created_at")
        else:
            rows = self._query(
                "SELECT body FROM adjudications WHERE task_id = ? ORDER BY created_at", (task_id,)
            )
        return [adjudication_from_dict(json.loads(row["body"])) for row in rows]

    # -- test runs ---------------------------------------------------------------------------

    def cached_test_run(self, content_hash: str) -> TestRun | None:
        """A stored run with this content hash (same code, tests, image and limits)."""
        rows = self._query("SELECT body FROM test_runs WHERE content_hash = ?", (content_hash,))
        return test_run_from_dict(json.loads(rows[0]["body"])) if rows else None

    def save_test_run(self, task_id: str, response_key: ResponseKey, run: TestRun) -> None:
        """Store a run under its hash and make it the latest for this response."""
        stamped = replace(run, created_at=run.created_at or utc_now())
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO test_runs(content_hash, verdict, body, created_at) VALUES (?,?,?,?)"
                " ON CONFLICT(content_hash) DO UPDATE SET verdict=excluded.verdict,"
                " body=excluded.body, created_at=excluded.created_at",
                (
                    stamped.content_hash,
                    stamped.verdict.value,
                    _dumps(test_run_to_dict(stamped)),
                    stamped.created_at,
                ),
            )
            conn.execute(
                "INSERT INTO response_test_runs(task_id, key, content_hash, updated_at)"
                " VALUES (?,?,?,?) ON CONFLICT(task_id, key) DO UPDATE SET"
                " content_hash=excluded.content_hash, updated_at=excluded.updated_at",
                (task_id, response_key, stamped.content_hash, utc_now()),
            )

    def latest_test_run(self, task_id: str, response_key: ResponseKey) -> TestRun | None:
        """The most recent run of this response's tests, if any."""
        rows = self._query(
            "SELECT r.body FROM response_test_runs x JOIN test_runs r"
            " ON r.content_hash = x.content_hash WHERE x.task_id = ? AND x.key = ?",
            (task_id, response_key),
        )
        return test_run_from_dict(json.loads(rows[0]["body"])) if rows else None

    # -- findings ----------------------------------------------------------------------------

    def cached_findings(self, scan_hash: str) -> list[Finding] | None:
        """Findings of an earlier scan of the same code with the same rule pack."""
        if not self._query("SELECT 1 FROM scans WHERE scan_hash = ?", (scan_hash,)):
            return None
        rows = self._query(
            "SELECT body FROM findings WHERE scan_hash = ? ORDER BY idx", (scan_hash,)
        )
        return [finding_from_dict(json.loads(row["body"])) for row in rows]

    def save_findings(
        self,
        task_id: str,
        response_key: ResponseKey,
        scan_hash: str,
        findings: Sequence[Finding],
    ) -> None:
        """Store one response's scan result (possibly empty) and make it the latest."""
        now = utc_now()
        worst = max((f.severity for f in findings), key=lambda s: s.rank, default=None)
        with self.transaction() as conn:
            conn.execute("DELETE FROM findings WHERE scan_hash = ?", (scan_hash,))
            conn.execute(
                "INSERT OR REPLACE INTO scans(scan_hash, created_at) VALUES (?, ?)",
                (scan_hash, now),
            )
            conn.executemany(
                "INSERT INTO findings(scan_hash, idx, rule_id, cwe_id, severity, confidence,"
                " start_line, end_line, body) VALUES (?,?,?,?,?,?,?,?,?)",
                [
                    (
                        scan_hash,
                        idx,
                        f.rule_id,
                        f.cwe_id,
                        f.severity.value,
                        f.confidence.value,
                        f.start_line,
                        f.end_line,
                        _dumps(finding_to_dict(f)),
                    )
                    for idx, f in enumerate(findings)
                ],
            )
            conn.execute(
                "INSERT INTO response_scans(task_id, key, scan_hash, finding_count, max_severity,"
                " updated_at) VALUES (?,?,?,?,?,?) ON CONFLICT(task_id, key) DO UPDATE SET"
                " scan_hash=excluded.scan_hash, finding_count=excluded.finding_count,"
                " max_severity=excluded.max_severity, updated_at=excluded.updated_at",
                (task_id, response_key, scan_hash, len(findings), _severity_value(worst), now),
            )

    def latest_findings(self, task_id: str, response_key: ResponseKey) -> list[Finding]:
        """The findings of this response's latest scan ([] when clean or never scanned)."""
        rows = self._query(
            "SELECT f.body FROM response_scans s JOIN findings f ON f.scan_hash = s.scan_hash"
            " WHERE s.task_id = ? AND s.key = ? ORDER BY f.idx",
            (task_id, response_key),
        )
        return [finding_from_dict(json.loads(row["body"])) for row in rows]

    def is_scanned(self, task_id: str, response_key: ResponseKey) -> bool:
        """Whether this response has been scanned at all (to tell 'clean' from 'unknown')."""
        return bool(
            self._query(
                "SELECT 1 FROM response_scans WHERE task_id = ? AND key = ?",
                (task_id, response_key),
            )
        )

    # -- signals -----------------------------------------------------------------------------

    def save_signals(
        self, task_id: str, response_key: ResponseKey, signals: dict[str, Any]
    ) -> None:
        """Store the automatic per-dimension signals of one response."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO signals(task_id, key, body, updated_at) VALUES (?,?,?,?)"
                " ON CONFLICT(task_id, key) DO UPDATE SET body=excluded.body,"
                " updated_at=excluded.updated_at",
                (task_id, response_key, _dumps(signals), utc_now()),
            )

    def latest_signals(self, task_id: str, response_key: ResponseKey) -> dict[str, Any] | None:
        """The stored signals of one response, if computed."""
        rows = self._query(
            "SELECT body FROM signals WHERE task_id = ? AND key = ?", (task_id, response_key)
        )
        return dict(json.loads(rows[0]["body"])) if rows else None

    # -- outbox ------------------------------------------------------------------------------

    def outbox_items(self, limit: int = 500) -> list[OutboxItem]:
        """The oldest unacknowledged changes, at most ``limit``."""
        rows = self._query(
            "SELECT seq, kind, ref_id, revision, payload FROM outbox ORDER BY seq LIMIT ?",
            (limit,),
        )
        return [
            OutboxItem(
                seq=int(row["seq"]),
                kind=row["kind"],
                ref_id=row["ref_id"],
                revision=int(row["revision"]),
                payload=json.loads(row["payload"]),
            )
            for row in rows
        ]

    def ack_outbox(self, seqs: Iterable[int]) -> None:
        """Forget changes the server has acknowledged."""
        seq_list = list(seqs)
        with self.transaction() as conn:
            conn.executemany("DELETE FROM outbox WHERE seq = ?", [(s,) for s in seq_list])

    def outbox_count(self) -> int:
        """How many changes wait for the server."""
        return int(self._query("SELECT count(*) AS n FROM outbox")[0]["n"])


def _severity_value(severity: Severity | None) -> str | None:
    return severity.value if severity is not None else None


def _status_of(progress: int | None, pending: int, sync_enabled: bool) -> TaskStatus:
    if not progress:
        return TaskStatus.NEW
    if progress == 1:
        return TaskStatus.IN_PROGRESS
    if sync_enabled and pending:
        return TaskStatus.NEEDS_SYNC
    return TaskStatus.SUBMITTED
