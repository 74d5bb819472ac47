"""Applying a pushed batch: identity and blind-review checks, then idempotent writes.

Everything in a batch is decided before anything is written, and the whole batch is one
transaction: a refused item refuses the batch (403/422) and stores nothing. For one
annotation id the higher revision wins; every revision received is kept in the history;
an equal revision is a duplicate and changes nothing, which is what makes replaying a
batch (after a lost response, a killed server, a retry) harmless.

The CPU work of a batch (canonical JSON of every body, evidence checks) is done by
``prepare`` before the transaction opens, and the transaction reads with one statement
(``push_state``: reachable tasks, locked annotation rows, the transaction id; more only
for replays, adjudications and evidence) and writes with one statement (executemany) per
table, so a transaction lasts a few statements, not the batch's Python work. Sequence
numbers (``seqs``) are taken last, after the rows that carry none are written; on
PostgreSQL a batch of annotations queues its writes and sends them with the commit
(``db.pipeline_writes``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, bindparam, select, tuple_

from coderlhf_tui.clock import utc_now
from coderlhf_tui.serialize import (
    adjudication_from_dict,
    adjudication_to_dict,
    annotation_from_dict,
    annotation_to_dict,
)
from coderlhf_tui.sync.server import db, seqs
from coderlhf_tui.sync.server.accounts import Account
from coderlhf_tui.sync.server.driver_sql import DriverStatement
from coderlhf_tui.sync.server.errors import Forbidden, Invalid
from coderlhf_tui.sync.server.evidence_records import (
    EvidencePlan,
    PreparedEvidence,
    plan_evidence,
    prepare_evidence,
    write_documents,
    write_records,
)
from coderlhf_tui.sync.server.push_state import PushState, read_push_state
from coderlhf_tui.sync.server.schema import (
    adjudications,
    annotation_revisions,
    annotation_table,
)
from coderlhf_tui.sync.server.visibility import refuse_unreachable
from coderlhf_tui.sync.wire.evidence_items import canonical
from coderlhf_tui.sync.wire.protocol import (
    AdjudicationIn,
    AnnotationIn,
    ItemResult,
    Outcome,
    PushRequest,
    PushResponse,
)


@dataclass(slots=True)
class Prepared:
    """A batch's bodies, canonicalised before any transaction opens."""

    annotations: dict[tuple[str, int], str] = field(default_factory=dict)
    adjudications: dict[str, str] = field(default_factory=dict)
    evidence: PreparedEvidence = field(default_factory=PreparedEvidence)


@dataclass(slots=True)
class _Plan:
    """What a batch will write, decided before taking sequence numbers."""

    results: list[ItemResult] = field(default_factory=list)
    new_annotations: list[AnnotationIn] = field(default_factory=list)
    updated_annotations: list[AnnotationIn] = field(default_factory=list)
    history: list[AnnotationIn] = field(default_factory=list)
    new_adjudications: list[AdjudicationIn] = field(default_factory=list)
    evidence: EvidencePlan = field(default_factory=EvidencePlan)
    prepared: Prepared = field(default_factory=Prepared)

    @property
    def sequenced(self) -> int:
        return (
            len(self.new_annotations)
            + len(self.updated_annotations)
            + len(self.new_adjudications)
            + self.evidence.records
        )


def prepare(user: Account, request: PushRequest) -> Prepared:
    """Check identities and compute every stored body; no database access.

    An unusable evidence body is remembered, not raised, so that a batch that is also
    refused for blind review is answered 403 as before, whatever else is wrong with it.
    """
    _check_identity(user, request)
    out = Prepared()
    for ann in request.annotations:
        # on failure computed again in the transaction, failing there as it always did
        with suppress(KeyError, TypeError, ValueError):
            out.annotations[(ann.id, ann.revision)] = canonical(_annotation_body(ann))
    for adj in request.adjudications:
        with suppress(KeyError, TypeError, ValueError):
            out.adjudications[adj.id] = _adjudication_body(adj)
    out.evidence = prepare_evidence(request.evidence)
    return out


