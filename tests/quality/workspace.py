"""A real workspace for the report tests: the demo tasks, annotations by three people,
one adjudication, a test run and a finding, all through the store's public API."""

from __future__ import annotations

import random
import uuid
from pathlib import Path

from coderlhf_tui.demo import demo_tasks_path
from coderlhf_tui.domain import (
    Adjudication,
    Annotation,
    AnnotationStatus,
    Finding,
    Limits,
    Preference,
    Severity,
    TestRun,
    Verdict,
)
from coderlhf_tui.ingest import import_task_file
from coderlhf_tui.store import Store
from tests.quality.factories import DIMENSIONS

PREFS = list(Preference)


def demo_workspace(path: Path, seed: int = 3) -> Store:
    """A store with the demo tasks and noisy annotations by ak, bo and cy (cy biased left)."""
    store = Store.open(path)
    report = import_task_file(store, demo_tasks_path())
    assert report.ok, report.errors
    rng = random.Random(seed)
    for index, task in enumerate(store.iter_tasks()):
        truth = task.gold.preference.ordinal if task.gold else rng.randint(-2, 2)
        people = ["ak", "bo", "cy"] if index % 2 == 0 else ["ak", "cy"]
        for who in people:
            order = rng.choice(["ab", "ba"])
            ordinal = max(-2, min(2, truth + rng.choice([-1, 0, 0, 0, 1])))
            if who == "cy":  # always prefers the left-shown response
                ordinal = -abs(ordinal or 1) if order == "ab" else abs(ordinal or 1)
            store.merge_annotation(
                Annotation(
                    id=str(uuid.uuid4()),
                    task_id=task.id,
                    annotator=who,
                    status=AnnotationStatus.SUBMITTED,
                    preference=Preference.from_ordinal(ordinal),
                    scores={k: {d: rng.randint(2, 5) for d in DIMENSIONS} for k in "ab"},
                    rationale="B handles the empty-input edge case that A misses entirely.",
                    time_spent_s=float(rng.randint(60, 600)),
                    shown_order=order,
                    rubric_version="1",
                )
            )
    first = next(iter(store.iter_tasks()))
    store.save_adjudication(
        Adjudication(id=str(uuid.uuid4()), task_id=first.id, lead="lee", preference=PREFS[4])
    )
    store.save_test_run(
        first.id,
        "a",
        TestRun(
            verdict=Verdict.FAILED,
            content_hash="h-a",
            passed=1,
            failed=2,
            image="coderlhf/toolbox:1",
            limits=Limits(timeout_s=10, memory_mb=512),
            isolation="docker",
        ),
    )
    store.save_findings(
        first.id,
        "a",
        "scan-1",
        [
            Finding(
                "py-sqli", "CWE-89", "SQL Injection", Severity.HIGH, 3, 3, "query built from input"
            )
        ],
    )
    return store
