"""``coderlhf audit --server URL --token TOKEN``: the audit's results as trusted evidence.

An admin's (or an ``auditor`` account's) audit is the trusted producer of docs/server.md:
what it posts to ``POST /v1/audit/evidence`` reaches every annotator of the task through
the feed. The items are the latest run and scan of each response of each audited task,
built by the sync wire's own ``run_evidence`` / ``scan_evidence``; the server addresses
bodies by digest, so posting the same audit twice stores nothing new.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import httpx

from coderlhf_tui.domain import Task
from coderlhf_tui.store import Store
from coderlhf_tui.sync.wire.evidence_items import run_evidence, scan_evidence

BATCH = 1000
"""Items per request: the server's limit for one POST."""


class UploadError(Exception):
    """The server refused the evidence; the message says what it answered."""


def evidence_of(store: Store, tasks: Sequence[Task]) -> Iterator[dict[str, Any]]:
    """Every stored run and scan of the tasks' responses, as evidence items."""
    for task in tasks:
        for key in task.keys:
            run = store.latest_test_run(task.id, key)
            if run is not None:
                yield run_evidence(task.id, key, run)
            if store.is_scanned(task.id, key):
                yield scan_evidence(task.id, key, store.latest_findings(task.id, key))


def upload_trusted(
    url: str, token: str, items: Sequence[dict[str, Any]], *, timeout_s: float = 60.0
) -> int:
    """Post the items in batches; returns the records the server added or changed."""
    stored = 0
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url.rstrip("/"), headers=headers, timeout=timeout_s) as client:
        for start in range(0, len(items), BATCH):
            batch = list(items[start : start + BATCH])
            try:
                answer = client.post("/v1/audit/evidence", json={"evidence": batch})
            except httpx.HTTPError as exc:
                raise UploadError(f"{url}: {exc}") from exc
            if answer.status_code != 200:
                raise UploadError(
                    f"{url} refused the evidence ({answer.status_code}): {answer.text[:300]}"
                )
            stored += int(answer.json().get("stored", 0))
    return stored
