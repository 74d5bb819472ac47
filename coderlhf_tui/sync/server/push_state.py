"""What a push reads before it decides anything, in one statement.

A push needs three things from the database before it can plan its writes: which of
its tasks the caller may write to (blind review: an annotator's assignments, a lead's
existing tasks), the stored rows of its annotation ids and of the caller's annotations
of its tasks (locked, so that two pushes of one annotation queue), and on PostgreSQL the
writer's transaction id, which ``seqs.take`` records beside the numbers it hands out.
They used to be three statements, each a round trip and, profiled under
``benchmarks/sync_load.py``, about a tenth of a push's server CPU apiece (the
statement's execution through SQLAlchemy and psycopg, the thread's sleep and wake-up on
the socket): here they are the members of one ``UNION ALL``, the locked rows read in a
CTE (a locking clause may not apply to a union itself). The statement is built once per
dialect and role, with every list bound as one parameter (``db.one_of``), and run
through the driver on PostgreSQL (``driver_sql``).

Asking for the transaction id makes PostgreSQL assign one even when the batch turns out
to change nothing (a replay), which costs such a transaction a commit record; replays
are rare and every other push writes anyway.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    CompoundSelect,
    Connection,
    Integer,
    String,
    and_,
    bindparam,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)

from coderlhf_tui.sync.server import db
from coderlhf_tui.sync.server.accounts import Account
from coderlhf_tui.sync.server.driver_sql import DriverStatement
from coderlhf_tui.sync.server.schema import annotation_table, assignments, tasks


@dataclass(frozen=True, slots=True)
class StoredAnnotation:
    """A stored annotation's identity, as a push compares against it."""

    id: str
    user_id: int
    task_id: str
    revision: int


@dataclass(slots=True)
class PushState:
    """The database's answer to a batch, read before planning it."""

    reachable: set[str]
    """of the batch's tasks, those the caller may write work for"""
    stored: dict[str, StoredAnnotation]
    """the stored rows of the batch's annotation ids"""
    taken: dict[str, str]
    """the caller's stored annotation id per task of the batch's annotations"""
    xid: int | None
    """the writer's transaction id (PostgreSQL; None on SQLite)"""


def read_push_state(
    conn: Connection,
    user: Account,
    task_ids: set[str],
    annotation_ids: list[str],
    annotation_tasks: list[str],
) -> PushState:
    """Read and lock what planning a batch needs; one statement, one round trip."""
    postgresql = db.is_postgresql(conn)
    params = {
        "user_id": user.id,
        "task_ids": sorted(task_ids),
        "ids": annotation_ids,
        "ann_task_ids": annotation_tasks,
    }
    statement = _STATEMENTS[(postgresql, user.sees_everything)]
    state = PushState(reachable=set(), stored={}, taken={}, xid=None)
    wanted, tasks_wanted = set(annotation_ids), set(annotation_tasks)
    for row in statement.rows(conn, params):
        if row.item == "reach":
            state.reachable.add(row.task_id)
        elif row.item == "xid":
            state.xid = int(row.revision)
        else:
            stored = StoredAnnotation(row.id, int(row.user_id), row.task_id, int(row.revision))
            if stored.id in wanted:
                state.stored[stored.id] = stored
            if stored.user_id == user.id and stored.task_id in tasks_wanted:
                state.taken[stored.task_id] = stored.id
    return state


def _statement(postgresql: bool, sees_everything: bool) -> CompoundSelect[Any]:
    none_text, none_int = cast(null(), String), cast(null(), Integer)
    ann = annotation_table.c
    locked = (
        select(ann.id, ann.user_id, ann.task_id, ann.revision)
        .where(
            or_(
                db.one_of(ann.id, "ids", postgresql=postgresql),
                and_(
                    ann.user_id == bindparam("user_id"),
                    db.one_of(ann.task_id, "ann_task_ids", postgresql=postgresql),
                ),
            )
        )
        .order_by(ann.id)  # rows locked in one order: two batches cannot deadlock
        .with_for_update()
        .cte("locked")
    )
    if sees_everything:
        reach = select(tasks.c.id.label("task_id")).where(
            db.one_of(tasks.c.id, "task_ids", postgresql=postgresql)
        )
    else:
        reach = select(assignments.c.task_id.label("task_id")).where(
            assignments.c.user_id == bindparam("user_id"),
            db.one_of(assignments.c.task_id, "task_ids", postgresql=postgresql),
        )
    reach_rows = reach.add_columns(
        literal("reach", String).label("item"),
        none_text.label("id"),
        none_int.label("user_id"),
        cast(null(), BigInteger).label("revision"),
    )
    members = [
        reach_rows,
        select(
            locked.c.task_id,
            literal("stored", String).label("item"),
            locked.c.id,
            locked.c.user_id,
            cast(locked.c.revision, BigInteger).label("revision"),
        ),
    ]
    if postgresql:
        members.append(
            select(
                none_text.label("task_id"),
                literal("xid", String).label("item"),
                none_text.label("id"),
                none_int.label("user_id"),
                func.txid_current().label("revision"),
            )
        )
    return union_all(*members)


_STATEMENTS = {
    (postgresql, sees_everything): DriverStatement(_statement(postgresql, sees_everything))
    for postgresql in (False, True)
    for sees_everything in (False, True)
}
