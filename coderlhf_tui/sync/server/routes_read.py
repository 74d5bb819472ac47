"""Read routes, each enforcing blind review: annotators see only their own work."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel
from sqlalchemy import func, select

from coderlhf_tui.domain import Role
from coderlhf_tui.sync.server import db
from coderlhf_tui.sync.server.accounts import Account, list_accounts
from coderlhf_tui.sync.server.deps import DbEngine, Lead, User
from coderlhf_tui.sync.server.errors import Forbidden, NotFound
from coderlhf_tui.sync.server.schema import (
    adjudications,
    annotation_revisions,
    annotation_table,
    assignments,
    evidence_documents,
    evidence_records,
    tasks,
    users,
)
from coderlhf_tui.sync.server.visibility import check_task_readable
from coderlhf_tui.sync.wire.protocol import AccountOut, ProducedEvidence

router = APIRouter(prefix="/v1", tags=["read"])

TaskIdPath = Annotated[str, Path(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f]+$")]
IdPath = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")]
NameQuery = Annotated[str | None, Query(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]
TaskQuery = Annotated[str | None, Query(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f]+$")]


class TaskRef(BaseModel):
    """A task in a listing."""

    id: str
    language: str


class TeamMember(AccountOut):
    """An annotator or lead with how much work they hold (for the data card)."""

    assigned: int
    annotated: int


def _account_out(account: Account) -> AccountOut:
    return AccountOut(
        name=account.name,
        role=account.role.value,
        languages=list(account.languages),
        years=account.years,
    )


@router.get("/health", tags=["meta"], summary="Liveness, no authentication")
def health() -> dict[str, Any]:
    """Answers while the process runs and its database is reachable."""
    return {"status": "ok", "protocol": 1}


@router.get("/me", response_model=AccountOut, summary="The caller's account")
def me(user: User) -> AccountOut:
    """Who the token belongs to."""
    return _account_out(user)


@router.get("/tasks", response_model=list[TaskRef], summary="Tasks the caller may read")
def list_tasks(user: User, engine: DbEngine) -> list[TaskRef]:
    """Annotators: their assigned tasks. Leads and admins: every task."""
    query = select(tasks.c.id, tasks.c.language).order_by(tasks.c.position)
    if not user.sees_everything:
        query = query.join(assignments, assignments.c.task_id == tasks.c.id).where(
            assignments.c.user_id == user.id
        )
    with db.reading(engine) as conn:
        return [TaskRef(id=row.id, language=row.language) for row in conn.execute(query)]


@router.get("/tasks/{task_id}", summary="One task (without the gold answer for annotators)")
def get_task(task_id: TaskIdPath, user: User, engine: DbEngine) -> dict[str, Any]:
    """403 when the task is not assigned to an annotator."""
    with db.reading(engine) as conn:
        check_task_readable(conn, user, task_id)
        body = conn.execute(select(tasks.c.body).where(tasks.c.id == task_id)).scalar_one()
    task: dict[str, Any] = json.loads(body)
    if not user.sees_everything:
        task.pop("gold", None)
    return task


@router.get("/tasks/{task_id}/annotations", summary="Every annotation of a task (leads)")
def task_annotations(task_id: TaskIdPath, user: Lead, engine: DbEngine) -> list[dict[str, Any]]:
    """The judgements a lead compares when adjudicating."""
    with db.reading(engine) as conn:
        check_task_readable(conn, user, task_id)
        rows = conn.execute(
            select(annotation_table.c.body)
            .where(annotation_table.c.task_id == task_id)
            .order_by(annotation_table.c.id)
        )
        return [json.loads(row.body) for row in rows]


@router.get(
    "/tasks/{task_id}/evidence",
    response_model=list[ProducedEvidence],
    summary="Every producer's evidence of a task, labelled (leads)",
)
def task_evidence(task_id: TaskIdPath, user: Lead, engine: DbEngine) -> list[ProducedEvidence]:
    """Annotators' claims beside trusted evidence, each naming its producer: for review
    only (the sync feed never hands a claim to anyone but its producer)."""
    query = (
        select(
            evidence_records.c.response_key,
            evidence_records.c.kind,
            evidence_records.c.hash,
            evidence_records.c.trusted,
            users.c.name,
            evidence_documents.c.body,
        )
        .join(users, users.c.id == evidence_records.c.producer_id)
        .join(evidence_documents, evidence_documents.c.digest == evidence_records.c.digest)
        .where(evidence_records.c.task_id == task_id)
        .order_by(
            evidence_records.c.response_key,
            evidence_records.c.kind,
            evidence_records.c.trusted.desc(),
            users.c.name,
        )
    )
    with db.reading(engine) as conn:
        check_task_readable(conn, user, task_id)
        return [
            ProducedEvidence(
                response_key=row.response_key,
                kind=row.kind,
                hash=row.hash,
                producer=row.name,
                trusted=bool(row.trusted),
                body=json.loads(row.body),
            )
            for row in conn.execute(query)
        ]


@router.get("/annotations", summary="Annotations (annotators: only their own)")
def list_annotations(
    user: User,
    engine: DbEngine,
    annotator: NameQuery = None,
    task_id: TaskQuery = None,
) -> list[dict[str, Any]]:
    """An annotator naming anyone else gets 403."""
    if not user.sees_everything and annotator not in (None, user.name):
        raise Forbidden("annotators read only their own annotations")
    query = select(annotation_table.c.body).join(users, users.c.id == annotation_table.c.user_id)
    if not user.sees_everything:
        query = query.where(annotation_table.c.user_id == user.id)
    if annotator is not None:
        query = query.where(users.c.name == annotator)
    if task_id is not None:
        query = query.where(annotation_table.c.task_id == task_id)
    with db.reading(engine) as conn:
        rows = conn.execute(query.order_by(annotation_table.c.seq).limit(10_000))
        return [json.loads(row.body) for row in rows]


def _owned_annotation(conn: Any, user: Account, annotation_id: str) -> dict[str, Any]:
    row = conn.execute(
        select(annotation_table.c.body, annotation_table.c.user_id).where(
            annotation_table.c.id == annotation_id
        )
    ).first()
    if row is None:
        raise NotFound(f"no annotation {annotation_id!r}")
    if not user.sees_everything and int(row.user_id) != user.id:
        raise Forbidden("annotators read only their own annotations")
    body: dict[str, Any] = json.loads(row.body)
    return body


@router.get("/annotations/{annotation_id}", summary="One annotation")
def get_annotation(annotation_id: IdPath, user: User, engine: DbEngine) -> dict[str, Any]:
    """403 for another annotator's annotation."""
    with db.reading(engine) as conn:
        return _owned_annotation(conn, user, annotation_id)


