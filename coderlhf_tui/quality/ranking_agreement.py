"""How well annotators agree on rankings: Kendall's W, Krippendorff's alpha, pair agreement.

Three views of the same ranked tasks (docs/quality.md, "Agreement on rankings"):

- **Kendall's W** (coefficient of concordance), per task over its annotators' mid-ranks
  with the tie correction: W = 12 S / (m^2 (n^3 - n) - m sum T), S the squared
  deviations of the response rank sums, T = sum (t^3 - t) over each annotator's tie
  groups. A slice's figure is the mean W of its tasks with two or more annotators.
- **Krippendorff's alpha (ordinal)** with each (task, response) as a unit and its
  mid-ranks as the values, from the coincidence matrix (``coefficients``).
- **Pair agreement**: over every two responses of a task and every two annotators, the
  share that order the pair the same way (above, below or tied) - the agreement of the
  pairs an export derives.

Every figure is a sum over tasks, so a bootstrap replicate (task multiplicities drawn
within languages, ``bootstrap.task_multiplicities``) is one matrix product per figure.
Tasks with the same number of annotators and responses are stacked and computed together.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from coderlhf_tui.domain import Ranking
from coderlhf_tui.quality.bootstrap import task_multiplicities
from coderlhf_tui.quality.coefficients import krippendorff_alpha_ordinal
from coderlhf_tui.ranking import mid_ranks

FloatArray = NDArray[np.float64]

MAX_KEYS = 8
RANK_LEVELS = 2 * MAX_KEYS - 1
"""Mid-ranks are halves from 1 to 8: 15 possible values, the alpha's categories."""


@dataclass(frozen=True, slots=True)
class RankedItem:
    """One ranked task's submitted rankings (one per annotator) and its slices."""

    task_id: str
    language: str
    task_type: str | None
    keys: tuple[str, ...]
    rankings: tuple[Ranking, ...]


def rank_matrix(keys: Sequence[str], rankings: Sequence[Ranking]) -> FloatArray:
    """``[annotators, responses]`` mid-ranks."""
    out = np.empty((len(rankings), len(keys)), dtype=np.float64)
    for row, ranking in enumerate(rankings):
        ranks = mid_ranks(ranking)
        out[row] = [ranks[key] for key in keys]
    return out


def kendall_w(ranks: FloatArray) -> float:
    """Kendall's W of one task (``[m, n]`` mid-ranks), tie-corrected; NaN when undefined."""
    return float(_kendall_w_stack(ranks[None])[0])


def _tie_sums(ranks: FloatArray) -> FloatArray:
    """sum over tie groups of (t^3 - t), per annotator (``[..., m, n]`` -> ``[..., m]``)."""
    same = ranks[..., :, None] == ranks[..., None, :]
    t = same.sum(axis=-1).astype(np.float64)  # each response's tie-group size
    return np.asarray((t * t - 1.0).sum(axis=-1), dtype=np.float64)  # sum_groups t^3 - t


def _kendall_w_stack(ranks: FloatArray) -> FloatArray:
    """Kendall's W of a stack of tasks of equal shape ``[T, m, n]``."""
    _, m, n = ranks.shape
    sums = ranks.sum(axis=1)
    spread = ((sums - sums.mean(axis=1, keepdims=True)) ** 2).sum(axis=1)
    denominator = m * m * (n**3 - n) - m * _tie_sums(ranks).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(
            denominator > 0, 12.0 * spread / np.where(denominator > 0, denominator, 1), np.nan
        )
    return np.asarray(w if m >= 2 else np.full(len(ranks), np.nan), dtype=np.float64)


