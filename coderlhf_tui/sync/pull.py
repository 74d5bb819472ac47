"""Reading the change sequence from a cursor, filtered by what the caller may see.

The reader first reads the watermark ``W`` (``seqs.visible_until``: every number at
or below it is visible now or never will be) and then only rows numbered in
(cursor, W], so the next cursor never skips a late commit. Each kind of row is read
with ``limit + 1`` rows at most and the kinds are merged by number; when more than
``limit`` items qualify, the page ends at the last item returned and ``more`` is true.

Annotators receive their assigned tasks (without the gold answer: they are blind to
it), the evidence of those tasks and their own annotations; leads and admins receive
everything, including adjudications.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, Select, select

from coderlhf_tui.sync import seqs
from coderlhf_tui.sync.accounts import Account
from coderlhf_tui.sync.protocol import PullResponse
from coderlhf_tui.sync.schema import (
    adjudications,
    annotation_table,
    assignments,
    evidence_bodies,
    response_evidence,
    tasks,
)

Item = tuple[int, str, dict[str, Any]]


def pull(conn: Connection, user: Account, cursor: int, limit: int) -> PullResponse:
    """One page of changes after ``cursor`` for ``user``."""
    until = seqs.visible_until(conn)
    items: list[Item] = []
    if user.sees_everything:
        items += _tasks(
            conn,
            _window(select(tasks.c.seq, tasks.c.body), tasks.c.seq, cursor, until, limit),
            strip_gold=False,
        )
        items += _bodies(conn, annotation_table, "annotation", None, cursor, until, limit)
        items += _bodies(conn, adjudications, "adjudication", None, cursor, until, limit)
        items += _evidence(conn, None, cursor, until, limit)
    else:
        query = (
            select(assignments.c.seq, tasks.c.body)
            .join(tasks, tasks.c.id == assignments.c.task_id)
            .where(assignments.c.user_id == user.id)
        )
        items += _tasks(
            conn, _window(query, assignments.c.seq, cursor, until, limit), strip_gold=True
        )
        items += _bodies(conn, annotation_table, "annotation", user.id, cursor, until, limit)
        items += _evidence(conn, user.id, cursor, until, limit)
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
        response.evidence += _evidence_of_tasks(conn, [t["id"] for t in response.tasks])
    return response


_LISTS = {
    "task": "tasks",
    "annotation": "annotations",
    "adjudication": "adjudications",
    "evidence": "evidence",
}


def _window(query: Select[Any], column: Any, cursor: int, until: int, limit: int) -> Select[Any]:
    return query.where(column > cursor, column <= until).order_by(column).limit(limit + 1)


def _tasks(conn: Connection, query: Select[Any], *, strip_gold: bool) -> list[Item]:
    out: list[Item] = []
    for row in conn.execute(query):
        body = json.loads(row.body)
        if strip_gold:
            body.pop("gold", None)
        out.append((int(row.seq), "task", body))
    return out


def _bodies(
    conn: Connection,
    table: Any,
    kind: str,
    user_id: int | None,
    cursor: int,
    until: int,
    limit: int,
) -> list[Item]:
    query = select(table.c.seq, table.c.body)
    if user_id is not None:
        query = query.where(table.c.user_id == user_id)
    rows = conn.execute(_window(query, table.c.seq, cursor, until, limit))
    return [(int(row.seq), kind, json.loads(row.body)) for row in rows]


def _evidence_query() -> Select[Any]:
    return select(
        response_evidence.c.seq,
        response_evidence.c.task_id,
        response_evidence.c.response_key,
        response_evidence.c.kind,
        response_evidence.c.hash,
        evidence_bodies.c.body,
    ).join(evidence_bodies, evidence_bodies.c.hash == response_evidence.c.hash)


def _evidence(
    conn: Connection, user_id: int | None, cursor: int, until: int, limit: int
) -> list[Item]:
    query = _evidence_query()
    if user_id is not None:
        query = query.join(
            assignments,
            (assignments.c.task_id == response_evidence.c.task_id)
            & (assignments.c.user_id == user_id),
        )
    rows = conn.execute(_window(query, response_evidence.c.seq, cursor, until, limit))
    return [(int(row.seq), "evidence", _evidence_payload(row)) for row in rows]


def _evidence_of_tasks(conn: Connection, task_ids: list[str]) -> list[dict[str, Any]]:
    if not task_ids:
        return []
    rows = conn.execute(_evidence_query().where(response_evidence.c.task_id.in_(task_ids)))
    return [_evidence_payload(row) for row in rows]


def _evidence_payload(row: Any) -> dict[str, Any]:
    body = json.loads(row.body)
    key = "test_run" if row.kind == "test_run" else "findings"
    return {
        "task_id": row.task_id,
        "response_key": row.response_key,
        "kind": row.kind,
        "hash": row.hash,
        key: body,
    }
