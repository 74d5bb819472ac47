"""The import's C fast path (task_decode) accepts exactly what the field-by-field validator
accepts, as the same Task, and leaves every other line to it (so errors stay as they were).

Each line below is decoded both ways: by ``decode_task`` and by ``json`` plus
``task_from_record``. Where the fast path returns a task, the validator must accept the
line and return an equal task; where the validator rejects the line, the fast path must
return None. The lines are the valid shapes of docs/formats.md and the near misses that
differ between the two parsers (NaN, 1e400, lone surrogates, big integers, duplicate keys).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from coderlhf_tui.ingest import import_task_file, load_task_file, task_from_record
from coderlhf_tui.record_files import FieldError
from coderlhf_tui.store import Store
from coderlhf_tui.task_decode import decode_rows, decode_task
from coderlhf_tui.task_rows import rows_of_task
from tests.core.helpers import task_record, write_jsonl

NOW = "2026-12-07T06:00:00.000000Z"


def _line(record: Any, **overrides: Any) -> bytes:
    if overrides:
        record = {**record, **overrides}
    return json.dumps(record).encode()


def _tests(**fields: Any) -> bytes:
    return _line(task_record("t"), tests=fields)


VALID = [
    _line(task_record("t")),
    _line(task_record("t", language="sql"), tests={"kind": "io", "expected_rows": [[1, "a"]]}),
    _line(task_record("t"), metadata={"source": "x", "n": [1, 2.5, None, {"deep": True}]}),
    _line(task_record("t"), gold={"preference": "A>B", "note": "why"}),
    _line(task_record("t"), gold={"preference": "tie"}),
    _line(task_record("t"), task_type=None, tests=None, gold=None, metadata=None),
    _line(
        task_record("t"),
        responses=[{"id": f"r{i}", "code": f"x = {i}", "model": None} for i in range(8)],
    ),
    _tests(kind="io", cases=[{"stdin": "1", "stdout": "1"}, {"stdout": "2"}], compare="float:1e-6"),
    _tests(kind="unit", code="def test(): pass", timeout_s=5, memory_mb=256, ordered=True),
    _tests(kind="script", code="assert 1", timeout_s=0.1, entry_point="main", setup="s"),
    _tests(kind="script", code="assert 1", compare="whitespace", cases=[]),
    b'{"id":"t","id":"u","language":"go","prompt":"p","responses":'
    b'[{"id":"a","code":""},{"id":"b","code":""}]}',
    b'{"id":"t","language":"go","prompt":"\\u00e9\\ud83d\\ude00","responses":'
    b'[{"id":"a","code":"\\u0000"},{"id":"b","code":"\\/"}]}\r\n',
    _line(task_record("t"), metadata={"big": 123456789012345678901234567890, "f": 1e22}),
    _line(task_record("t", language="sql"), tests={"kind": "io", "expected_rows": [[2**70]]}),
]

INVALID_OR_SLOW = [
    _line(task_record("t"), promt="typo"),
    _line(task_record(" ")),
    _line(task_record("x" * 201)),
    _line(task_record("a\x1fb")),
    _line(task_record("t"), prompt="  "),
    _line(task_record("t"), prompt=None),
    _line(task_record("t", language="cobol")),
    _line(task_record("t"), task_type="dance"),
    _line(task_record("t"), responses=[{"id": "a", "code": ""}]),
    _line(task_record("t"), responses=[{"id": "a", "code": ""}, {"id": "a", "code": ""}]),
    _line(task_record("t"), responses=[{"id": "a", "code": ""}, {"id": " ", "code": ""}]),
    _line(task_record("t"), responses=[{"id": str(i), "code": ""} for i in range(9)]),
    _line(task_record("t"), responses=[{"id": "a", "code": 1}, {"id": "b", "code": ""}]),
    _line(task_record("t"), responses=[{"id": "a", "code": "", "x": 1}, {"id": "b", "code": ""}]),
    _line(
        task_record("t"),
        responses=[{"id": f"r{i}", "code": ""} for i in range(3)],
        gold={"preference": "A>B"},
    ),
    _line(task_record("t"), gold={"preference": "A>>>B"}),
    _line(task_record("t"), gold={"preference": "A>B", "extra": 1}),
    _line(task_record("t"), metadata=[1]),
    _tests(kind="fuzz", code="x"),
    _tests(kind="io"),
    _tests(kind="io", cases=[{"stdin": "1"}]),
    _tests(kind="script"),
    _tests(kind="unit", code="   "),
    _tests(kind="script", code="x", compare="roughly"),
    _tests(kind="script", code="x", timeout_s=0.01),
    _tests(kind="script", code="x", timeout_s=601),
    _tests(kind="script", code="x", timeout_s=True),
    _tests(kind="script", code="x", memory_mb=8),
    _tests(kind="script", code="x", memory_mb=64.0),
    _tests(kind="script", code="x", ordered="yes"),
    _line(task_record("t", language="sql"), tests={"kind": "io"}),
    _line(task_record("t", language="sql"), tests={"kind": "io", "expected_rows": [[[1]]]}),
    _line(task_record("t", language="sql"), tests={"kind": "io", "expected_rows": [1]}),
    _line(task_record("t"), metadata={"x": float("nan")}),
    b'{"id":"t","language":"go","prompt":"p","metadata":{"x":1e400},"responses":'
    b'[{"id":"a","code":""},{"id":"b","code":""}]}',
    b'{"id":"t","language":"sql","prompt":"p","tests":{"kind":"io","expected_rows":[[1e400]]},'
    b'"responses":[{"id":"a","code":""},{"id":"b","code":""}]}',
    b'{"id":"t\\ud800","language":"go","prompt":"p","responses":'
    b'[{"id":"a","code":""},{"id":"b","code":""}]}',
    b'{"id":"t","language":"go","prompt":"p\tq","responses":[]}',
    b"\xef\xbb\xbf" + _line(task_record("t")),
    _line(task_record("t")) + b" x",
    b'["a", "list"]',
    b'{"id": "\xff"}',
]


def _slow(line: bytes) -> Any:
    """The validator's answer: a Task, or the exception that rejects the line."""
    try:
        return task_from_record(json.loads(line.decode("utf-8")))
    except (FieldError, ValueError) as error:
        return error


