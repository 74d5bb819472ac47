"""Reading the change sequence from a cursor, filtered by what the caller may see.

The reader first reads the watermark ``W`` (``seqs.visible_until``: every number at
or below it is visible now or never will be) and then only rows numbered in
(cursor, W], so the next cursor never skips a late commit. Each kind of row is read
with ``limit + 1`` rows at most and the kinds are merged by number; when more than
``limit`` items qualify, the page ends at the last item returned and ``more`` is true.

Leads and admins read each kind with a query of its own; an annotator's three kinds come
in one statement (a UNION ALL of the three windows, built once with bound parameters,
run through the driver on PostgreSQL: ``driver_sql``), which saves two round trips and
the statement building on the busiest route. Annotators receive their assigned tasks
(without the gold answer: they are blind to it), their own annotations, and of those
tasks' evidence only their own and the trusted (``evidence_records``); leads and admins
receive every task, annotation and adjudication, and evidence on the same terms as
annotators: someone else's claim is never applied to a store, where it would answer a
test run as a cache hit (leads review claims, labelled, with ``GET
/v1/tasks/{id}/evidence``). An evidence item names its producer and trust, and carries
neither the time it was stored nor its own number.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Connection,
    Select,
    String,
    bindparam,
    cast,
    literal,
    null,
    or_,
    select,
    union_all,
)

from coderlhf_tui.sync.server import seqs
from coderlhf_tui.sync.server.accounts import Account
from coderlhf_tui.sync.server.driver_sql import DriverStatement
from coderlhf_tui.sync.server.schema import (
    adjudications,
    annotation_table,
    assignments,
    evidence_documents,
    evidence_records,
    tasks,
    users,
)
from coderlhf_tui.sync.wire.protocol import PullResponse

Item = tuple[int, str, dict[str, Any]]


def pull(conn: Connection, user: Account, cursor: int, limit: int) -> PullResponse:
    """One page of changes after ``cursor`` for ``user``."""
    until = seqs.visible_until(conn)
    items: list[Item] = []
    if user.sees_everything:
        items += _bodies(conn, tasks, "task", cursor, until, limit)
        items += _bodies(conn, annotation_table, "annotation", cursor, until, limit)
        items += _bodies(conn, adjudications, "adjudication", cursor, until, limit)
        items += _evidence(conn, user.id, cursor, until, limit)
    elif until > cursor:
        items += _annotator_items(conn, user.id, cursor, until, limit)
    items.sort(key=lambda item: item[0])
    more = len(items) > limit
    page = items[:limit]
    next_cursor = page[-1][0] if more else max(until, cursor)
    response = PullResponse(
        cursor=next_cursor, more=more, tasks=[], annotations=[], adjudications=[], evidence=[]
    )
    for _, kind, payload in page:
        getattr(response, _LISTS[kind]).append(payload)
    if not user.sees_everything:
        response.evidence += _evidence_of_tasks(conn, user.id, [t["id"] for t in response.tasks])
    return response


_LISTS = {
    "task": "tasks",
    "annotation": "annotations",
    "adjudication": "adjudications",
    "evidence": "evidence",
}


def _annotator_items(
    conn: Connection, user_id: int, cursor: int, until: int, limit: int
) -> list[Item]:
    """An annotator's tasks, annotations and evidence in the window: one statement."""
    params = {"user_id": user_id, "cursor": cursor, "until": until, "lim": limit + 1}
    out: list[Item] = []
    for row in _annotator_feed().rows(conn, params):
        if row.item == "task":
            body = json.loads(row.body)
            body.pop("gold", None)  # annotators are blind to the gold answer
            out.append((int(row.seq), "task", body))
        elif row.item == "annotation":
            out.append((int(row.seq), "annotation", json.loads(row.body)))
        else:
            out.append((int(row.seq), "evidence", _evidence_payload(row)))
    return out


