"""Applying a pulled page to the local store, in one transaction with its cursor.

Tasks new to the workspace are inserted; annotations and adjudications are merged
(the higher revision wins, history is kept); evidence becomes the latest test run or
scan of its response. The cursor is stored in the same transaction, so a crash either
applies a page completely or not at all, and the next pull starts at the right place.

Evidence enters the store only when it is the caller's own or trusted (its ``producer``):
a stored test run answers later runs of the same inputs as a cache hit, so another
annotator's claim must never land here. The server already serves nothing else; the
check is the client's own line, which a server bug or an older server cannot cross.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coderlhf_tui.domain import RANKED_KEYS
from coderlhf_tui.serialize import (
    adjudication_from_dict,
    annotation_from_dict,
    finding_from_dict,
    task_from_dict,
    test_run_from_dict,
)
from coderlhf_tui.store import Store
from coderlhf_tui.sync.client import state


@dataclass(slots=True)
class Applied:
    """Counts of what a page changed locally."""

    tasks: int = 0
    annotations: int = 0
    adjudications: int = 0
    evidence: int = 0


def apply_page(
    store: Store, page: dict[str, Any], server_key: str, into: Applied, *, user: str | None
) -> None:
    """Store one pull response and advance the cursor to its ``cursor``; ``user`` is the
    caller's account name (evidence it produced is applied, besides trusted evidence)."""
    with store.transaction():
        tasks = [task_from_dict(t) for t in page.get("tasks", [])]
        known = store.existing_task_ids(t.id for t in tasks)
        fresh = list({t.id: t for t in tasks if t.id not in known}.values())
        if fresh:
            into.tasks += store.insert_tasks(fresh)
        for data in page.get("annotations", []):
            into.annotations += store.merge_annotation(annotation_from_dict(data))
        for data in page.get("adjudications", []):
            into.adjudications += store.merge_adjudication(adjudication_from_dict(data))
        for data in page.get("evidence", []):
            if acceptable_producer(data.get("producer"), user):
                into.evidence += _apply_evidence(store, data)
        store.set_meta(state.CURSOR, str(int(page["cursor"])))
        store.set_meta(state.SERVER, server_key)


def acceptable_producer(producer: Any, user: str | None) -> bool:
    """True for evidence a trusted producer made, or the caller itself."""
    if not isinstance(producer, dict):
        return False
    return producer.get("trusted") is True or (user is not None and producer.get("name") == user)


def _apply_evidence(store: Store, data: dict[str, Any]) -> int:
    task_id, key = str(data["task_id"]), data["response_key"]
    responses = store.response_counts([task_id]).get(task_id, 0)  # 0: not in the store
    if key not in RANKED_KEYS[:responses]:
        return 0
    if data["kind"] == "test_run":
        run = test_run_from_dict(data["test_run"])
        current = store.latest_test_run(task_id, key)
        if current is not None and current.content_hash == run.content_hash:
            return 0
        store.save_test_run(task_id, key, run)
        return 1
    findings = [finding_from_dict(f) for f in data["findings"]]
    if store.is_scanned(task_id, key) and store.latest_findings(task_id, key) == findings:
        return 0
    store.save_findings(task_id, key, str(data["hash"]), findings)
    return 1
