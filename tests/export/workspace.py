"""Workspaces for the export tests: a real SQLite store filled through the Store API.

``build_workspace`` makes a small but varied workspace: three languages, prompts shared
by several tasks, pairs with one, two and three annotators, agreements and splits,
ties, an adjudicated pair, a repeated pair (A/B swapped), a pair whose responses are
identical, a pair where both responses fail their tests, drafts that must not count,
and findings.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

from coderlhf_tui.domain import (
    Adjudication,
    Annotation,
    AnnotationStatus,
    Finding,
    Gold,
    Language,
    Preference,
    Response,
    Severity,
    Task,
    TaskType,
    TestRun,
    Verdict,
)
from coderlhf_tui.rubric import Rubric
from coderlhf_tui.store import Store


def scores(rubric: Rubric, a: int, b: int) -> dict[str, dict[str, int]]:
    """Every dimension at level ``a`` for A and ``b`` for B."""
    return {
        "a": dict.fromkeys(rubric.dimension_names, a),
        "b": dict.fromkeys(rubric.dimension_names, b),
    }


def task(
    task_id: str,
    language: str = "python",
    prompt: str | None = None,
    code_a: str | None = None,
    code_b: str | None = None,
    gold: str | None = None,
) -> Task:
    """A task whose responses differ unless told otherwise."""
    default = f"def f_{task_id.replace('-', '_')}():\n    return "
    return Task(
        id=task_id,
        language=Language(language),
        prompt=prompt or f"Write function number {task_id}.",
        responses=(
            Response("r1", code_a if code_a is not None else default + "1\n", "m-x"),
            Response("r2", code_b if code_b is not None else default + "2\n", "m-y"),
        ),
        task_type=TaskType.IMPLEMENT,
        gold=Gold(Preference(gold)) if gold else None,
    )


def annotate(
    store: Store,
    rubric: Rubric,
    task_id: str,
    annotator: str,
    preference: str,
    levels: tuple[int, int] = (3, 4),
    status: AnnotationStatus = AnnotationStatus.SUBMITTED,
    rationale: str | None = None,
    tags: tuple[str, ...] = (),
) -> Annotation:
    """Save one annotation through the store, as the app would."""
    return store.save_annotation(
        Annotation(
            id=str(uuid.uuid4()),
            task_id=task_id,
            annotator=annotator,
            status=status,
            preference=Preference(preference),
            scores=scores(rubric, *levels),
            rationale=rationale if rationale is not None else f"{annotator} on {task_id}",
            tags=list(tags),
            rubric_version=rubric.version,
        )
    )


@dataclass
class Workspace:
    """A built workspace and what the tests need to know about it."""

    path: Path
    expected_labels: dict[str, str] = field(default_factory=dict)


def build_workspace(path: Path, rubric: Rubric) -> Workspace:
    """The varied workspace described in the module docstring."""
    ws = Workspace(path)
    tasks = [task(f"py-{i:02d}", "python", prompt=f"Python prompt {i // 2}") for i in range(12)]
    tasks += [task(f"js-{i:02d}", "javascript", prompt=f"JS prompt {i}") for i in range(8)]
    tasks += [task(f"go-{i:02d}", "go", prompt=f"Go prompt {i}") for i in range(6)]
    tasks.append(task("py-tie", "python"))
    tasks.append(task("py-adj", "python", gold="B>A"))
    tasks.append(task("py-dup1", "python", prompt="Same prompt", code_a="x = 1", code_b="x = 2"))
    tasks.append(
        task("py-dup2", "python", prompt="Same prompt\n", code_a="x = 2\n", code_b="x = 1")
    )
    tasks.append(task("py-same", "python", code_a="y = 1\n", code_b="y = 1   \n\n"))
    tasks.append(task("py-fail", "python"))
    tasks.append(task("py-draft", "python"))
    tasks.append(task("py-single", "python"))
    tasks.append(task("py-split", "python"))
    with Store.open(path) as store:
        store.insert_tasks(tasks)
        for t in tasks[:26]:
            annotate(store, rubric, t.id, "ann1", "A>B", (4, 2), tags=("NO_TIME_WINDOW",))
            annotate(store, rubric, t.id, "ann2", "A>>B", (5, 2))
            ws.expected_labels[t.id] = "A>B"
        annotate(store, rubric, "py-tie", "ann1", "tie")
        annotate(store, rubric, "py-tie", "ann2", "tie")
        ws.expected_labels["py-tie"] = "tie"
        annotate(store, rubric, "py-adj", "ann1", "A>B")
        annotate(store, rubric, "py-adj", "ann2", "B>>A")
        store.save_adjudication(
            Adjudication(str(uuid.uuid4()), "py-adj", "lead", Preference.B_BETTER, note="early")
        )
        store.save_adjudication(
            Adjudication(
                str(uuid.uuid4()),
                "py-adj",
                "lead",
                Preference.B_MUCH_BETTER,
                scores={"a": {"correctness": 1}},
                note="B handles the window; A does not",
                created_at="2999-01-01T00:00:00Z",
            )
        )
        ws.expected_labels["py-adj"] = "B>>A"
        for t in ("py-dup1", "py-dup2", "py-same", "py-fail"):
            annotate(store, rubric, t, "ann1", "B>A", (2, 4))
            annotate(store, rubric, t, "ann2", "B>A", (2, 5))
            ws.expected_labels[t] = "B>A"
        for key in ("a", "b"):
            store.save_test_run(
                "py-fail", key, TestRun(Verdict.FAILED, content_hash=f"h-fail-{key}", failed=2)
            )
        store.save_test_run("py-00", "a", TestRun(Verdict.PASSED, content_hash="h0a", passed=3))
        store.save_test_run("py-00", "b", TestRun(Verdict.FAILED, content_hash="h0b", failed=1))
        store.save_findings(
            "py-00",
            "b",
            "scan-0b",
            [Finding("py.eval", "CWE-95", "Eval injection", Severity.HIGH, 3, 3, "eval()")],
        )
        annotate(store, rubric, "py-draft", "ann1", "A>>B", status=AnnotationStatus.IN_PROGRESS)
        annotate(store, rubric, "py-single", "ann3", "B>>A", (1, 5))
        ws.expected_labels["py-single"] = "B>>A"
        annotate(store, rubric, "py-split", "ann1", "A>B")
        annotate(store, rubric, "py-split", "ann2", "B>A")
        annotate(store, rubric, "py-split", "ann3", "B>>A")
        ws.expected_labels["py-split"] = "B>A"
    return ws


def build_split_workspace(path: Path, rubric: Rubric, groups: int = 120) -> Path:
    """Many prompt groups (one to three pairs each) in three languages of unequal size,
    every pair judged once, for the split tests."""
    tasks: list[Task] = []
    languages = ["python"] * 6 + ["javascript"] * 3 + ["go"]
    for g in range(groups):
        language = languages[g % len(languages)]
        for k in range(1 + g % 3):
            tasks.append(task(f"{language}-{g:03d}-{k}", language, prompt=f"Prompt {g}"))
    with Store.open(path) as store:
        store.insert_tasks(tasks)
        with store.transaction():
            for i, t in enumerate(tasks):
                annotate(store, rubric, t.id, "ann1", "A>B" if i % 2 else "B>>A")
    return path
