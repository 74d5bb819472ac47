"""Every bundled demo task's two responses give the verdicts their authors intended.

The demo (coderlhf_tui/demo/tasks.jsonl) is what a new user sees first; each task records
the intended verdict per response in ``metadata.expected_verdicts``. Running them all for
real checks both the demo and every language's recipe on realistic code.
"""

from __future__ import annotations

from collections import Counter

import pytest

from coderlhf_tui.demo import demo_tasks_path
from coderlhf_tui.domain import Language, TestKind, Verdict
from coderlhf_tui.ingest import load_task_file
from tests.runners.corpus_support import describe, run_all

CWE = r"CWE-\d+"


def demo_tasks():  # type: ignore[no-untyped-def]
    tasks, errors = load_task_file(demo_tasks_path())
    assert errors == []
    return tasks


def test_demo_covers_languages_kinds_and_records_intent() -> None:
    tasks = demo_tasks()
    assert len(tasks) >= 24
    per_language = Counter(task.language for task in tasks)
    assert all(per_language[language] >= 2 for language in Language), per_language
    assert {task.tests.kind for task in tasks if task.tests} == set(TestKind)
    for task in tasks:
        verdicts = task.metadata["expected_verdicts"]
        assert set(verdicts) == {"a", "b"} and all(
            v in Verdict.__members__ for v in verdicts.values()
        )
        assert set(task.metadata["expected_cwes"]) == {"a", "b"}
        assert task.task_type is not None and all(r.model for r in task.responses)
    assert sum(1 for task in tasks if task.gold is not None) >= 3
    assert any(task.metadata["expected_cwes"]["a"] for task in tasks)
    limiter = next(task for task in tasks if task.id == "rate-limiter-001")
    assert limiter.metadata["expected_verdicts"] == {"a": "FAILED", "b": "PASSED"}


@pytest.mark.docker
def test_demo_responses_give_the_intended_verdicts() -> None:
    reports = run_all(demo_tasks(), timeout_s=30)
    wrong = [
        describe(r)
        for r in reports
        if r.run.verdict.value != r.task.metadata["expected_verdicts"][r.key]
    ]
    assert not wrong, "demo responses with another verdict than intended:\n" + "\n".join(wrong)
