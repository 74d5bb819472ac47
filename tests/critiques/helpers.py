"""A real workspace holding the demo tasks, and comments on the rate limiter pair."""

from __future__ import annotations

import uuid
from pathlib import Path

from coderlhf_tui.critiques import new_comment
from coderlhf_tui.demo import demo_tasks_path
from coderlhf_tui.domain import (
    Annotation,
    AnnotationStatus,
    LineComment,
    Preference,
    Severity,
)
from coderlhf_tui.ingest import import_task_file
from coderlhf_tui.rubric import Rubric
from coderlhf_tui.store import Store

RATE_LIMITER = "rate-limiter-001"


def demo_store(path: Path) -> Store:
    """A workspace at ``path`` with the bundled demo tasks imported."""
    store = Store.open(path)
    report = import_task_file(store, demo_tasks_path())
    assert not report.errors
    return store


def comment(
    store: Store,
    response: str,
    start: int,
    end: int,
    category: str = "correctness_bug",
    severity: Severity = Severity.HIGH,
    text: str = "",
    task_id: str = RATE_LIMITER,
) -> LineComment:
    """A comment on the stored code of one response of ``task_id``."""
    task = store.get_task(task_id)
    assert task is not None
    key = "a" if response == "a" else "b"
    return new_comment(
        task.response(key).code, key, start, end, category, severity, text or f"{category} here"
    )


def submit(
    store: Store,
    rubric: Rubric,
    annotator: str,
    comments: list[LineComment],
    task_id: str = RATE_LIMITER,
    preference: str = "B>A",
) -> Annotation:
    """A complete submitted annotation with ``comments``, saved through the store."""
    return store.save_annotation(
        Annotation(
            id=str(uuid.uuid4()),
            task_id=task_id,
            annotator=annotator,
            status=AnnotationStatus.SUBMITTED,
            preference=Preference(preference),
            scores={
                "a": dict.fromkeys(rubric.dimension_names, 2),
                "b": dict.fromkeys(rubric.dimension_names, 4),
            },
            rationale="A never resets its window; B is a thread-safe token bucket.",
            rubric_version=rubric.version,
            comments=comments,
        )
    )
