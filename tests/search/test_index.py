"""The full-text index: what it finds, that every write keeps it exact, and the migration."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from itertools import takewhile
from pathlib import Path

import pytest

from coderlhf_tui.domain import (
    Language,
    LineComment,
    Response,
    Severity,
    Task,
)
from coderlhf_tui.migrations import MIGRATIONS, schema_version
from coderlhf_tui.search_index import FIELDS, INDEXES, check_integrity, search
from coderlhf_tui.store import Store
from tests.search.conftest import (
    SHELL_QUERY,
    demo_tasks,
    shell_calling,
    shell_finding,
    submitted,
)


def hits_of(store: Store, query: str) -> dict[str, str]:
    """task id -> the label of the part that matched."""
    return {task_id: hit.label for task_id, hit in search(store.conn, query).items()}


def assert_index_exact(store: Store) -> None:
    """FTS5's own check that each index holds exactly its content's tokens."""
    check_integrity(store.conn)


def test_one_query_finds_every_demo_task_that_calls_a_shell(demo_workspace: Path) -> None:
    expected = shell_calling(demo_tasks())
    assert len(expected) >= 3
    with Store.open(demo_workspace) as store:
        hits = search(store.conn, SHELL_QUERY)
        assert list(hits) == expected
        assert all(hit.field == "code" for hit in hits.values())
        assert all("«" in hit.snippet and "»" in hit.snippet for hit in hits.values())
        rows = store.list_tasks(search=SHELL_QUERY)
        assert [row.id for row in rows] == expected
        assert all(row.match_field.startswith("code ") for row in rows if row.match_field)
        assert all(row.match_snippet for row in rows)


SYNTAX_TASKS = {
    "rate-limiter-1": ("Implement a rate limiter.", "import time\n", "import threading\n"),
    "count-lines-2": (
        "Count the lines of a file.",
        'import subprocess\nout = subprocess.check_output(f"wc -l {p}", shell=True)\n',
        "with open(p) as f:\n    return sum(1 for _ in f)\n",
    ),
    "list-dir-3": (
        "List a directory.",
        'import "os/exec"\nexec.Command("ls")\n',
        "os.ReadDir(d)\n",
    ),
}


def _task(task_id: str, prompt: str, a: str, b: str) -> Task:
    return Task(
        id=task_id,
        language=Language.PYTHON,
        prompt=prompt,
        responses=(Response(id="a", code=a), Response(id="b", code=b)),
    )


def test_query_syntax(tmp_path: Path) -> None:
    with Store.open(tmp_path / "w.db") as store:
        store.insert_tasks(_task(task_id, *texts) for task_id, texts in SYNTAX_TASKS.items())
        assert hits_of(store, "limiter") == {"rate-limiter-1": "prompt"}
        assert hits_of(store, "thread*") == {"rate-limiter-1": "code B"}  # a prefix
        assert hits_of(store, "lim*") == {"rate-limiter-1": "prompt"}
        assert hits_of(store, '"rate limiter"') == {"rate-limiter-1": "prompt"}  # a phrase
        assert hits_of(store, '"limiter rate"') == {}
        assert hits_of(store, "prompt:subprocess") == {}  # only the code says it
        assert hits_of(store, "code:subprocess") == {"count-lines-2": "code A"}
        assert hits_of(store, "NEAR(check_output shell, 8)") == {"count-lines-2": "code A"}
        assert hits_of(store, "NEAR(import shell, 2)") == {}
        assert hits_of(store, "sum NOT open") == {}
        assert hits_of(store, "sum OR ReadDir") == {
            "count-lines-2": "code B",
            "list-dir-3": "code B",
        }
        # not FTS5 syntax: the words are searched as phrases instead of failing
        assert hits_of(store, "os/exec") == {"list-dir-3": "code A"}
        assert list(hits_of(store, "os/exec OR subprocess")) == ["count-lines-2", "list-dir-3"]
        assert hits_of(store, "os.ReadDir") == {"list-dir-3": "code B"}
        # one word that is part of an id finds the task, as the old search did
        assert hits_of(store, "lines-2") == {"count-lines-2": "id"}
        assert hits_of(store, "dir-") == {"list-dir-3": "id"}
        assert hits_of(store, "   ") == {}


def test_every_write_keeps_the_index_exact(demo_workspace: Path) -> None:
    with Store.open(demo_workspace) as store:
        draft = store.save_annotation(
            submitted(
                "py-pair-sums-slow",
                "ak",
                rationale="A has a data race on the counter",
                tags=["RACY"],
            )
        )
        assert hits_of(store, "rationale:race") == {"py-pair-sums-slow": "rationale (ak)"}
        assert hits_of(store, "tags:racy") == {"py-pair-sums-slow": "tags (ak)"}
        store.save_annotation(replace(draft, rationale="B is quadratic", tags=["SLOW"]))
        assert hits_of(store, "rationale:race OR tags:racy") == {}
        assert hits_of(store, "quadratic") == {"py-pair-sums-slow": "rationale (ak)"}

        comment = LineComment(
            id="c1",
            response="a",
            start_line=1,
            end_line=2,
            category="bug",
            severity=Severity.LOW,
            text="off by one in the window",
        )
        merged = replace(draft, revision=9, comments=[comment])
        assert store.merge_annotation(merged)
        assert hits_of(store, "comments:window") == {"py-pair-sums-slow": "comments (ak)"}

        store.save_findings("py-count-lines-cmdi", "a", "scan-1", [shell_finding("shell=True")])
        assert hits_of(store, "findings:cwe") == {"py-count-lines-cmdi": "findings A"}
        store.save_findings("py-count-lines-cmdi", "a", "scan-2", [])
        assert hits_of(store, "findings:cwe") == {}
        store.save_findings("py-count-lines-cmdi", "b", "scan-1", [shell_finding("pipes to wc")])
        assert hits_of(store, "findings:wc") == {"py-count-lines-cmdi": "findings B"}
        assert_index_exact(store)

        with store.transaction() as conn:
            conn.execute(
                "UPDATE responses SET code = 'print(1)' WHERE task_id = ? AND key = 'a'",
                ("py-count-lines-cmdi",),
            )
            conn.execute("DELETE FROM annotations WHERE id = ?", (draft.id,))
        assert "py-count-lines-cmdi" not in hits_of(store, "code:subprocess")
        assert hits_of(store, "quadratic OR window") == {}
        assert_index_exact(store)


def test_every_response_of_a_ranked_task_is_indexed(tmp_path: Path) -> None:
    responses = [Response(id=f"r{i}", code=f"def f{i}():\n    return {i}\n") for i in range(4)]
    responses.append(Response(id="r4", code="import subprocess\n"))
    ranked = Task(
        id="ranked-1",
        language=Language.PYTHON,
        prompt="Return a constant.",
        responses=tuple(responses),
    )
    with Store.open(tmp_path / "w.db") as store:
        store.insert_tasks([ranked])
        assert hits_of(store, "subprocess") == {"ranked-1": "code E"}
        assert hits_of(store, "f2") == {"ranked-1": "code C"}


def _old_workspace(path: Path) -> None:
    """A workspace as coderlhf wrote it before search existed, with data in every source."""
    conn = sqlite3.connect(path, isolation_level=None)
    old = list(takewhile(lambda step: isinstance(step, str), MIGRATIONS))
    for script in old:
        for statement in script.split(";"):
            if statement.strip():
                conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {len(old)}")
    conn.execute(
        "INSERT INTO tasks(id, language, prompt, imported_at) VALUES"
        " ('t-1', 'python', 'Parse a config file', '2026-01-01T00:00:00Z')"
    )
    conn.execute(
        "INSERT INTO responses(task_id, key, response_id, code) VALUES"
        " ('t-1', 'a', 'x', 'import subprocess'), ('t-1', 'b', 'y', 'import tomllib')"
    )
    conn.execute(
        "INSERT INTO annotations(id, task_id, annotator, revision, status, body, updated_at)"
        " VALUES ('n-1', 't-1', 'ak', 1, 'submitted',"
        ' \'{"rationale": "B avoids the shell", "tags": ["SAFE"]}\', \'\')'
    )
    conn.close()


def test_an_existing_workspace_gets_the_index_on_open(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _old_workspace(path)
    with Store.open(path) as store:
        assert schema_version(store.conn) == len(MIGRATIONS)
        assert hits_of(store, "code:subprocess") == {"t-1": "code A"}
        assert hits_of(store, "tomllib") == {"t-1": "code B"}
        assert hits_of(store, "config") == {"t-1": "prompt"}
        assert hits_of(store, "shell") == {"t-1": "rationale (ak)"}
        assert hits_of(store, "tags:safe") == {"t-1": "tags (ak)"}
        assert_index_exact(store)


def test_column_filters_name_the_fields(demo_workspace: Path) -> None:
    with Store.open(demo_workspace) as store:
        for index in INDEXES:  # each has every column, so a filter means the same in each
            for field in FIELDS:
                store.conn.execute(
                    f"SELECT count(*) FROM {index} WHERE {index} MATCH ?", (f"{field}:x",)
                )
            with pytest.raises(sqlite3.OperationalError, match="no such column"):
                store.conn.execute(f"SELECT 1 FROM {index} WHERE {index} MATCH 'nosuch:x'")


def test_a_workspace_with_the_one_table_index_gets_the_three_on_open(tmp_path: Path) -> None:
    """Migration 8 on a workspace written by the previous layout (every prompt and response
    a search_docs row in one FTS table): same hits, no mapping rows left for them."""
    path = tmp_path / "v7.db"
    conn = sqlite3.connect(path)
    conn.executescript((Path(__file__).parent / "workspace_v7.sql").read_text(encoding="utf-8"))
    conn.close()
    with Store.open(path) as store:
        assert schema_version(store.conn) == len(MIGRATIONS)
        assert hits_of(store, "code:subprocess") == {"t-1": "code A"}
        assert hits_of(store, "config") == {"t-1": "prompt"}
        assert hits_of(store, "race") == {"t-1": "rationale (ak)"}
        assert hits_of(store, "tags:safe") == {"t-1": "tags (ak)"}
        assert hits_of(store, "findings:cwe") == {"t-2": "findings B"}
        assert hits_of(store, "wc") == {"t-2": "code B"}
        fields = store.conn.execute("SELECT DISTINCT field FROM search_docs").fetchall()
        assert sorted(row[0] for row in fields) == ["comments", "findings", "rationale", "tags"]
        assert_index_exact(store)


def test_tasks_whose_rowids_sqlite_chose_at_random_are_indexed_exactly(tmp_path: Path) -> None:
    """Once the largest rowid is taken SQLite picks new rowids at random, so the import's
    new rows are not the last ones: each is looked up instead."""
    tasks = [_task(f"r-{i}", f"prompt {i} alpha", f"x = {i}  # beta", "y = 2") for i in range(30)]
    with Store.open(tmp_path / "w.db") as store:
        with store.transaction() as conn:
            conn.execute(
                "INSERT INTO tasks(rowid, id, language, prompt, imported_at)"
                " VALUES (9223372036854775807, 'last', 'python', 'omega', '')"
            )
            conn.execute(
                "INSERT INTO responses(rowid, task_id, key, response_id, code)"
                " VALUES (9223372036854775807, 'last', 'a', 'a', 'z = 0')"
            )
            for index in ("search_prompt", "search_code"):  # rows stored around the import
                conn.execute(f"INSERT INTO {index}({index}) VALUES ('rebuild')")
        store.insert_tasks(tasks)
        assert set(search(store.conn, "alpha")) == {t.id for t in tasks}
        assert set(search(store.conn, "code:beta")) == {t.id for t in tasks}
        assert search(store.conn, "y")["r-7"].label == "code B"
        assert_index_exact(store)
