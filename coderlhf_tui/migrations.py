"""Schema migrations of the local store, applied in order inside one transaction.

``PRAGMA user_version`` holds the schema version. A migration is appended, never
edited: a workspace created by an older coderlhf upgrades step by step on open, and a
newer workspace refuses to open in an older coderlhf rather than being damaged.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from coderlhf_tui import search_index, store_views

if TYPE_CHECKING:  # imported where a migration needs it: it imports pandas when present
    import sqlite_utils

Migration = str | Callable[["sqlite_utils.Database"], None]
"""SQL statements separated by ';', or a function that changes the schema with sqlite-utils
(it must not change what it does once released: a later change is a new migration)."""

RESPONSES_WITH_ROWID = """
CREATE TABLE responses_rowid (
    task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    key TEXT NOT NULL CHECK (key IN ('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h')),
    response_id TEXT NOT NULL,
    model TEXT,
    code TEXT NOT NULL,
    PRIMARY KEY (task_id, key)
);
INSERT INTO responses_rowid(task_id, key, response_id, model, code)
    SELECT task_id, key, response_id, model, code FROM responses ORDER BY task_id, key;
DROP TABLE responses;
ALTER TABLE responses_rowid RENAME TO responses
"""


def _responses_with_rowid(db: sqlite_utils.Database) -> None:
    """Migration 7: ``responses`` as an ordinary (rowid) table.

    A WITHOUT ROWID row keeps at most about 1 KB in its b-tree page and puts the rest of a
    2 KB response on an overflow page of its own, so 70 MB of code took 190 MB on disk and
    an import wrote (and checksummed) it all twice through the WAL; a rowid table keeps a
    row of up to 4 KB inline. The views that read ``responses`` are kept as they are
    (``legacy_alter_table``: the rename would otherwise re-check them while the name is
    gone); the search triggers went with the old table and are made again.
    """
    db.conn.execute("PRAGMA legacy_alter_table = ON")
    try:
        for statement in RESPONSES_WITH_ROWID.split(";"):
            db.conn.execute(statement)
    finally:
        db.conn.execute("PRAGMA legacy_alter_table = OFF")
    search_index.create_triggers(db, "responses")


MIGRATIONS: list[Migration] = [
    # 1: the initial schema
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE tasks (
        id TEXT PRIMARY KEY,
        language TEXT NOT NULL,
        task_type TEXT,
        prompt TEXT NOT NULL,
        tests TEXT,
        gold TEXT,
        metadata TEXT,
        is_gold INTEGER NOT NULL DEFAULT 0,
        imported_at TEXT NOT NULL
    );
    CREATE INDEX tasks_language ON tasks(language);
    CREATE TABLE responses (
        task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        key TEXT NOT NULL CHECK (key IN ('a', 'b')),
        response_id TEXT NOT NULL,
        model TEXT,
        code TEXT NOT NULL,
        PRIMARY KEY (task_id, key)
    ) WITHOUT ROWID;
    CREATE TABLE annotations (
        id TEXT PRIMARY KEY,
        task_id TEXT NOT NULL,
        annotator TEXT NOT NULL,
        revision INTEGER NOT NULL,
        status TEXT NOT NULL,
        body TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX annotations_task ON annotations(task_id, annotator);
    CREATE INDEX annotations_annotator ON annotations(annotator);
    CREATE TABLE annotation_revisions (
        annotation_id TEXT NOT NULL,
        revision INTEGER NOT NULL,
        body TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        PRIMARY KEY (annotation_id, revision)
    ) WITHOUT ROWID;
    CREATE TABLE adjudications (
        id TEXT PRIMARY KEY,
        task_id TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE INDEX adjudications_task ON adjudications(task_id);
    CREATE TABLE test_runs (
        content_hash TEXT PRIMARY KEY,
        verdict TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE response_test_runs (
        task_id TEXT NOT NULL,
        key TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (task_id, key)
    ) WITHOUT ROWID;
    CREATE TABLE scans (scan_hash TEXT PRIMARY KEY, created_at TEXT NOT NULL);
    CREATE TABLE findings (
        scan_hash TEXT NOT NULL,
        idx INTEGER NOT NULL,
        rule_id TEXT NOT NULL,
        cwe_id TEXT NOT NULL,
        severity TEXT NOT NULL,
        confidence TEXT NOT NULL,
        start_line INTEGER NOT NULL,
        end_line INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (scan_hash, idx)
    ) WITHOUT ROWID;
    CREATE TABLE response_scans (
        task_id TEXT NOT NULL,
        key TEXT NOT NULL,
        scan_hash TEXT NOT NULL,
        finding_count INTEGER NOT NULL,
        max_severity TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (task_id, key)
    ) WITHOUT ROWID;
    CREATE TABLE signals (
        task_id TEXT NOT NULL,
        key TEXT NOT NULL,
        body TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (task_id, key)
    ) WITHOUT ROWID;
    CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        ref_id TEXT NOT NULL,
        revision INTEGER NOT NULL,
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE INDEX outbox_ref ON outbox(kind, ref_id);
    """,
    # 2: ranked tasks (docs/formats.md): up to eight responses "a".."h" per task, and the
    # count on the task row so readers tell pairwise from ranked tasks without a join
    """
    CREATE TABLE responses_ranked (
        task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        key TEXT NOT NULL CHECK (key IN ('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h')),
        response_id TEXT NOT NULL,
        model TEXT,
        code TEXT NOT NULL,
        PRIMARY KEY (task_id, key)
    ) WITHOUT ROWID;
    INSERT INTO responses_ranked(task_id, key, response_id, model, code)
        SELECT task_id, key, response_id, model, code FROM responses;
    DROP TABLE responses;
    ALTER TABLE responses_ranked RENAME TO responses;
    ALTER TABLE tasks ADD COLUMN n_responses INTEGER NOT NULL DEFAULT 2;
    """,
    # 3: full-text search over prompts, code, annotations and findings (docs/data.md) came
    # here as one FTS table; 8 drops that and installs today's layout, which needs the
    # responses' rowids of 7, so 3 now leaves it to 8
    "",
    # 4: the documented views for sqlite-utils and Datasette users (docs/data.md)
    store_views.install,
    # 5: new tasks are indexed by Store.insert_tasks, not by insert triggers (an early
    # build of 3 created them; FTS5 flushed a segment per imported chunk because of them)
    """
    DROP TRIGGER IF EXISTS search_tasks_ai;
    DROP TRIGGER IF EXISTS search_responses_ai;
    """,
    # 6: graded repository-task runs (docs/repotasks.md), keyed by their content hash, with
    # the grade and every test's outcome (result: the RepoRun as JSON)
    """
    CREATE TABLE repo_runs (
        content_hash TEXT PRIMARY KEY,
        instance_id TEXT NOT NULL,
        response TEXT NOT NULL,
        grade TEXT NOT NULL,
        result TEXT NOT NULL,
        created_at TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX repo_runs_instance ON repo_runs(instance_id, response);
    """,
    # 7: responses in a rowid table (2 KB of code per row fits its page; _responses_with_rowid)
    _responses_with_rowid,
    # 8: the search index in three FTS tables, prompts and code under their own rowids with
    # no search_docs row (search_index.reinstall)
    search_index.reinstall,
]


class SchemaTooNew(RuntimeError):
    """The workspace was written by a newer coderlhf than this one."""


def schema_version(conn: sqlite3.Connection) -> int:
    """The workspace's current schema version (0 for a new file)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection) -> int:
    """Apply every pending migration; the caller holds the transaction."""
    current = schema_version(conn)
    if current > len(MIGRATIONS):
        raise SchemaTooNew(
            f"workspace schema version {current} is newer than this coderlhf supports "
            f"({len(MIGRATIONS)}); upgrade coderlhf"
        )
    for version, script in enumerate(MIGRATIONS[current:], start=current + 1):
        if callable(script):
            import sqlite_utils  # here: an app opening a current workspace never needs it

            script(sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False))
            conn.execute(f"PRAGMA user_version = {version}")
            continue
        for statement in script.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {version}")
    return len(MIGRATIONS)
