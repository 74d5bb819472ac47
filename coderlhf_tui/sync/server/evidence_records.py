"""Storing evidence per producer, and the one way trusted evidence gets in.

A test run or scan is only as good as whoever produced it. An annotator's push is a
claim: it is recorded under that annotator (``trusted`` false) and served back only to
them (their other machines) and, labelled, to leads; it never reaches another
annotator, not as a cache hit and not as verified. Evidence every annotator of a task
receives comes only from a trusted producer: an admin or a registered audit worker
(role ``auditor``) storing an audit's results through ``store_trusted_evidence``
(``POST /v1/audit/evidence``, ``coderlhf server evidence import``).

Bodies are stored once per digest of their own canonical text, never per the hash the
client names: a fake body pushed under the run hash of an honest run can therefore not
replace the body a trusted producer stores under the same run hash.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, bindparam, select

from coderlhf_tui.clock import utc_now
from coderlhf_tui.domain import Role
from coderlhf_tui.sync.server import db, seqs
from coderlhf_tui.sync.server.accounts import Account
from coderlhf_tui.sync.server.errors import Forbidden, Invalid
from coderlhf_tui.sync.server.schema import evidence_documents, evidence_records
from coderlhf_tui.sync.server.visibility import existing_task_ids
from coderlhf_tui.sync.wire.evidence_items import body_of, canonical, check_body
from coderlhf_tui.sync.wire.protocol import EvidenceIn

TRUSTED_ROLES = frozenset({Role.ADMIN, Role.AUDITOR})
"""Who may store trusted evidence."""


def digest_of(text: str) -> str:
    """The address of a stored body: SHA-256 of its canonical text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class PreparedEvidence:
    """Items' bodies canonicalised and digested before any transaction opens."""

    documents: dict[str, tuple[str, str]] = field(default_factory=dict)
    """digest -> (kind, canonical body text)"""
    digests: list[str] = field(default_factory=list)
    """the digest of each item, in request order ('' for an unusable one)"""
    problem: str | None = None
    """why the first unusable item is unusable"""


def prepare_evidence(items: Sequence[EvidenceIn]) -> PreparedEvidence:
    """Check every body against its hash and compute its digest; no database access."""
    out = PreparedEvidence()
    for item in items:
        problem = check_body(item.kind, item.hash, item.test_run, item.findings)
        if problem:
            out.problem = out.problem or (
                f"evidence {item.task_id}/{item.response_key}/{item.kind}: {problem}"
            )
            out.digests.append("")
            continue
        text = canonical(body_of(item.kind, item.test_run, item.findings))
        digest = digest_of(text)
        out.documents.setdefault(digest, (item.kind, text))
        out.digests.append(digest)
    return out


@dataclass(slots=True)
class EvidencePlan:
    """What storing a producer's items will write."""

    documents: dict[str, tuple[str, str]] = field(default_factory=dict)
    new: list[tuple[EvidenceIn, str]] = field(default_factory=list)
    changed: list[tuple[EvidenceIn, str]] = field(default_factory=list)

    @property
    def records(self) -> int:
        """Records written: each takes a sequence number."""
        return len(self.new) + len(self.changed)


_RECORDS_OF = select(
    evidence_records.c.task_id,
    evidence_records.c.response_key,
    evidence_records.c.kind,
    evidence_records.c.digest,
).where(
    evidence_records.c.producer_id == bindparam("producer_id"),
    evidence_records.c.trusted == bindparam("trusted"),
    evidence_records.c.task_id.in_(bindparam("task_ids", expanding=True)),
)
_KNOWN_DOCUMENTS = select(evidence_documents.c.digest).where(
    evidence_documents.c.digest.in_(bindparam("digests", expanding=True))
)


