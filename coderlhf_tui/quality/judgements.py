"""Counted judgements as columns, read once for the leaderboard and ranking agreement.

The report's ranking sections look at every counted annotation twice: the leaderboard
compares the models of every two responses a judgement orders, the agreement stacks each
ranked task's rankings. Reading 100,000 annotation objects is what costs, so it happens
once, here: each judgement becomes a task row and a *shape* id (a preference, or the
ranking's tie groups). A workspace repeats a few dozen shapes, so the mid-ranks are
computed once per shape and gathered for every row with one index, and no per-row
Python object is made beyond the shape key.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter

import numpy as np
from numpy.typing import NDArray

from coderlhf_tui.domain import RANKED_KEYS, Annotation, Preference
from coderlhf_tui.ranking import ranks_by_key

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
WIDTH = len(RANKED_KEYS)


@dataclass(frozen=True, slots=True)
class Judgements:
    """One row per judgement that orders exactly its task's responses (``a``..)."""

    task: IntArray
    """The task's row in the caller's task order."""
    ranks: FloatArray
    """``[rows, 8]`` mid-ranks by key position (a..h), NaN past the task's responses."""
    judged: IntArray
    """How many responses the judgement orders (the task's response count)."""
    is_ranking: NDArray[np.bool_]
    """A ranking rather than a pairwise preference."""
    scores: list[Mapping[str, Mapping[str, int]]]
    """Each row's dimension scores (the annotation's own mapping, not a copy)."""


def _shape_ranks(shape: Hashable) -> tuple[int, FloatArray, bool]:
    """A shape's response count, its mid-ranks by key position, and whether it judges
    the first keys in order (``a``..) - the only judgements a task can carry."""
    row = np.full(WIDTH, np.nan)
    if isinstance(shape, Preference):
        sign = (shape.ordinal > 0) - (shape.ordinal < 0)
        keys: tuple[str, ...] = ("a", "b")
        ranks: tuple[float, ...] = (1.5 + 0.5 * sign, 1.5 - 0.5 * sign)
    elif isinstance(shape, tuple):
        keys, ranks = ranks_by_key([list(group) for group in shape])
    else:
        return 0, row, False
    row[: len(ranks)] = ranks
    return len(keys), row, keys == RANKED_KEYS[: len(keys)]


def judgements(
    annotations: Sequence[Annotation], task_index: Mapping[str, int], responses: IntArray
) -> Judgements:
    """The columns of counted ``annotations`` whose task is in ``task_index`` and which
    judge exactly that task's ``responses[row]`` responses (import checks ensure it)."""
    count = len(annotations)
    task = np.fromiter(
        map(task_index.get, map(attrgetter("task_id"), annotations), repeat(-1)), np.int64, count
    )
    shapes: list[Hashable] = [
        tuple(map(tuple, ranking)) if (ranking := ann.ranking) is not None else ann.preference
        for ann in annotations
    ]
    codes = {shape: code for code, shape in enumerate(dict.fromkeys(shapes))}
    shape_of = np.fromiter(map(codes.__getitem__, shapes), np.int64, count)
    table = [_shape_ranks(shape) for shape in codes]
    counts = np.array([n for n, _, _ in table], dtype=np.int64)
    rank_rows = np.array([r for _, r, _ in table], dtype=np.float64).reshape(-1, WIDTH)
    in_order = np.array([ok for _, _, ok in table], dtype=bool)
    ranking_shape = np.array([isinstance(shape, tuple) for shape in codes], dtype=bool)
    known = task >= 0
    fits = np.zeros(task.size, dtype=bool)
    fits[known] = counts[shape_of[known]] == responses[task[known]]
    fits &= in_order[shape_of]
    kept = np.flatnonzero(fits)
    kept_shapes = shape_of[kept]
    every_score = list(map(attrgetter("scores"), annotations))
    return Judgements(
        task=task[kept],
        ranks=rank_rows[kept_shapes],
        judged=counts[kept_shapes],
        is_ranking=ranking_shape[kept_shapes],
        scores=[every_score[i] for i in kept.tolist()],
    )