@router.get("/annotations/{annotation_id}/history", summary="Every revision, oldest first")
def annotation_history(annotation_id: IdPath, user: User, engine: DbEngine) -> list[dict[str, Any]]:
    """The revisions the server received, including those a higher one replaced."""
    with db.reading(engine) as conn:
        _owned_annotation(conn, user, annotation_id)
        rows = conn.execute(
            select(annotation_revisions.c.body)
            .where(annotation_revisions.c.annotation_id == annotation_id)
            .order_by(annotation_revisions.c.revision)
        )
        return [json.loads(row.body) for row in rows]


@router.get("/adjudications", summary="Adjudications (leads)")
def list_adjudications(
    user: Lead, engine: DbEngine, task_id: TaskQuery = None
) -> list[dict[str, Any]]:
    """Leads' decisions, oldest first."""
    query = select(adjudications.c.body).order_by(adjudications.c.seq)
    if task_id is not None:
        query = query.where(adjudications.c.task_id == task_id)
    with db.reading(engine) as conn:
        return [json.loads(row.body) for row in conn.execute(query.limit(10_000))]


@router.get("/team", response_model=list[TeamMember], summary="Annotators and leads (leads)")
def team(user: Lead, engine: DbEngine) -> list[TeamMember]:
    """Languages and years of experience per person, as the data card reports them."""
    with db.reading(engine) as conn:
        assigned = _counts(conn, assignments.c.user_id)
        annotated = _counts(conn, annotation_table.c.user_id)
        return [
            TeamMember(
                **_account_out(a).model_dump(),
                assigned=assigned.get(a.id, 0),
                annotated=annotated.get(a.id, 0),
            )
            for a in list_accounts(conn)
            if a.role in (Role.ANNOTATOR, Role.LEAD)
        ]


def _counts(conn: Any, column: Any) -> dict[int, int]:
    rows = conn.execute(select(column, func.count()).group_by(column))
    return {int(row[0]): int(row[1]) for row in rows}