@functools.cache
def _annotator_feed() -> DriverStatement:
    """The statement of ``_annotator_items``, built once (its parameters are bound)."""
    user_id: Any = bindparam("user_id")
    lim: Any = bindparam("lim")
    none = cast(null(), String)
    no_flag = cast(null(), Boolean)

    def member(query: Select[Any], seq: Any) -> Select[Any]:
        window = query.where(seq > bindparam("cursor"), seq <= bindparam("until"))
        return select(window.order_by(seq).limit(lim).subquery())

    task_rows = select(
        assignments.c.seq.label("seq"),
        literal("task", String).label("item"),
        tasks.c.id.label("task_id"),
        none.label("response_key"),
        none.label("kind"),
        none.label("hash"),
        tasks.c.body.label("body"),
        none.label("producer"),
        no_flag.label("trusted"),
    ).join(tasks, tasks.c.id == assignments.c.task_id)
    annotation_rows = select(
        annotation_table.c.seq.label("seq"),
        literal("annotation", String).label("item"),
        annotation_table.c.task_id.label("task_id"),
        none.label("response_key"),
        none.label("kind"),
        none.label("hash"),
        annotation_table.c.body.label("body"),
        none.label("producer"),
        no_flag.label("trusted"),
    )
    evidence_rows = _evidence_query(
        user_id, evidence_records.c.seq.label("seq"), literal("evidence", String).label("item")
    ).join(
        assignments,
        (assignments.c.task_id == evidence_records.c.task_id) & (assignments.c.user_id == user_id),
    )
    return DriverStatement(
        union_all(
            member(task_rows.where(assignments.c.user_id == user_id), assignments.c.seq),
            member(
                annotation_rows.where(annotation_table.c.user_id == user_id),
                annotation_table.c.seq,
            ),
            member(evidence_rows, evidence_records.c.seq),
        )
    )


def _window(query: Select[Any], column: Any, cursor: int, until: int, limit: int) -> Select[Any]:
    return query.where(column > cursor, column <= until).order_by(column).limit(limit + 1)


def _bodies(
    conn: Connection, table: Any, kind: str, cursor: int, until: int, limit: int
) -> list[Item]:
    query = select(table.c.seq, table.c.body)
    rows = conn.execute(_window(query, table.c.seq, cursor, until, limit))
    return [(int(row.seq), kind, json.loads(row.body)) for row in rows]


def _own_or_trusted(user_id: Any) -> ColumnElement[bool]:
    """The evidence a caller may receive: their own claims and trusted evidence."""
    return or_(evidence_records.c.producer_id == user_id, evidence_records.c.trusted.is_(True))


def _evidence_query(user_id: Any, *leading: Any) -> Select[Any]:
    """The evidence ``user_id`` may receive, with its producer, after the ``leading`` columns."""
    return (
        select(
            *leading,
            evidence_records.c.task_id,
            evidence_records.c.response_key,
            evidence_records.c.kind,
            evidence_records.c.hash,
            evidence_documents.c.body,
            users.c.name.label("producer"),
            evidence_records.c.trusted,
        )
        .join(evidence_documents, evidence_documents.c.digest == evidence_records.c.digest)
        .join(users, users.c.id == evidence_records.c.producer_id)
        .where(_own_or_trusted(user_id))
    )


def _evidence(conn: Connection, user_id: int, cursor: int, until: int, limit: int) -> list[Item]:
    query = _evidence_query(user_id, evidence_records.c.seq)
    rows = conn.execute(_window(query, evidence_records.c.seq, cursor, until, limit))
    return [(int(row.seq), "evidence", _evidence_payload(row)) for row in rows]


def _evidence_of_tasks(conn: Connection, user_id: int, task_ids: list[str]) -> list[dict[str, Any]]:
    if not task_ids:
        return []
    query = _evidence_query(user_id).where(evidence_records.c.task_id.in_(task_ids))
    return [_evidence_payload(row) for row in conn.execute(query)]


def _evidence_payload(row: Any) -> dict[str, Any]:
    body = json.loads(row.body)
    key = "test_run" if row.kind == "test_run" else "findings"
    return {
        "task_id": row.task_id,
        "response_key": row.response_key,
        "kind": row.kind,
        "hash": row.hash,
        key: body,
        "producer": {"name": row.producer, "trusted": bool(row.trusted)},
    }
