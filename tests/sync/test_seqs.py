"""The change sequence's watermark under concurrent writers (``coderlhf_tui.sync.server.seqs``).

Writers take numbers and then commit after a random delay (some abort instead), while a
reader repeatedly reads the watermark ``W`` and every row at or below it. The invariant
the pull cursor rests on: a row numbered at or below a watermark the reader has already
been given must never appear later. Aborted writers, and writers whose database session
is killed, must not hold the watermark back. SQLite (one writer at a time) and
PostgreSQL (concurrent writers, the ``sync_inflight`` path) both run it.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Connection, Engine, text

from coderlhf_tui.sync.server import db, seqs


class _Abort(Exception):
    """Raised inside a writer's transaction to roll it back."""


def _open(url: str) -> Engine:
    engine = db.make_engine(url, pool_size=24)
    db.upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE probe (seq BIGINT PRIMARY KEY)"))
    return engine


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """SQLite or PostgreSQL, with a ``probe`` table for numbered rows."""
    engine = _open(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def pg_engine(pg_url: str) -> Iterator[Engine]:
    """PostgreSQL only (concurrent writers), with the ``probe`` table."""
    engine = _open(pg_url)
    yield engine
    engine.dispose()


def _write(engine: Engine, count: int, delay: float, abort: bool) -> list[int]:
    def work(conn: Connection) -> list[int]:
        first = seqs.take(conn, count)
        numbers = list(range(first, first + count))
        time.sleep(delay)  # others take numbers and commit meanwhile
        conn.execute(text("INSERT INTO probe (seq) VALUES (:s)"), [{"s": n} for n in numbers])
        if abort:
            raise _Abort
        return numbers

    try:
        return db.write(engine, work)
    except _Abort:
        return []


def _read(engine: Engine) -> tuple[int, set[int]]:
    with db.reading(engine) as conn:
        until = seqs.visible_until(conn)
        rows = conn.execute(text("SELECT seq FROM probe WHERE seq <= :w"), {"w": until})
        return until, {int(r.seq) for r in rows}


def test_reader_never_skips_a_late_commit(engine: Engine) -> None:
    stop = threading.Event()
    violations: list[str] = []
    watermarks: list[int] = []

    def reader() -> None:
        seen: set[int] = set()
        previous = 0
        while not stop.is_set():
            until, rows = _read(engine)
            late = sorted(n for n in rows - seen if n <= previous)
            if late:
                violations.append(f"{late[:5]} appeared below watermark {previous}")
            if until < previous:
                violations.append(f"watermark went back from {previous} to {until}")
            seen |= rows
            previous = max(previous, until)
            watermarks.append(until)

    def writer(seed: int) -> list[int]:
        rng = random.Random(seed)
        committed: list[int] = []
        for _ in range(40):
            delay = rng.choice([0.0, 0.0, 0.001, 0.005, 0.02, 0.05])
            committed += _write(engine, rng.randint(1, 4), delay, abort=rng.random() < 0.1)
        return committed

    readers = [threading.Thread(target=reader) for _ in range(2)]
    for thread in readers:
        thread.start()
    with ThreadPoolExecutor(8) as pool:
        committed = sorted(n for part in pool.map(writer, range(8)) for n in part)
    stop.set()
    for thread in readers:
        thread.join(timeout=60)
    assert not violations, violations[:5]
    assert len(set(watermarks)) > 10  # the readers really ran alongside the writers
    until, rows = _read(engine)
    assert rows == set(committed)  # aborted numbers stay unused, nothing else is missing
    assert until >= max(committed)  # and the aborted writers no longer hold it back


def test_running_writer_holds_the_watermark_and_aborts_release_it(pg_engine: Engine) -> None:
    engine = pg_engine
    taken = threading.Event()
    release = threading.Event()
    slow_numbers: list[int] = []

    def slow(conn: Connection) -> None:
        first = seqs.take(conn, 3)
        slow_numbers.extend(range(first, first + 3))
        taken.set()
        release.wait(30)
        raise _Abort

    with ThreadPoolExecutor(1) as pool:
        job = pool.submit(lambda: db.write(engine, slow))
        assert taken.wait(30)
        later = _write(engine, 2, 0.0, abort=False)
        until, rows = _read(engine)
        assert until < slow_numbers[0] < later[0]  # a running writer holds readers back
        assert rows.isdisjoint(later)
        release.set()
        with pytest.raises(_Abort):
            job.result(30)
    until, rows = _read(engine)  # its abort lets the watermark pass, at once
    assert until >= later[-1]
    assert set(later) <= rows


def test_killed_writer_session_does_not_stall_readers(pg_engine: Engine) -> None:
    engine = pg_engine
    taken = threading.Event()
    pids: list[int] = []

    def doomed(conn: Connection) -> None:
        pids.append(int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one()))
        seqs.take(conn, 1)
        taken.set()
        time.sleep(2)
        conn.execute(text("SELECT 1"))  # the session is gone by now

    with ThreadPoolExecutor(1) as pool:
        job = pool.submit(lambda: db.write(engine, doomed))
        assert taken.wait(30)
        later = _write(engine, 1, 0.0, abort=False)
        assert _read(engine)[0] < later[0]
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pids[0]})
            conn.commit()
        deadline = time.monotonic() + 10
        while _read(engine)[0] < later[0]:
            assert time.monotonic() < deadline, "a dead writer's entry holds the watermark"
            time.sleep(0.05)
        job.result(30)  # retried on a fresh connection (the lost one is replaced)
    with engine.connect() as conn:
        left = conn.execute(text("SELECT count(*) FROM sync_inflight")).scalar_one()
    assert left == 0  # cleaned, not only skipped
