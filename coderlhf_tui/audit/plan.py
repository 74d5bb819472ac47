"""What the audit tests: every response of every task that has tests, pairwise or ranked.

One list for the local runner pool and for a cluster audit (``cluster.audit_step``), so
both test the same responses: A and B of a pair, all of a ranked task's a..h.
"""

from __future__ import annotations

from collections.abc import Sequence

from coderlhf_tui.domain import Task
from coderlhf_tui.runners.base import RunRequest


def audit_requests(tasks: Sequence[Task]) -> list[RunRequest]:
    """One request per response of each task with tests, task by task in key order."""
    return [RunRequest(task, key) for task in tasks if task.tests is not None for key in task.keys]
