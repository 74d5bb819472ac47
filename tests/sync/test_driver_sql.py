"""Statements through the driver and pipelined writes (``driver_sql``, ``db.pipeline_writes``).

On real PostgreSQL (and SQLite, where the same statements run through SQLAlchemy): a
database error is raised as SQLAlchemy's wrapped exception whether it surfaces at the
statement, at a later read in the pipeline or at the commit; ``db.write`` then retries
the whole transaction on a healthy connection, and nothing of a failed attempt is kept.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import IntegrityError

from coderlhf_tui.sync.server import db
from coderlhf_tui.sync.server.driver_sql import DriverStatement

_INSERT = DriverStatement(text("INSERT INTO probe_driver (a, note) VALUES (:a, :note)"))
_COUNT = DriverStatement(text("SELECT count(*) AS n, max(a) AS top FROM probe_driver"))


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = db.make_engine(db_url, pool_size=4)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE probe_driver (a INTEGER PRIMARY KEY, note TEXT)"))
    yield engine
    engine.dispose()


def _rows(engine: Engine) -> list[tuple[int, str]]:
    with engine.connect() as conn:
        found = conn.execute(text("SELECT a, note FROM probe_driver ORDER BY a")).all()
    return [(int(a), str(note)) for a, note in found]


def test_rows_are_named_and_values_round_trip(engine: Engine) -> None:
    def work(conn: Connection) -> tuple[int, int]:
        _INSERT.run(conn, [{"a": 1, "note": "é ' %s"}, {"a": 2, "note": "x"}])
        row = _COUNT.rows(conn, {})[0]
        return int(row.n), int(row.top)

    assert db.write(engine, work) == (2, 2)
    assert _rows(engine) == [(1, "é ' %s"), (2, "x")]


@pytest.mark.parametrize("surfaces", ["at-commit", "at-a-later-statement", "at-a-read"])
def test_a_failed_pipelined_attempt_is_retried_whole(engine: Engine, surfaces: str) -> None:
    attempts: list[int] = []

    def work(conn: Connection) -> str:
        attempts.append(1)
        db.pipeline_writes(conn)
        _INSERT.run(conn, {"a": 10, "note": f"attempt {len(attempts)}"})
        # the first two attempts collide with their own row (a lost race, as it looks)
        _INSERT.run(conn, {"a": 10 if len(attempts) < 3 else 11, "note": "second"})
        if surfaces == "at-a-later-statement":
            # the error's reply arrives meanwhile (as during a push's allocator round
            # trip) and is raised by the next statement queued; the rollback after it
            # must not run in the aborted pipeline (that error would mask this one)
            time.sleep(0.3)
            _INSERT.run(conn, {"a": 12, "note": "third"})
        if surfaces == "at-a-read":
            _COUNT.rows(conn, {})  # a read flushes the pipeline: the error surfaces here
        return "stored"

    assert db.write(engine, work) == "stored"
    assert len(attempts) == 3
    third = [(12, "third")] if surfaces == "at-a-later-statement" else []
    assert _rows(engine) == [(10, "attempt 3"), (11, "second"), *third]
    assert db.write(engine, lambda conn: len(_COUNT.rows(conn, {}))) == 1  # the pool is healthy


def test_an_error_is_sqlalchemys_wrapped_one(engine: Engine) -> None:
    def work(conn: Connection) -> None:
        _INSERT.run(conn, {"a": 1, "note": "a"})
        _INSERT.run(conn, {"a": 1, "note": "b"})

    with pytest.raises(IntegrityError):
        db.write(engine, work)
    assert _rows(engine) == []
