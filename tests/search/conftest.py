"""Fixtures for the search and data-view tests: the demo workspace and what is in it."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pytest

from coderlhf_tui.demo import demo_tasks_path
from coderlhf_tui.domain import (
    Annotation,
    AnnotationStatus,
    Finding,
    Preference,
    Severity,
    Task,
)
from coderlhf_tui.ingest import load_task_file
from coderlhf_tui.store import Store

SHELL_QUERY = 'code:(subprocess OR exec OR popen OR system) NOT "System.out"'
"""The search docs/data.md gives for "responses that call a shell"."""

SHELL_CALL = re.compile(
    r"\bsubprocess\.|\bos\.(system|popen)\(|\bexec\.Command\(|(?<![\w.])system\(|"
    r"child_process|\bshell_exec\(|\bproc_open\(|Runtime\.getRuntime\(\)\.exec\("
)
"""An independent oracle: a call that starts a shell or a program, by its API's name."""


def demo_tasks() -> list[Task]:
    """Every bundled demo task, the pairwise file's first (as ``coderlhf demo`` imports
    them, any task file beside it too), validated as the importer does."""
    tasks: list[Task] = []
    first = demo_tasks_path()
    for path in [first, *sorted(set(first.parent.glob("*.jsonl")) - {first})]:
        loaded, errors = load_task_file(path)
        assert not errors
        tasks += loaded
    return tasks


def shell_calling(tasks: list[Task]) -> list[str]:
    """Ids of the tasks where some response's code calls a shell, in file order."""
    return [t.id for t in tasks if any(SHELL_CALL.search(r.code) for r in t.responses)]


def submitted(task_id: str, annotator: str, **fields: Any) -> Annotation:
    """A submitted annotation (B>A unless ``fields`` say otherwise)."""
    values: dict[str, Any] = {"preference": Preference.B_BETTER, **fields}
    return Annotation(
        id=str(uuid.uuid4()),
        task_id=task_id,
        annotator=annotator,
        status=AnnotationStatus.SUBMITTED,
        **values,
    )


def shell_finding(message: str) -> Finding:
    """A command-injection finding on line 3."""
    return Finding(
        rule_id="py-shell-true",
        cwe_id="CWE-78",
        cwe_title="OS Command Injection",
        severity=Severity.HIGH,
        start_line=3,
        end_line=3,
        message=message,
    )


@pytest.fixture
def demo_workspace(tmp_path: Path) -> Path:
    """A workspace holding the demo tasks."""
    path = tmp_path / "workspace.db"
    with Store.open(path) as store:
        store.insert_tasks(demo_tasks())
    return path