@pytest.mark.parametrize("line", VALID, ids=range(len(VALID)))
def test_a_valid_line_becomes_the_same_task_either_way(line: bytes) -> None:
    slow = _slow(line)
    assert not isinstance(slow, Exception), slow
    fast = decode_task(line)
    if fast is not None:  # a few valid shapes (huge integers) may take the slow path
        assert fast == slow
    rows = decode_rows(line, NOW)
    assert (rows is None) == (fast is None)
    if rows is not None:  # the rows the store gets: the same columns, the same JSON text
        assert rows == rows_of_task(slow, NOW)


@pytest.mark.parametrize("line", INVALID_OR_SLOW, ids=range(len(INVALID_OR_SLOW)))
def test_the_fast_path_accepts_nothing_the_validator_rejects(line: bytes) -> None:
    fast = decode_task(line)
    slow = _slow(line)
    rows = decode_rows(line, NOW)
    if isinstance(slow, Exception):
        assert fast is None and rows is None
    else:
        assert fast is None or fast == slow
        assert rows is None or rows == rows_of_task(slow, NOW)


def test_the_fast_path_takes_the_usual_records() -> None:
    """It must not quietly refuse everything (then the import would only be slow)."""
    taken = [line for line in VALID[:11] if decode_task(line) is not None]
    assert taken == VALID[:11]
    assert all(decode_rows(line, NOW) is not None for line in VALID[:11])


def test_an_import_reads_back_the_tasks_the_validator_makes(tmp_path: Path) -> None:
    """Every valid line imported (each through the fast path or the slow one) and read
    back from the store equals the validator's task for it."""
    records = [json.loads(line) for line in VALID[:11]]
    for index, record in enumerate(records):
        record["id"] = f"t-{index}"
    path = write_jsonl(tmp_path / "tasks.jsonl", records)
    expected = [task_from_record(record) for record in records]
    loaded, errors = load_task_file(path)
    assert errors == [] and loaded == expected
    with Store.open(tmp_path / "w.db") as store:
        report = import_task_file(store, path)
        assert report.ok and report.imported == len(records)
        assert [store.get_task(task.id) for task in expected] == expected


def test_the_import_stores_the_rows_insert_tasks_stores(tmp_path: Path) -> None:
    """The same file through the import (rows from the fast path) and through
    ``Store.insert_tasks`` (rows from each Task) leaves the same rows, bar the time."""
    records = [json.loads(line) for line in VALID[:11]]
    for index, record in enumerate(records):
        record["id"] = f"t-{index}"
    path = write_jsonl(tmp_path / "tasks.jsonl", [*records, "{not json", {"id": "x"}])
    tables: list[tuple[list[Any], list[Any]]] = []
    for name in ("imported", "inserted"):
        with Store.open(tmp_path / f"{name}.db") as store:
            if name == "imported":
                assert import_task_file(store, path, skip_invalid=True).imported == len(records)
            else:
                store.insert_tasks(load_task_file(path)[0])
            tables.append(
                (
                    store.conn.execute(
                        "SELECT id, language, task_type, prompt, tests, gold, metadata, is_gold,"
                        " n_responses FROM tasks ORDER BY rowid"
                    ).fetchall(),
                    store.conn.execute("SELECT * FROM responses ORDER BY rowid").fetchall(),
                )
            )
    assert tables[0] == tables[1]
    assert len(tables[0][0]) == len(records) and len(tables[0][1]) == 2 * 10 + 8


def test_many_tasks_are_stored_whole_and_in_order(tmp_path: Path) -> None:
    """More rows than one INSERT statement takes (and not a multiple of it): every task
    and response is stored, in the file's order, and reads back as the validator made it."""
    records = [
        task_record(
            f"t-{index:03d}",
            responses=[{"id": f"r{k}", "code": f"x = {index} + {k}"} for k in range(2 + index % 2)],
        )
        for index in range(251)
    ]
    path = write_jsonl(tmp_path / "tasks.jsonl", records)
    with Store.open(tmp_path / "w.db") as store:
        assert import_task_file(store, path).imported == len(records)
        assert store.task_ids() == [record["id"] for record in records]
        assert list(store.iter_tasks()) == [task_from_record(record) for record in records]
