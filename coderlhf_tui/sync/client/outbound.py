"""Building push batches from the outbox, with the evidence of each annotated task.

A batch is at most ``max_items`` outbox entries and about ``max_bytes`` of JSON (the
server caps bodies); the evidence of a task (its latest test run and scan per response)
is attached once per batch. The server stores each body once per content hash.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from coderlhf_tui.domain import RANKED_KEYS
from coderlhf_tui.store import OutboxItem, Store
from coderlhf_tui.sync.wire.evidence_items import run_evidence, scan_evidence


@dataclass(frozen=True, slots=True)
class Batch:
    """A push request body and the outbox entries it carries."""

    body: dict[str, Any]
    seqs: list[int]
    size: int


def evidence_for(store: Store, task_ids: list[str]) -> list[dict[str, Any]]:
    """The latest test run and scan of every response of each task, where present."""
    out: list[dict[str, Any]] = []
    counts = store.response_counts(task_ids)
    for task_id in dict.fromkeys(task_ids):
        for key in RANKED_KEYS[: counts.get(task_id, 2)]:
            run = store.latest_test_run(task_id, key)
            if run is not None and run.content_hash:
                out.append(run_evidence(task_id, key, run))
            if store.is_scanned(task_id, key):
                out.append(scan_evidence(task_id, key, store.latest_findings(task_id, key)))
    return out


def build_batch(store: Store, items: list[OutboxItem], *, with_evidence: bool = True) -> Batch:
    """One push body for ``items``."""
    annotations = [i.payload for i in items if i.kind == "annotation"]
    adjudications = [i.payload for i in items if i.kind == "adjudication"]
    task_ids = [str(p["task_id"]) for p in annotations + adjudications]
    body: dict[str, Any] = {
        "annotations": annotations,
        "adjudications": adjudications,
        "evidence": evidence_for(store, task_ids) if with_evidence else [],
    }
    size = len(json.dumps(body, ensure_ascii=False))
    return Batch(body=body, seqs=[i.seq for i in items], size=size)


def fitting_batch(store: Store, items: list[OutboxItem], max_bytes: int) -> Batch:
    """The largest prefix of ``items`` whose batch fits ``max_bytes`` (at least one item;
    a single item too large with its evidence goes without it)."""
    count = len(items)
    while count > 1:
        batch = build_batch(store, items[:count])
        if batch.size <= max_bytes:
            return batch
        count //= 2
    batch = build_batch(store, items[:1])
    if batch.size > max_bytes:
        batch = build_batch(store, items[:1], with_evidence=False)
    return batch