def apply_push(
    conn: Connection, user: Account, request: PushRequest, prepared: Prepared | None = None
) -> PushResponse:
    """Check and store one batch in the caller's transaction."""
    if prepared is None:
        prepared = prepare(user, request)
    task_ids = {a.task_id for a in request.annotations}
    task_ids |= {a.task_id for a in request.adjudications}
    task_ids |= {e.task_id for e in request.evidence}
    newest: dict[str, AnnotationIn] = {}
    for ann in request.annotations:
        if ann.id not in newest or newest[ann.id].revision < ann.revision:
            newest[ann.id] = ann
    state = read_push_state(
        conn, user, task_ids, sorted(newest), sorted({a.task_id for a in newest.values()})
    )
    refuse_unreachable(user, task_ids, state.reachable)
    plan = _Plan(prepared=prepared)
    _plan_annotations(conn, user, request.annotations, newest, state, plan)
    _plan_adjudications(conn, request.adjudications, plan)
    # pushed evidence is the caller's own claim, never trusted (evidence_records)
    plan.evidence = plan_evidence(conn, user, False, request.evidence, prepared.evidence)
    last = 0
    stored_records = plan.evidence.records
    if not (plan.new_adjudications or plan.evidence.records or plan.evidence.documents):
        # every statement left goes through the driver: sent with the commit
        db.pipeline_writes(conn)
    _write_unsequenced(conn, plan)  # history and bodies carry no number
    if plan.sequenced:
        first = seqs.take(conn, plan.sequenced, state.xid)
        last = first + plan.sequenced - 1
        _write(conn, user, plan, iter(range(first, last + 1)))
    return PushResponse(results=plan.results, evidence_stored=stored_records, cursor=last)


def _check_identity(user: Account, request: PushRequest) -> None:
    for ann in request.annotations:
        if ann.annotator != user.name:
            raise Forbidden(f"annotation {ann.id}: annotator {ann.annotator!r} is not you")
    if request.adjudications and not user.sees_everything:
        raise Forbidden("adjudications are for leads and admins")
    for adj in request.adjudications:
        if adj.lead != user.name:
            raise Forbidden(f"adjudication {adj.id}: lead {adj.lead!r} is not you")


def _plan_annotations(
    conn: Connection,
    user: Account,
    items: list[AnnotationIn],
    newest: dict[str, AnnotationIn],
    state: PushState,
    plan: _Plan,
) -> None:
    stored, taken = state.stored, state.taken
    # the history of an id holds exactly the revisions up to its stored one (each
    # revision above it is applied, with its history, in the same transaction)
    known_revisions = _known_revisions(
        conn,
        [
            (a.id, a.revision)
            for a in items
            if a.id in stored and a.revision <= stored[a.id].revision
        ],
    )
    applied: dict[str, int] = {}
    for ann in items:
        row = stored.get(ann.id)
        if row is not None and row.user_id != user.id:
            raise Forbidden(f"annotation {ann.id} belongs to another annotator")
        if row is not None and row.task_id != ann.task_id:
            raise Invalid(f"annotation {ann.id} is of task {row.task_id!r}, not {ann.task_id!r}")
        other = taken.get(ann.task_id)
        if row is None and other is not None and other != ann.id:
            detail = f"you already annotated this task as {other}"
            plan.results.append(_result(ann, "conflict", 0, detail))
            continue
        if (ann.id, ann.revision) not in known_revisions:
            known_revisions.add((ann.id, ann.revision))
            plan.history.append(ann)
        server_revision = row.revision if row is not None else 0
        if ann is newest[ann.id] and ann.revision > server_revision:
            (plan.updated_annotations if row is not None else plan.new_annotations).append(ann)
            taken.setdefault(ann.task_id, ann.id)
            applied[ann.id] = ann.revision
            plan.results.append(_result(ann, "applied", ann.revision))
            continue
        best = max(server_revision, applied.get(ann.id, 0))
        plan.results.append(_result(ann, "duplicate" if ann.revision == best else "stale", best))


