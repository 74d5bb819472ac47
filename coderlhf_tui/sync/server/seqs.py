"""The server's change sequence: numbers, and the watermark below which readers may trust them.

Every stored change takes numbers from one server-wide sequence, and a pull reads rows
numbered in (cursor, watermark]. The invariant: a reader given cursor ``C`` never later
finds a new row numbered at or below ``C``. Two ways to keep it, one per database,
behind one interface (``take``, ``visible_until``, ``lock``):

SQLite has one writer at a time. ``take`` bumps the counter row inside the writer's own
transaction, so numbers are handed out in commit order and the counter's committed
value is the watermark.

PostgreSQL has many concurrent writers, and holding the counter row through every
writer's commit (one WAL flush each, about 4 ms here) made pushes serial. Instead:

1. The writer learns its transaction id (``txid_current()``), then takes its numbers in
   a separate, autocommitted statement on a connection of its own (the allocator):
   that statement bumps the counter and, atomically with it, records the first number
   and the writer's transaction id in ``sync_inflight``. The counter row is locked for
   that one statement only, and its commit does not wait for the disk
   (``synchronous_commit=off``; see "Crashes" below).
2. Inside its own transaction the writer deletes its ``sync_inflight`` row, so that the
   row disappears exactly when the writer's rows become visible (commit) and stays when
   they never will (abort, crash).
3. A reader reads, in one statement (one snapshot), the counter ``V`` and every
   ``sync_inflight`` row it can see; the watermark is ``V`` capped just below the
   smallest such first number. Every number at or below it was taken by a writer whose
   entry the reader no longer sees, that is one that has committed visibly (later
   statements see its rows) or whose entry was cleaned after it aborted.
4. An entry whose transaction aborted (or is too old for PostgreSQL to remember) would
   hold the watermark back forever; a reader that meets one deletes it, in a durable
   transaction of its own, and reads again. An entry whose writer is still running
   holds readers back, as it must. Every entry still visible counts, even when
   ``txid_status`` already says ``committed``: a commit can be reported before a new
   snapshot sees it.

Crashes: the allocator's commit is not flushed at once, but it precedes in the WAL the
writer's commit and any cleanup, both durable; a number is therefore below a watermark
some reader was given only once the counter value that handed it out is on disk, and a
restarted PostgreSQL never hands it out again.

``lock`` serialises whole-table decisions (assignment): SQLite's writer lock already does;
on PostgreSQL it is a transaction-scoped advisory lock (the counter row is no longer
held by writers, and taking numbers under a lock of the counter row would wait on
itself).
"""

from __future__ import annotations

import threading
import weakref

from sqlalchemy import Connection, Engine, create_engine, event, select, text

from coderlhf_tui.sync.server.driver_sql import DriverStatement
from coderlhf_tui.sync.server.schema import sync_counter

_ASSIGN_LOCK = 7_262_002  # pg_advisory_xact_lock key: "coderlhf whole-table decisions"
ALLOCATOR_CONNECTIONS = 2  # per process, out of its pool (settings.ServerSettings.pool_size)

_TAKE = DriverStatement(
    text(
        "WITH c AS (UPDATE sync_counter SET value = value + :n WHERE id = 1 RETURNING value)"
        " INSERT INTO sync_inflight (first_seq, xid) SELECT value - :n + 1, :xid FROM c"
        " RETURNING first_seq"
    )
)
_WATERMARK = DriverStatement(
    text(
        "SELECT c.value, i.first_seq, i.xid, txid_status(i.xid) AS status"
        " FROM sync_counter c LEFT JOIN sync_inflight i ON true WHERE c.id = 1"
    )
)
_XID = text("SELECT txid_current()")
_DONE = DriverStatement(text("DELETE FROM sync_inflight WHERE first_seq = :first"))
_CLEAN = text("DELETE FROM sync_inflight WHERE first_seq = :first AND xid = :xid")

_allocators: weakref.WeakKeyDictionary[Engine, Engine] = weakref.WeakKeyDictionary()
_allocators_lock = threading.Lock()


def take(conn: Connection, count: int, xid: int | None = None) -> int:
    """Reserve ``count`` consecutive numbers for the caller's transaction; returns the first.

    ``xid``: the caller's transaction id (``txid_current()``) when it already read it
    in a statement of its own (``push_state``), which saves a round trip; read here
    otherwise. Ignored on SQLite.
    """
    if count <= 0:
        raise ValueError("count must be positive")
    if conn.dialect.name != "postgresql":
        value = conn.execute(
            sync_counter.update()
            .where(sync_counter.c.id == 1)
            .values(value=sync_counter.c.value + count)
            .returning(sync_counter.c.value)
        ).scalar_one()
        return int(value) - count + 1
    if xid is None:
        xid = int(conn.execute(_XID).scalar_one())
    with allocator(conn.engine).connect() as side:
        first = int(_TAKE.rows(side, {"n": count, "xid": xid})[0].first_seq)
    _DONE.run(conn, {"first": first})  # undone by an abort, so the entry stays then
    return first


def visible_until(conn: Connection) -> int:
    """The watermark: every number at or below it is visible now or never will be."""
    if conn.dialect.name != "postgresql":
        return int(
            conn.execute(select(sync_counter.c.value).where(sync_counter.c.id == 1)).scalar_one()
        )
    for attempt in range(3):
        rows = _WATERMARK.rows(conn, {})
        value = int(rows[0].value)
        entries = [r for r in rows if r.first_seq is not None]
        # "in progress", or "committed" but not yet visible to this snapshot
        dead = [r for r in entries if r.status is None or r.status == "aborted"]
        if not dead or attempt == 2:  # the last try counts the dead too: never too high
            return min([value, *(int(r.first_seq) - 1 for r in entries)])
        _clean(conn.engine, [(int(r.first_seq), int(r.xid)) for r in dead])
    raise AssertionError("unreachable")


def _clean(engine: Engine, dead: list[tuple[int, int]]) -> None:
    """Delete the entries of aborted writers, durably (see the module's "Crashes")."""
    with allocator(engine).connect() as side, side.begin():
        side.execute(text("SET LOCAL synchronous_commit = on"))
        side.execute(_CLEAN, [{"first": first, "xid": xid} for first, xid in dead])


def lock(conn: Connection) -> None:
    """Serialise whole-table decisions (assignment) until the caller's transaction ends."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ASSIGN_LOCK})
        return
    conn.execute(select(sync_counter.c.value).where(sync_counter.c.id == 1)).scalar_one()


def allocator(engine: Engine) -> Engine:
    """The engine's allocator: a small autocommit pool, commits not waiting for the disk."""
    with _allocators_lock:
        found = _allocators.get(engine)
        if found is None:
            found = create_engine(
                engine.url,
                isolation_level="AUTOCOMMIT",
                pool_size=ALLOCATOR_CONNECTIONS,
                max_overflow=0,
                connect_args={"options": "-c synchronous_commit=off"},
            )
            _allocators[engine] = found
            event.listen(engine, "engine_disposed", lambda _conn: found.dispose())
        return found
