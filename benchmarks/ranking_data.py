"""Synthetic ranked workspaces for the ranking benchmarks (not a benchmark itself).

``build_ranked_workspace(path, annotations)`` writes real SQLite through ``Store``: ranked
tasks of four responses (six models, ten languages, ~30-line responses) with three
submitted rankings each (noisy around a hidden model order, ties now and then), scores,
and test runs and findings on some responses. Cached by the caller.
"""

from __future__ import annotations

import random
import uuid
from pathlib import Path

from coderlhf_tui.domain import (
    Annotation,
    AnnotationStatus,
    Finding,
    Language,
    Response,
    Severity,
    Task,
    TestRun,
    Verdict,
)
from coderlhf_tui.ranking import from_order
from coderlhf_tui.store import Store

MODELS = ("m-alpha", "m-beta", "m-gamma", "m-delta", "m-eps", "m-zeta")
STRENGTH = dict(zip(MODELS, (3.0, 2.0, 1.5, 1.0, 0.7, 0.5), strict=True))
DIMENSIONS = ("correctness", "security", "readability", "efficiency", "style")
ANNOTATORS = ("ak", "bo", "cy")


def _code(rng: random.Random, n: int) -> str:
    lines = [f"def solve_{n}(data):"]
    lines += [f"    value_{j} = data[{j}] * {rng.randint(1, 9)}  # step {j}" for j in range(30)]
    return "\n".join([*lines, "    return value_0\n"])


def build_ranked_workspace(path: Path, annotations: int, seed: int = 11) -> None:
    """About ``annotations`` submitted rankings (three per task, four responses each)."""
    rng = random.Random(seed)
    languages = list(Language)
    count = annotations // len(ANNOTATORS)
    with Store.open(path) as store:
        tasks = []
        for i in range(count):
            models = rng.sample(MODELS, 4)
            tasks.append(
                Task(
                    id=f"rk-{i:06d}",
                    language=languages[i % len(languages)],
                    prompt=f"Task {i}: solve the batch problem {i}.",
                    responses=tuple(
                        Response(f"s{k}", _code(rng, i * 4 + k), m) for k, m in enumerate(models)
                    ),
                )
            )
        store.insert_tasks(tasks)
        with store.transaction():
            for task in tasks:
                keys = list(task.keys)
                for who in ANNOTATORS:
                    weights = {k: STRENGTH[task.response(k).model or ""] for k in keys}
                    order = sorted(keys, key=lambda k: -weights[k] * rng.uniform(0.4, 1.6))
                    ties = [False] + [rng.random() < 0.15 for _ in order[1:]]
                    ranking = from_order(order, ties)
                    store.merge_annotation(
                        Annotation(
                            id=str(uuid.uuid4()),
                            task_id=task.id,
                            annotator=who,
                            status=AnnotationStatus.SUBMITTED,
                            ranking=ranking,
                            scores={k: {d: rng.randint(1, 5) for d in DIMENSIONS} for k in keys},
                            rationale="Ranked by correctness first, then by clarity.",
                            time_spent_s=float(rng.randint(60, 600)),
                            shown_order="".join(rng.sample(keys, len(keys))),
                            rubric_version="1",
                        )
                    )
                if rng.random() < 0.3:
                    for k in keys[:2]:
                        verdict = Verdict.PASSED if rng.random() < 0.6 else Verdict.FAILED
                        store.save_test_run(
                            task.id, k, TestRun(verdict=verdict, content_hash=f"{task.id}-{k}")
                        )
                    finding = Finding("r", "CWE-89", "SQLi", Severity.HIGH, 2, 2, "query")
                    store.save_findings(task.id, keys[0], f"scan-{task.id}", [finding])
