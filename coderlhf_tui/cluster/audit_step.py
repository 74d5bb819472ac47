"""The audit's test-and-scan step on a cluster (``coderlhf audit --cluster``).

Both the tests and the scans of every response go to the workers; the audit's own scan
and signal steps then run as always and find every scan in the store. The live display
shows while chunks come back, unless the audit is quiet (``--json``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any, TextIO

from coderlhf_tui.audit.plan import audit_requests
from coderlhf_tui.cluster.dispatch import ClusterOptions, run_on_cluster
from coderlhf_tui.cluster.display import LiveDisplay
from coderlhf_tui.domain import ResponseKey, Task, TestRun
from coderlhf_tui.runners.settings import load_settings
from coderlhf_tui.store import Store


def run_audit_on_cluster(
    store: Store, tasks: Sequence[Task], options: Any, stream: TextIO, notes: list[str]
) -> tuple[dict[tuple[str, ResponseKey], TestRun | None], dict[str, Any]]:
    """Tests (unless skipped) and scans of ``tasks`` on the cluster; (runs, figures)."""
    cluster: ClusterOptions = options.cluster
    settings = load_settings()
    requests = []
    if options.run_tests:
        requests = audit_requests(tasks)  # every response, a ranked task's too
    display = contextlib.nullcontext(None) if options.quiet else LiveDisplay(stream, len(requests))
    with display as live:
        outcome = run_on_cluster(
            store,
            requests,
            settings,
            cluster,
            scan=tasks,
            on_result=live.update if live is not None else None,
        )
    notes.extend(outcome.notes)
    notes.append(outcome.figures.summary())
    runs: dict[tuple[str, ResponseKey], TestRun | None] = {
        (r.task.id, r.key): r.run for r in outcome.reports
    }
    return runs, outcome.figures.as_dict()
