"""The lead's queue: tasks with two or more annotations, most disputed first.

A task's disagreement combines how far apart the preferences are (the range of their
ordinals, -2..2, plus a penalty when annotators chose different winners) with how far
apart the dimension scores are (the range of levels per response and dimension). Both
are scaled to 0..1 so neither dominates by its units:

    score = preference_range / 4 + 0.5 * (winner conflict) + 0.5 * mean_spread / (levels - 1)

Filtered by dimension, the score is that dimension's largest spread instead, so a lead
working on security sees the security disputes first.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np

from coderlhf_tui.quality.frame import MISSING, AnnotationFrame
from coderlhf_tui.quality.ranking_agreement import ranking_dispute
from coderlhf_tui.ranking import format_ranking


def _score_rankings(
    frame: AnnotationFrame,
    task_codes: np.ndarray,
    score: np.ndarray,
    conflict: np.ndarray,
) -> None:
    """Ranked tasks: 1.5 x (1 - pair agreement) + 0.5 when no response tops every ranking.

    The same 0..2 range as a pairwise task's score, so both kinds share one queue.
    """
    if not frame.rankings:
        return
    for group, code in enumerate(task_codes):
        rankings = frame.rankings.get(frame.tasks[code])
        if rankings and len(rankings) >= 2:
            apart, tops_conflict = ranking_dispute(list(rankings.values()))
            score[group] = 1.5 * apart + 0.5 * tops_conflict
            conflict[group] = tops_conflict


@dataclass(frozen=True, slots=True)
class Disagreement:
    """One task's disagreement and what it is made of."""

    task_id: str
    language: str
    task_type: str
    annotators: list[str]
    score: float
    preference_range: int
    winner_conflict: bool
    spread: dict[str, int] = field(default_factory=dict)
    """Per dimension: the larger of the two responses' score ranges."""
    rankings: dict[str, str] = field(default_factory=dict)
    """A ranked task's rankings by annotator, as ``c>a=d>b``, for a side-by-side view."""


def rank_disagreements(
    frame: AnnotationFrame,
    *,
    language: str | None = None,
    dimension: str | None = None,
    annotator: str | None = None,
    exclude_tasks: Collection[str] = (),
    limit: int | None = None,
) -> list[Disagreement]:
    """Tasks with >= 2 counted annotations, most disputed first (ties by task id)."""
    if frame.size == 0:
        return []
    order = np.lexsort((frame.annotator, frame.task))
    task = frame.task[order]
    starts = np.flatnonzero(np.r_[True, task[1:] != task[:-1]])
    sizes = np.diff(np.r_[starts, task.size])
    pref = frame.preference[order].astype(np.float64)
    pref[pref == MISSING] = np.nan
    high = np.fmax.reduceat(pref, starts)
    low = np.fmin.reduceat(pref, starts)
    pref_range = np.nan_to_num(high - low)
    conflict = (np.nan_to_num(high) > 0) & (np.nan_to_num(low) < 0)
    scores = frame.scores[order].astype(np.float64)
    scores[scores == MISSING] = np.nan
    with np.errstate(invalid="ignore"):
        spread = np.nan_to_num(np.fmax.reduceat(scores, starts) - np.fmin.reduceat(scores, starts))
    per_dim = spread.max(axis=1)  # [tasks, dimensions]: the larger of responses a and b
    levels = max(frame.levels - 1, 1)
    if dimension is not None:
        score = per_dim[:, frame.dimensions.index(dimension)] / levels
    else:
        mean_spread = per_dim.mean(axis=1) if per_dim.shape[1] else np.zeros(starts.size)
        score = pref_range / 4 + 0.5 * conflict + 0.5 * mean_spread / levels
        _score_rankings(frame, task[starts], score, conflict)
    keep = sizes >= 2
    task_codes = task[starts]
    if language is not None:
        wanted = frame.languages.index(language) if language in frame.languages else -1
        keep &= frame.language[order][starts] == wanted
    if annotator is not None:
        code = frame.annotators.index(annotator) if annotator in frame.annotators else -1
        member = np.zeros(len(frame.tasks), dtype=np.bool_)
        member[frame.task[frame.annotator == code]] = True
        keep &= member[task_codes]
    if exclude_tasks:
        excluded = np.isin(np.asarray(frame.tasks, dtype=object), list(exclude_tasks))
        keep &= ~excluded[task_codes]
    chosen = np.flatnonzero(keep)
    names = np.asarray(frame.tasks, dtype=object)[task_codes[chosen]]
    ranking = chosen[np.lexsort((names, -score[chosen]))]
    if limit is not None:
        ranking = ranking[:limit]
    out = []
    annotators = frame.annotator[order]
    for group in ranking:
        start, size = starts[group], sizes[group]
        first = order[start]
        out.append(
            Disagreement(
                task_id=frame.tasks[task_codes[group]],
                language=frame.languages[frame.language[first]],
                task_type=frame.task_types[frame.task_type[first]],
                annotators=[frame.annotators[a] for a in annotators[start : start + size]],
                score=round(float(score[group]), 6),
                preference_range=int(pref_range[group]),
                winner_conflict=bool(conflict[group]),
                spread={d: int(per_dim[group, i]) for i, d in enumerate(frame.dimensions)},
                rankings={
                    name: format_ranking(ranking)
                    for name, ranking in sorted(
                        frame.rankings.get(frame.tasks[task_codes[group]], {}).items()
                    )
                },
            )
        )
    return out
