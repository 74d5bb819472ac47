"""Responses live in a rowid table (migration 7): 2 KB of code per row stays in its page,
an older workspace is rebuilt on open with its data and search triggers intact."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from coderlhf_tui.domain import Language, Response, Task
from coderlhf_tui.migrations import MIGRATIONS, schema_version
from coderlhf_tui.search_index import check_integrity, search
from coderlhf_tui.store import Store


def _task(index: int) -> Task:
    """A task whose two responses are about 2 KB each, as in the import benchmark."""
    body = "".join(f"    value_{i} = items[{i % 7}] * {index} + {i}  # step\n" for i in range(38))
    responses = tuple(
        Response(id=key, code=f"def solve_{key}_{index}(items):\n{body}    return value_0\n")
        for key in ("a", "b")
    )
    return Task(id=f"t-{index}", language=Language.PYTHON, prompt="Sum.", responses=responses)


def _responses_sql(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'responses'").fetchone()
    return str(row[0])


def test_responses_take_about_their_size_on_disk(tmp_path: Path) -> None:
    with Store.open(tmp_path / "w.db") as store:
        store.insert_tasks(_task(i) for i in range(200))
        pages, payload = store.conn.execute(
            "SELECT sum(pgsize), sum(payload) FROM dbstat WHERE name = 'responses'"
        ).fetchone()
    # WITHOUT ROWID kept ~1 KB of each row in the b-tree and gave the rest a page of its own
    # (2.6x the payload); a rowid table packs the rows
    assert payload > 200 * 2 * 1500
    assert pages < 1.3 * payload, (pages, payload)


def _workspace_at_version_6(path: Path, tasks: list[Task]) -> None:
    """A workspace as coderlhf wrote it before migration 7: ``tasks`` stored under schema 2,
    then migrations 3-6 (the index is made and filled from them by migration 8)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    for version, script in enumerate(MIGRATIONS[:6], start=1):
        if callable(script):
            script(sqlite_utils.Database(conn))
        else:
            for statement in script.split(";"):
                if statement.strip():
                    conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {version}")
        if version == 2:
            for task in tasks:
                conn.execute(
                    "INSERT INTO tasks(id, language, prompt, imported_at) VALUES (?, ?, ?, '')",
                    (task.id, task.language.value, task.prompt),
                )
                conn.executemany(
                    "INSERT INTO responses(task_id, key, response_id, code) VALUES (?, ?, ?, ?)",
                    [(task.id, r.id, r.id, r.code) for r in task.responses],
                )
    conn.execute("COMMIT")
    assert "WITHOUT ROWID" in _responses_sql(conn)
    conn.close()


def test_a_workspace_before_migration_7_is_rebuilt_with_its_triggers(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _workspace_at_version_6(path, [_task(1), _task(2)])
    with Store.open(path) as store:
        assert schema_version(store.conn) == len(MIGRATIONS)
        assert "WITHOUT ROWID" not in _responses_sql(store.conn)
        assert [t.responses for t in store.iter_tasks()] == [
            _task(1).responses,
            _task(2).responses,
        ]
        assert set(search(store.conn, "solve_b_2")) == {"t-2"}
        with store.transaction() as conn:
            conn.execute("UPDATE responses SET code = 'import subprocess' WHERE task_id = 't-1'")
            conn.execute("DELETE FROM responses WHERE task_id = 't-2' AND key = 'b'")
        assert set(search(store.conn, "code:subprocess")) == {"t-1"}
        assert search(store.conn, "solve_b_2") == {}
        check_integrity(store.conn)
