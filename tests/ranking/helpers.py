"""Builders for ranked tasks and annotations, shared by the ranking tests."""

from __future__ import annotations

import uuid
from typing import Any

from coderlhf_tui.domain import Annotation, AnnotationStatus, Ranking
from coderlhf_tui.rubric import DIMENSION_NAMES

CODES = {
    "a": "def add(a, b):\n    return a + b\n",
    "b": "def add(a, b):\n    return a - b\n",
    "c": "def add(a, b):\n    return sum([a, b])\n",
    "d": "def add(a, b):\n    return b + a + 0\n",
    "e": "def add(a, b):\n    return a * b\n",
    "f": "def add(a, b):\n    return a + b + 1\n",
    "g": "def add(a, b):\n    return int(a) + int(b)\n",
    "h": "def add(a, b):\n    return None\n",
}


def ranked_record(
    task_id: str = "r-1", n: int = 4, language: str = "python", **overrides: Any
) -> dict[str, Any]:
    """A valid ranked task record: ``n`` responses a.. with models m-a, m-b, ..."""
    keys = "abcdefgh"[:n]
    record: dict[str, Any] = {
        "id": task_id,
        "language": language,
        "prompt": f"Add two numbers ({task_id}).",
        "task_type": "implement",
        "responses": [{"id": k, "model": f"m-{k}", "code": CODES[k]} for k in keys],
        "tests": {"kind": "script", "code": "assert add(1, 2) == 3\n"},
    }
    record.update(overrides)
    return record


def full_scores(keys: str, level: int = 3) -> dict[str, dict[str, int]]:
    """Every dimension of every response at one level."""
    return {k: dict.fromkeys(DIMENSION_NAMES, level) for k in keys}


def ranked_annotation(
    task_id: str,
    annotator: str,
    ranking: Ranking,
    *,
    scores: dict[str, dict[str, int]] | None = None,
    status: AnnotationStatus = AnnotationStatus.SUBMITTED,
) -> Annotation:
    """A submitted ranked annotation with every response scored."""
    keys = "".join(sorted(k for group in ranking for k in group))
    return Annotation(
        id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"{task_id}/{annotator}")),
        task_id=task_id,
        annotator=annotator,
        status=status,
        ranking=[list(group) for group in ranking],
        scores=scores if scores is not None else full_scores(keys),
        rationale="Ranked by the tests and then by readability of each response.",
        shown_order="".join(reversed(keys)),
    )