def plan_evidence(
    conn: Connection,
    producer: Account,
    trusted: bool,
    items: Sequence[EvidenceIn],
    prepared: PreparedEvidence,
) -> EvidencePlan:
    """Compare ``items`` with ``producer``'s own records only (never anyone else's)."""
    if prepared.problem:
        raise Invalid(prepared.problem)
    plan = EvidencePlan()
    latest: dict[tuple[str, str, str], tuple[EvidenceIn, str]] = {}
    for item, digest in zip(items, prepared.digests, strict=True):
        latest[(item.task_id, item.response_key, item.kind)] = (item, digest)
    if not latest:
        return plan
    wanted = {digest for _, digest in latest.values()}
    known = {row.digest for row in conn.execute(_KNOWN_DOCUMENTS, {"digests": sorted(wanted)})}
    plan.documents = {d: prepared.documents[d] for d in sorted(wanted - known)}
    params = {
        "producer_id": producer.id,
        "trusted": trusted,
        "task_ids": sorted({key[0] for key in latest}),
    }
    stored = {
        (row.task_id, row.response_key, row.kind): row.digest
        for row in conn.execute(_RECORDS_OF, params)
    }
    for key, (item, digest) in latest.items():
        if key not in stored:
            plan.new.append((item, digest))
        elif stored[key] != digest:
            plan.changed.append((item, digest))
    return plan


def write_documents(conn: Connection, plan: EvidencePlan) -> None:
    """Store the bodies the plan needs (they carry no sequence number)."""
    if plan.documents:
        conn.execute(
            evidence_documents.insert(),
            [
                {"digest": digest, "kind": kind, "body": text}
                for digest, (kind, text) in plan.documents.items()
            ],
        )
        plan.documents = {}


_UPDATE_RECORD = evidence_records.update().where(
    evidence_records.c.task_id == bindparam("b_task"),
    evidence_records.c.response_key == bindparam("b_key"),
    evidence_records.c.kind == bindparam("b_kind"),
    evidence_records.c.producer_id == bindparam("b_producer"),
    evidence_records.c.trusted == bindparam("b_trusted"),
)


def write_records(
    conn: Connection,
    producer: Account,
    trusted: bool,
    plan: EvidencePlan,
    numbers: Iterator[int],
) -> None:
    """Insert or move the producer's records, each with the next of ``numbers``."""
    now = utc_now()
    if plan.new:
        conn.execute(
            evidence_records.insert(),
            [
                {
                    "task_id": item.task_id,
                    "response_key": item.response_key,
                    "kind": item.kind,
                    "producer_id": producer.id,
                    "trusted": trusted,
                    "hash": item.hash,
                    "digest": digest,
                    "seq": next(numbers),
                    "updated_at": now,
                }
                for item, digest in plan.new
            ],
        )
    if plan.changed:
        conn.execute(
            _UPDATE_RECORD,
            [
                {
                    "b_task": item.task_id,
                    "b_key": item.response_key,
                    "b_kind": item.kind,
                    "b_producer": producer.id,
                    "b_trusted": trusted,
                    "hash": item.hash,
                    "digest": digest,
                    "seq": next(numbers),
                    "updated_at": now,
                }
                for item, digest in plan.changed
            ],
        )


def apply_trusted_evidence(
    conn: Connection,
    producer: Account,
    items: Sequence[EvidenceIn],
    prepared: PreparedEvidence | None = None,
) -> int:
    """Store an audit's items as trusted evidence in the caller's transaction.

    Returns how many records were new or changed (a replay stores nothing).
    """
    if producer.role not in TRUSTED_ROLES:
        raise Forbidden("trusted evidence comes from admins and audit workers only")
    prepared = prepared or prepare_evidence(items)
    missing = {i.task_id for i in items} - existing_task_ids(conn, {i.task_id for i in items})
    if missing:
        raise Invalid(f"unknown task {sorted(missing)[0]!r}")
    plan = plan_evidence(conn, producer, True, items, prepared)
    write_documents(conn, plan)
    if plan.records:
        first = seqs.take(conn, plan.records)
        write_records(conn, producer, True, plan, iter(range(first, first + plan.records)))
    return plan.records


def store_trusted_evidence(engine: Engine, producer: Account, items: Sequence[EvidenceIn]) -> int:
    """The audit API: store ``items`` as evidence every assigned annotator receives.

    ``producer`` is an admin or an ``auditor`` account (``lookup_account``); ``items``
    are wire evidence items (``coderlhf_tui.sync.wire.evidence_items``: ``run_evidence``,
    ``scan_evidence``), checked like pushed ones. One transaction; returns the number of
    records new or changed.
    """
    prepared = prepare_evidence(items)  # the CPU work, before the transaction opens
    return db.write(engine, lambda conn: apply_trusted_evidence(conn, producer, items, prepared))
