"""Checking a task before anyone grades it: the snapshot, the base, every patch.

A test patch that does not apply is the task's fault and an error; a response's patch that
does not apply is a finding (it will grade as "patch failed"), reported with its hunk so a
task author sees at once whether the response or the task is wrong.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from coderlhf_tui.repotasks.patches import apply_patch
from coderlhf_tui.repotasks.snapshots import base_checkout, response_checkout
from coderlhf_tui.repotasks.task_format import RepoTask, RepoTaskError


def check_task(task: RepoTask, cache: Path) -> list[str]:
    """Problems with the responses' patches (RepoTaskError for the task's own faults)."""
    base = base_checkout(task, cache)
    problems = []
    with tempfile.TemporaryDirectory(prefix="repo-check-") as tmp:
        if task.test_patch:
            checkout = response_checkout(base, Path(tmp) / "tests")
            applied = apply_patch(checkout, task.test_patch, "test_patch")
            if not applied.ok:
                raise RepoTaskError(task.source, applied.error, field="test_patch")
        for index, response in enumerate(task.responses):
            checkout = response_checkout(base, Path(tmp) / f"r{index}")
            applied = apply_patch(checkout, response.patch, response.name)
            if not applied.ok:
                problems.append(f"[responses[{index}].patch] {applied.error}")
    return problems
