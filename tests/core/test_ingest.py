"""Every bad input gets its own clear message, exit status 2, and nothing half-stored."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from coderlhf_tui.ingest import import_task_file
from coderlhf_tui.search_index import check_integrity
from coderlhf_tui.store import Store
from tests.core.helpers import run_cli, task_record, write_jsonl


def _bad(record: dict[str, Any], path: list[Any], value: Any) -> dict[str, Any]:
    target: Any = record
    for step in path[:-1]:
        target = target[step]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return record


CASES = [
    (
        "mistyped field",
        _bad(task_record("x"), ["responses", 1, "code"], 42),
        "responses[1].code: expected a string, got a number",
    ),
    (
        "missing field",
        _bad(task_record("x"), ["prompt"], KeyError),
        "prompt: required field is missing",
    ),
    (
        "missing nested field",
        _bad(task_record("x"), ["responses", 0, "code"], KeyError),
        "responses[0].code: required field is missing",
    ),
    (
        "unknown key",
        {**task_record("x"), "promt": "typo"},
        "promt: unknown key (did you mean 'prompt'?)",
    ),
    (
        "unknown nested key",
        _bad(task_record("x"), ["tests", "timeout"], 5),
        "tests.timeout: unknown key (did you mean 'timeout_s'?)",
    ),
    (
        "unknown language",
        task_record("x", language="pyhton"),
        "language: unknown value 'pyhton' (did you mean 'python'?)",
    ),
    (
        "one response",
        _bad(task_record("x"), ["responses"], [task_record()["responses"][0]]),
        "responses: expected 2 to 8 responses, got 1",
    ),
    (
        "repeated response ids",
        _bad(
            task_record("x"),
            ["responses"],
            task_record()["responses"] * 2 + [{"id": "c", "code": ""}],
        ),
        "responses[2].id: duplicate response id",
    ),
    (
        "nine responses",
        _bad(
            task_record("x"),
            ["responses"],
            [{"id": f"r{i}", "code": ""} for i in range(9)],
        ),
        "responses: expected 2 to 8 responses, got 9",
    ),
    (
        "unknown test kind",
        _bad(task_record("x"), ["tests", "kind"], "fuzz"),
        "tests.kind: unknown value 'fuzz'",
    ),
    ("not an object", ["a", "list"], "(record): expected an object, got an array"),
    (
        "control character in the id",
        task_record("a\x1fb"),
        "id: must be at most 200 printable characters",
    ),
    ("null required field", {**task_record("x"), "prompt": None}, "prompt: required field"),
    (
        "bad gold",
        _bad(task_record("x"), ["gold"], {"preference": "A>>>B"}),
        "gold.preference: unknown value 'A>>>B'",
    ),
    (
        "io without cases",
        _bad(task_record("x"), ["tests"], {"kind": "io"}),
        "tests.cases: an io test needs at least one case",
    ),
    (
        "timeout out of range",
        _bad(task_record("x"), ["tests", "timeout_s"], -1),
        "tests.timeout_s: -1 is outside",
    ),
]


@pytest.mark.parametrize(("name", "record", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_record_is_named_and_nothing_is_stored(
    tmp_path: Path, name: str, record: Any, message: str
) -> None:
    path = write_jsonl(tmp_path / "tasks.jsonl", [task_record("ok-1"), record, task_record("ok-2")])
    db = tmp_path / "w.db"
    result = run_cli("import", path, "--db", db)
    assert result.returncode == 2, result.stderr
    assert f"{path}:2: {message}" in result.stderr
    assert "Traceback" not in result.stderr
    assert "nothing was imported" in result.stderr
    with Store.open(db) as store:
        assert store.count_tasks() == 0


def test_invalid_json_and_utf8_lines(tmp_path: Path) -> None:
    path = tmp_path / "tasks.jsonl"
    good = json.dumps(task_record("ok")).encode()
    path.write_bytes(good + b'\n{"id": "x",\n' + b'{"id": "\xff\xfe"}\n')
    result = run_cli("import", path, "--db", tmp_path / "w.db")
    assert result.returncode == 2
    assert (
        f"{path}:2: invalid JSON: Expecting property name enclosed in double quotes"
        in result.stderr
    )
    assert f"{path}:3: invalid UTF-8 at byte 8 of the line" in result.stderr


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "tasks.jsonl"
    path.write_text("\n\n")
    result = run_cli("import", path, "--db", tmp_path / "w.db")
    assert result.returncode == 2 and f"{path}: the file is empty (no records)" in result.stderr


def test_missing_file(tmp_path: Path) -> None:
    result = run_cli("import", tmp_path / "nope.jsonl", "--db", tmp_path / "w.db")
    assert result.returncode == 2 and "nope.jsonl: no such file" in result.stderr


def test_duplicate_id_in_file_and_in_store(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    first = write_jsonl(tmp_path / "first.jsonl", [task_record("t-1")])
    run_cli("import", first, "--db", db, check=True)
    second = write_jsonl(
        tmp_path / "second.jsonl", [task_record("t-2"), task_record("t-2"), task_record("t-1")]
    )
    result = run_cli("import", second, "--db", db)
    assert result.returncode == 2
    assert f"{second}:2: id: duplicate id 't-2' (first on line 1)" in result.stderr
    assert f"{second}:3: id: task 't-1' is already in the workspace" in result.stderr
    with Store.open(db) as store:
        assert store.task_ids() == ["t-1"]


def test_fifty_megabyte_line(tmp_path: Path) -> None:
    path = tmp_path / "tasks.jsonl"
    huge = task_record("huge")
    huge["prompt"] = "x" * (50 * 1024 * 1024)
    write_jsonl(path, [task_record("ok"), huge, task_record("ok-2")])
    result = run_cli("import", path, "--db", tmp_path / "w.db")
    assert result.returncode == 2
    assert f"{path}:2: line is 50.0 MB, longer than the 16 MB limit for one record" in result.stderr


def test_skip_invalid_keeps_the_valid_records(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    path = write_jsonl(
        tmp_path / "tasks.jsonl",
        [task_record("ok-1"), task_record("bad", language="cobol"), "{oops", task_record("ok-2")],
    )
    result = run_cli("import", path, "--skip-invalid", "--db", db)
    assert result.returncode == 0, result.stderr
    assert f"{path}:2: language: unknown value 'cobol'" in result.stderr
    assert f"{path}:3: invalid JSON" in result.stderr
    assert "imported 2 task(s), skipped 2 invalid" in result.stdout
    with Store.open(db) as store:
        assert store.task_ids() == ["ok-1", "ok-2"]


def test_error_in_a_later_chunk_rolls_back_earlier_chunks(tmp_path: Path) -> None:
    records: list[Any] = [task_record(f"t-{i}") for i in range(5000)]
    records.append(task_record("bad", language="fortran"))
    path = write_jsonl(tmp_path / "big.jsonl", records)
    with Store.open(tmp_path / "w.db") as store:
        report = import_task_file(store, path)
        assert report.aborted and report.imported == 0 and len(report.errors) == 1
        assert store.count_tasks() == 0
        assert store.outbox_count() == 0


def test_each_file_is_atomic_on_its_own(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    good = write_jsonl(tmp_path / "good.jsonl", [task_record("g-1")])
    bad = write_jsonl(tmp_path / "bad.jsonl", [task_record("b-1"), {"id": "b-2"}])
    result = run_cli("import", good, bad, "--db", db)
    assert result.returncode == 2
    with Store.open(db) as store:
        assert store.task_ids() == ["g-1"]


def test_parquet_import_round_trips_and_validates(tmp_path: Path) -> None:
    # pyarrow infers the schema from the first row, so the row with every key comes first
    records = [
        task_record("p-2", gold={"preference": "A>B", "note": "B subtracts"}),
        task_record("p-1"),
    ]
    table = pa.Table.from_pylist(records)
    path = tmp_path / "tasks.parquet"
    pq.write_table(table, path)
    db = tmp_path / "w.db"
    run_cli("import", path, "--db", db, check=True)
    with Store.open(db) as store:
        task = store.get_task("p-2")
        assert task is not None and task.gold is not None and task.gold.note == "B subtracts"
        assert task.tests is not None and task.tests.code == "assert add(1, 2) == 3\n"
    bad = tmp_path / "bad.parquet"
    pq.write_table(pa.Table.from_pylist([task_record("p-3", language="klingon")]), bad)
    result = run_cli("import", bad, "--db", db)
    assert result.returncode == 2 and f"{bad}:1: language: unknown value 'klingon'" in result.stderr
    garbage = tmp_path / "garbage.parquet"
    garbage.write_bytes(b"not parquet at all")
    result = run_cli("import", garbage, "--db", db)
    assert result.returncode == 2 and "not a readable Parquet file" in result.stderr


def test_every_language_and_test_kind_imports(tmp_path: Path) -> None:
    records = [
        task_record(
            "io-1",
            tests={
                "kind": "io",
                "cases": [{"stdin": "1 2", "stdout": "3"}],
                "compare": "whitespace",
            },
        ),
        task_record(
            "unit-1",
            tests={
                "kind": "unit",
                "code": "def test_add(): pass",
                "timeout_s": 5,
                "memory_mb": 256,
            },
        ),
        task_record(
            "sql-1",
            language="sql",
            tests={
                "kind": "io",
                "setup": "CREATE TABLE t(x);",
                "expected_rows": [[1, "a"], [2, None]],
            },
        ),
        task_record("none-1", tests=None),
    ]
    records[-1].pop("tests")
    for language in ("javascript", "typescript", "java", "go", "rust", "c", "cpp", "php"):
        records.append(task_record(f"{language}-1", language=language))
    db = tmp_path / "w.db"
    run_cli("import", write_jsonl(tmp_path / "t.jsonl", records), "--db", db, check=True)
    with Store.open(db) as store:
        assert store.count_tasks() == len(records)
        sql = store.get_task("sql-1")
        assert sql is not None and sql.tests is not None
        assert sql.tests.expected_rows == ((1, "a"), (2, None))
        none = store.get_task("none-1")
        assert none is not None and none.tests is None


def test_an_error_chunks_after_the_first_stores_nothing_and_indexes_nothing(
    tmp_path: Path,
) -> None:
    """Records are validated ahead in a thread while earlier chunks are stored: an error
    several chunks in still rolls back everything stored before it, index included."""
    records = [task_record(f"t-{i}") for i in range(2500)]
    records[2399] = _bad(records[2399], ["responses", 1, "code"], 7)
    path = write_jsonl(tmp_path / "tasks.jsonl", records)
    with Store.open(tmp_path / "w.db") as store:
        report = import_task_file(store, path)
        assert report.aborted and report.imported == 0
        assert [str(e) for e in report.errors] == [
            f"{path}:2400: responses[1].code: expected a string, got a number"
        ]
        assert store.count_tasks() == 0
        check_integrity(store.conn)  # no token of the rolled-back chunks is left

        report = import_task_file(store, path, skip_invalid=True)
        assert report.imported == 2499 and len(report.errors) == 1
        assert store.task_ids()[2398:2400] == ["t-2398", "t-2400"]
        check_integrity(store.conn)


def test_an_import_leaves_consistent_rows_and_foreign_keys_checked(tmp_path: Path) -> None:
    """The import stores its rows with foreign keys unchecked (they hold by construction):
    every response has its task, and checks are back on after a good and a failed file."""
    good = write_jsonl(tmp_path / "good.jsonl", [task_record(f"g-{i}") for i in range(150)])
    bad = write_jsonl(tmp_path / "bad.jsonl", [task_record("b-1"), {"id": "b-2"}])
    with Store.open(tmp_path / "w.db") as store:
        for path in (good, bad):
            import_task_file(store, path)
            assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert store.count_tasks() == 150
        with pytest.raises(sqlite3.IntegrityError):
            store.conn.execute(
                "INSERT INTO responses(task_id, key, response_id, code)"
                " VALUES ('nope', 'a', 'a', '')"
            )
