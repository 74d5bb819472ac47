"""Small builders of annotations and tasks for the quality tests (real domain objects)."""

from __future__ import annotations

import uuid

import numpy as np

from coderlhf_tui.domain import Annotation, AnnotationStatus, Preference
from coderlhf_tui.quality.frame import TaskInfo

DIMENSIONS = ["correctness", "security", "readability", "efficiency", "style"]


def annotation(
    task_id: str,
    annotator: str,
    preference: Preference | None,
    scores: dict[str, dict[str, int]] | None = None,
    *,
    status: AnnotationStatus = AnnotationStatus.SUBMITTED,
    shown_order: str = "ab",
    time_spent_s: float = 60.0,
    revision: int = 1,
) -> Annotation:
    """One annotation with a fresh id."""
    return Annotation(
        id=str(uuid.uuid4()),
        task_id=task_id,
        annotator=annotator,
        revision=revision,
        status=status,
        preference=preference,
        scores=scores or {},
        shown_order=shown_order,
        time_spent_s=time_spent_s,
        rationale="because",
    )


def noisy_body(
    languages: list[str], tasks_per_language: int, annotators: int, seed: int
) -> tuple[list[Annotation], dict[str, TaskInfo]]:
    """Every task annotated by ``annotators`` people of its language, noisily around a truth."""
    rng = np.random.default_rng(seed)
    anns: list[Annotation] = []
    infos: dict[str, TaskInfo] = {}
    for language in languages:
        for index in range(tasks_per_language):
            task_id = f"{language}-{index:04d}"
            infos[task_id] = TaskInfo(language, "implement" if index % 2 else "fix")
            truth = int(rng.integers(-2, 3))
            base = rng.integers(1, 6, size=(2, len(DIMENSIONS)))
            for rater in range(annotators):
                scores = np.clip(base + rng.integers(-1, 2, size=base.shape), 1, 5)
                anns.append(
                    annotation(
                        task_id,
                        f"{language}-r{rater}",
                        Preference.from_ordinal(truth + int(rng.integers(-1, 2))),
                        {
                            key: dict(zip(DIMENSIONS, map(int, row), strict=True))
                            for key, row in zip("ab", scores, strict=True)
                        },
                        shown_order="ab" if rng.random() < 0.5 else "ba",
                    )
                )
    return anns, infos
