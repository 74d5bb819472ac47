"""The audit routes: the tasks an audit runs, and where trusted evidence enters the server.

An admin's audit or a registered audit worker (role ``auditor``) reads the tasks in
import order (code and tests, never the gold answer), runs them, and posts the test
runs and scans it produced itself; they are stored as trusted and reach every
annotator of the task. The post is ``evidence_records.store_trusted_evidence``, the
call ``coderlhf server evidence import`` makes on the database directly.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select

from coderlhf_tui.sync.server import db
from coderlhf_tui.sync.server.deps import AuditProducer, DbEngine
from coderlhf_tui.sync.server.evidence_records import store_trusted_evidence
from coderlhf_tui.sync.server.schema import tasks
from coderlhf_tui.sync.wire.protocol import (
    MAX_PULL,
    AuditTasksOut,
    TrustedEvidenceOut,
    TrustedEvidenceRequest,
)

router = APIRouter(prefix="/v1/audit", tags=["audit"])


@router.post(
    "/evidence",
    response_model=TrustedEvidenceOut,
    summary="Store an audit's test runs and scans as trusted evidence",
)
def store_audit_evidence(
    request: TrustedEvidenceRequest, producer: AuditProducer, engine: DbEngine
) -> TrustedEvidenceOut:
    """Admins and audit workers only; replaying a request stores nothing new."""
    return TrustedEvidenceOut(stored=store_trusted_evidence(engine, producer, request.evidence))


@router.get("/tasks", response_model=AuditTasksOut, summary="Tasks to audit, in import order")
def audit_tasks(
    producer: AuditProducer,
    engine: DbEngine,
    after: Annotated[int, Query(ge=-1, le=2**62)] = -1,
    limit: Annotated[int, Query(ge=1, le=MAX_PULL)] = 500,
) -> AuditTasksOut:
    """Pass the returned `after` next time; repeat while `more` is true. No gold answers."""
    query = (
        select(tasks.c.position, tasks.c.body)
        .where(tasks.c.position > after)
        .order_by(tasks.c.position)
        .limit(limit + 1)
    )
    with db.reading(engine) as conn:
        rows = conn.execute(query).all()
    page = rows[:limit]
    bodies = []
    for row in page:
        body = json.loads(row.body)
        body.pop("gold", None)  # an audit checks the code, it never needs the known answer
        bodies.append(body)
    return AuditTasksOut(
        tasks=bodies, after=int(page[-1].position) if page else after, more=len(rows) > limit
    )
