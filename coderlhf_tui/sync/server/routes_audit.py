"""The audit route: where trusted evidence enters the server.

An admin's audit or a registered audit worker (role ``auditor``) posts test runs and
scans it produced itself; they are stored as trusted and reach every annotator of the
task. The same call as ``evidence_records.store_trusted_evidence`` (which
``coderlhf server evidence import`` uses on the database directly).
"""

from __future__ import annotations

from fastapi import APIRouter

from coderlhf_tui.sync.server.deps import AuditProducer, DbEngine
from coderlhf_tui.sync.server.evidence_records import store_trusted_evidence
from coderlhf_tui.sync.wire.protocol import TrustedEvidenceOut, TrustedEvidenceRequest

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