def pair_agreement_sums(ranks: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Per task: agreeing annotator pairs over response pairs, and all such pairs."""
    _, m, n = ranks.shape
    upper = np.triu_indices(n, 1)
    signs = np.sign(ranks[:, :, upper[0]] - ranks[:, :, upper[1]])  # [T, m, pairs]
    agreeing = np.zeros(len(ranks), dtype=np.float64)
    for value in (-1.0, 0.0, 1.0):
        count = (signs == value).sum(axis=1).astype(np.float64)
        agreeing += (count * (count - 1) / 2).sum(axis=1)
    total = np.full(len(ranks), len(upper[0]) * m * (m - 1) / 2, dtype=np.float64)
    return agreeing, total


def _coincidence_stack(ranks: FloatArray) -> FloatArray:
    """Per task, its units' contribution to the alpha's coincidence matrix, flattened."""
    count, m, n = ranks.shape
    levels = np.rint(ranks * 2).astype(np.int64) - 2  # 1, 1.5, ... 8 -> 0 .. 14
    out = np.zeros((count, RANK_LEVELS * RANK_LEVELS), dtype=np.float64)
    if m < 2:
        return out
    weight = 1.0 / (m - 1)
    rows = np.arange(count)
    for i in range(m):
        for j in range(m):
            if i != j:
                cells = levels[:, i, :] * RANK_LEVELS + levels[:, j, :]
                for response in range(n):
                    np.add.at(out, (rows, cells[:, response]), weight)
    return out


@dataclass(slots=True)
class TaskFigures:
    """Per task, the sums every slice and replicate is built from."""

    w: FloatArray
    agreeing: FloatArray
    pairs: FloatArray
    coincidence: FloatArray
    annotators: NDArray[np.int64]


def task_figures(items: Sequence[RankedItem]) -> TaskFigures:
    """Each task's W, pair agreement sums and coincidence contribution, in ``items`` order."""
    count = len(items)
    figures = TaskFigures(
        w=np.full(count, np.nan),
        agreeing=np.zeros(count),
        pairs=np.zeros(count),
        coincidence=np.zeros((count, RANK_LEVELS * RANK_LEVELS)),
        annotators=np.array([len(item.rankings) for item in items], dtype=np.int64),
    )
    shapes: dict[tuple[int, int], list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        if len(item.rankings) >= 2:
            shapes[(len(item.rankings), len(item.keys))].append(index)
    for members in shapes.values():
        stack = np.stack([rank_matrix(items[i].keys, items[i].rankings) for i in members])
        where = np.array(members)
        figures.w[where] = _kendall_w_stack(stack)
        figures.agreeing[where], figures.pairs[where] = pair_agreement_sums(stack)
        figures.coincidence[where] = _coincidence_stack(stack)
    return figures


def _ratio(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(np.where(denominator > 0, numerator / denominator, np.nan))


def slice_figures(figures: TaskFigures, weights: FloatArray) -> dict[str, FloatArray]:
    """The three statistics for task weights ``[tasks, replicates]`` (one column per replicate).

    A weight is how often a task counts (0 outside the slice, 1 for the point figure,
    a multiplicity in a bootstrap replicate).
    """
    rated = ~np.isnan(figures.w)
    w_weights = weights * rated[:, None]
    w_sum = np.nan_to_num(figures.w) @ w_weights
    coincidence = (figures.coincidence.T @ weights).T.reshape(-1, RANK_LEVELS, RANK_LEVELS)
    return {
        "kendall_w": _ratio(w_sum, w_weights.sum(axis=0)),
        "krippendorff_alpha_ordinal": krippendorff_alpha_ordinal(coincidence),
        "pair_agreement": _ratio(figures.agreeing @ weights, figures.pairs @ weights),
    }


STATISTICS = ("kendall_w", "krippendorff_alpha_ordinal", "pair_agreement")


def _number(value: float) -> float | None:
    return None if np.isnan(value) else round(float(value), 4)


def ranking_agreement(
    items: Sequence[RankedItem], *, bootstrap: int = 1000, seed: int = 0
) -> dict[str, Any]:
    """The report's ``ranking_agreement`` section: overall, per language, per task type.

    Overall and per-language figures carry seeded 95% percentile intervals (tasks drawn
    within their language); task-type slices carry point figures.
    """
    figures = task_figures(items)
    multi = figures.annotators >= 2
    languages = np.array([item.language for item in items], dtype=object)
    task_types = np.array([item.task_type or "unknown" for item in items], dtype=object)
    codes = {name: i for i, name in enumerate(sorted(set(languages.tolist())))}
    stratum = np.array([codes[name] for name in languages.tolist()], dtype=np.int64)
    replicates = None
    if bootstrap > 0 and len(items):
        rng = np.random.default_rng(seed)
        replicates = task_multiplicities(stratum, bootstrap, rng).astype(np.float64)

    def section(member: NDArray[np.bool_], with_interval: bool) -> dict[str, Any]:
        point = slice_figures(figures, member.astype(np.float64)[:, None])
        out: dict[str, Any] = {
            "n_tasks": int((member & multi).sum()),
            "n_rankings": int(figures.annotators[member & multi].sum()),
        }
        for name in STATISTICS:
            out[name] = _number(point[name][0])
        if with_interval and replicates is not None:
            draws = slice_figures(figures, replicates * member[:, None])
            out["ci95"] = {
                name: _interval(draws[name]) for name in STATISTICS if out[name] is not None
            }
        return out

    everything = np.ones(len(items), dtype=np.bool_)
    return {
        "settings": {"bootstrap": bootstrap, "seed": seed},
        "overall": section(everything, True),
        "by_language": {
            name: section(languages == name, True) for name in sorted(set(languages.tolist()))
        },
        "by_task_type": {
            name: section(task_types == name, False) for name in sorted(set(task_types.tolist()))
        },
    }


def _interval(draws: FloatArray) -> list[float] | None:
    finite = draws[~np.isnan(draws)]
    if not finite.size:
        return None
    low, high = np.percentile(finite, [2.5, 97.5])
    return [round(float(low), 4), round(float(high), 4)]


def ranking_dispute(rankings: Sequence[Ranking]) -> tuple[float, bool]:
    """How far a task's rankings are apart: (1 - pair agreement, whether tops conflict).

    The tops conflict when no response is in every annotator's top group. The lead's
    queue ranks ranked tasks by these (``disagreement.rank_disagreements``).
    """
    keys = sorted({key for group in rankings[0] for key in group})
    agreeing, pairs = pair_agreement_sums(rank_matrix(keys, rankings)[None])
    shared_top = set(rankings[0][0]).intersection(*(r[0] for r in rankings[1:]))
    return float(1.0 - agreeing[0] / pairs[0]) if pairs[0] else 0.0, not shared_top