# the statements of every push, built once (no building and less garbage per request)
_INSERT_ANNOTATIONS = DriverStatement(annotation_table.insert())
_UPDATE_ANNOTATIONS = DriverStatement(
    annotation_table.update().where(annotation_table.c.id == bindparam("b_id"))
)
_INSERT_HISTORY = DriverStatement(annotation_revisions.insert())


def _result(ann: AnnotationIn, outcome: Outcome, revision: int, detail: str = "") -> ItemResult:
    return ItemResult(
        kind="annotation",
        id=ann.id,
        outcome=outcome,
        server_revision=revision,
        detail=detail,
    )


def _known_revisions(conn: Connection, pairs: list[tuple[str, int]]) -> set[tuple[str, int]]:
    if not pairs:
        return set()
    rows = conn.execute(
        select(annotation_revisions.c.annotation_id, annotation_revisions.c.revision).where(
            tuple_(annotation_revisions.c.annotation_id, annotation_revisions.c.revision).in_(
                sorted(set(pairs))
            )
        )
    )
    return {(row.annotation_id, int(row.revision)) for row in rows}


def _plan_adjudications(conn: Connection, items: list[AdjudicationIn], plan: _Plan) -> None:
    if not items:
        return  # most pushes: not even a statement to build
    ids = sorted({a.id for a in items})
    query = select(adjudications.c.id).where(adjudications.c.id.in_(ids))
    known = {row.id for row in conn.execute(query)}
    for adj in items:
        outcome: Outcome
        if adj.id in known:
            outcome = "duplicate"
        else:
            outcome = "applied"
            known.add(adj.id)
            plan.new_adjudications.append(adj)
        plan.results.append(
            ItemResult(kind="adjudication", id=adj.id, outcome=outcome, server_revision=1)
        )


def _body(plan: _Plan, ann: AnnotationIn) -> str:
    body = plan.prepared.annotations.get((ann.id, ann.revision))
    return body if body is not None else canonical(_annotation_body(ann))


def _adjudication_body(adj: AdjudicationIn) -> str:
    return canonical(adjudication_to_dict(adjudication_from_dict(adj.model_dump(mode="json"))))


def _annotation_row(
    user: Account, ann: AnnotationIn, seq: int, body: str, *, key: str = "id"
) -> dict[str, Any]:
    return {
        key: ann.id,
        "task_id": ann.task_id,
        "user_id": user.id,
        "revision": ann.revision,
        "status": ann.status.value,
        "body": body,
        "seq": seq,
        "updated_at": ann.updated_at or utc_now(),
    }


def _annotation_body(ann: AnnotationIn) -> dict[str, Any]:
    return annotation_to_dict(annotation_from_dict(ann.model_dump(mode="json")))


def _write(conn: Connection, user: Account, plan: _Plan, numbers: Iterator[int]) -> None:
    now = utc_now()
    rows = [_annotation_row(user, a, next(numbers), _body(plan, a)) for a in plan.new_annotations]
    if rows:
        _INSERT_ANNOTATIONS.run(conn, rows)
    rows = [
        _annotation_row(user, a, next(numbers), _body(plan, a), key="b_id")
        for a in plan.updated_annotations
    ]
    if rows:
        _UPDATE_ANNOTATIONS.run(conn, rows)
    if plan.new_adjudications:
        conn.execute(
            adjudications.insert(),
            [
                {
                    "id": adj.id,
                    "task_id": adj.task_id,
                    "user_id": user.id,
                    "body": plan.prepared.adjudications.get(adj.id) or _adjudication_body(adj),
                    "seq": next(numbers),
                    "created_at": adj.created_at or now,
                }
                for adj in plan.new_adjudications
            ],
        )
    write_records(conn, user, False, plan.evidence, numbers)


def _write_unsequenced(conn: Connection, plan: _Plan) -> None:
    now = utc_now()
    if plan.history:
        _INSERT_HISTORY.run(
            conn,
            [
                {
                    "annotation_id": a.id,
                    "revision": a.revision,
                    "body": _body(plan, a),
                    "recorded_at": now,
                }
                for a in plan.history
            ],
        )
        plan.history = []
    write_documents(conn, plan.evidence)
