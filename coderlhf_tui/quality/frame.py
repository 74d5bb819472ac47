"""Annotations as columns: the one place the quality statistics read domain objects.

Agreement figures, annotator statistics and disagreement ranking all work on numpy
columns (task, annotator, language, preference ordinal, scores, ...), built once here.
Only submitted annotations count, one per (task, annotator): the highest revision.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter

import numpy as np
from numpy.typing import NDArray

from coderlhf_tui.domain import Annotation, AnnotationStatus, Ranking, Task

MISSING = -99
"""Marks a missing preference ordinal or score level in the integer columns."""

UNKNOWN = "unknown"
"""The language or task type of a slice whose task is not in the store or has none."""


@dataclass(frozen=True, slots=True)
class TaskInfo:
    """What the statistics need to know about a task."""

    language: str
    task_type: str
    gold: int | None = None
    """The gold preference's ordinal (-2..2) when the task is a gold task."""
    models: tuple[str | None, ...] = ()
    """Each response's model in key order (a, b, ...): the leaderboard's players."""

    @classmethod
    def of(cls, task: Task) -> TaskInfo:
        """The TaskInfo of a domain Task."""
        return cls(
            language=task.language.value,
            task_type=task.task_type.value if task.task_type else UNKNOWN,
            gold=task.gold.preference.ordinal if task.gold else None,
            models=tuple(response.model for response in task.responses),
        )


@dataclass(frozen=True, slots=True)
class AnnotationFrame:
    """One row per counted annotation; names index the integer code columns."""

    tasks: list[str]
    annotators: list[str]
    languages: list[str]
    task_types: list[str]
    dimensions: list[str]
    scale_min: int
    scale_max: int
    task: NDArray[np.int64]
    annotator: NDArray[np.int64]
    language: NDArray[np.int64]
    task_type: NDArray[np.int64]
    preference: NDArray[np.int64]
    """Ordinal -2..2, or MISSING."""
    scores: NDArray[np.int64]
    """Shape (rows, 2, dimensions): levels for responses a and b, or MISSING."""
    left_is_a: NDArray[np.bool_]
    time_s: NDArray[np.float64]
    gold: NDArray[np.int64]
    """The task's gold ordinal, or MISSING."""
    rankings: dict[str, dict[str, Ranking]] = field(default_factory=dict)
    """Ranked tasks only: per task, each counted annotator's ranking (docs/formats.md)."""

    @property
    def size(self) -> int:
        """How many annotations are counted."""
        return int(self.task.size)

    @property
    def levels(self) -> int:
        """How many levels the score scale has."""
        return self.scale_max - self.scale_min + 1


def counted(annotations: Iterable[Annotation]) -> list[Annotation]:
    """The submitted annotations, one per (task, annotator): the highest revision."""
    submitted = [ann for ann in annotations if ann.status is AnnotationStatus.SUBMITTED]
    pairs = set(map(attrgetter("task_id", "annotator"), submitted))
    if len(pairs) == len(submitted):  # the usual case: nothing to choose between
        return submitted
    best: dict[tuple[str, str], Annotation] = {}
    for ann in submitted:
        key = (ann.task_id, ann.annotator)
        held = best.get(key)
        if held is None or (ann.revision, ann.updated_at) > (held.revision, held.updated_at):
            best[key] = ann
    return list(best.values())


def _codes(values: Sequence[str]) -> tuple[list[str], NDArray[np.int64]]:
    """Sorted distinct names and each value's index among them."""
    names, inverse = np.unique(np.asarray(values, dtype=object).astype(str), return_inverse=True)
    return [str(n) for n in names], inverse.astype(np.int64).reshape(-1)


def _levels(side: Mapping[str, int], dims: Sequence[str]) -> Sequence[int]:
    """One response's levels in dimension order, MISSING where a dimension is unscored."""
    if len(dims) > 1 and len(side) == len(dims):
        try:
            return itemgetter(*dims)(side)  # type: ignore[no-any-return]
        except KeyError:
            pass
    return [side.get(dim, MISSING) for dim in dims]


def build_frame(
    annotations: Iterable[Annotation],
    tasks: Mapping[str, TaskInfo],
    dimensions: Sequence[str],
    scale: tuple[int, int] = (1, 5),
) -> AnnotationFrame:
    """The frame of the counted annotations; a task missing from ``tasks`` is 'unknown'."""
    rows = counted(annotations)
    unknown = TaskInfo(UNKNOWN, UNKNOWN)
    infos = [tasks.get(ann.task_id, unknown) for ann in rows]
    task_names, task_codes = _codes([ann.task_id for ann in rows])
    annotator_names, annotator_codes = _codes([ann.annotator for ann in rows])
    language_names, language_codes = _codes([info.language for info in infos])
    type_names, type_codes = _codes([info.task_type for info in infos])
    dims = list(dimensions)
    empty: dict[str, int] = {}
    flat: list[int] = []
    for ann in rows:
        for side in (ann.scores.get("a", empty), ann.scores.get("b", empty)):
            flat.extend(_levels(side, dims))
    return AnnotationFrame(
        tasks=task_names,
        annotators=annotator_names,
        languages=language_names,
        task_types=type_names,
        dimensions=dims,
        scale_min=scale[0],
        scale_max=scale[1],
        task=task_codes,
        annotator=annotator_codes,
        language=language_codes,
        task_type=type_codes,
        preference=np.array(
            [ann.preference.ordinal if ann.preference else MISSING for ann in rows], dtype=np.int64
        ),
        scores=np.array(flat, dtype=np.int64).reshape(len(rows), 2, len(dims)),
        left_is_a=np.array([ann.shown_order != "ba" for ann in rows], dtype=np.bool_),
        time_s=np.array([ann.time_spent_s for ann in rows], dtype=np.float64),
        gold=np.array(
            [MISSING if info.gold is None else info.gold for info in infos], dtype=np.int64
        ),
        rankings=_rankings(rows),
    )


def _rankings(rows: Sequence[Annotation]) -> dict[str, dict[str, Ranking]]:
    out: dict[str, dict[str, Ranking]] = {}
    for ann in rows:
        if ann.ranking is not None:
            out.setdefault(ann.task_id, {})[ann.annotator] = ann.ranking
    return out
