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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import permutations
from typing import Any

import numpy as np
from numpy.typing import NDArray

from coderlhf_tui.domain import Ranking
from coderlhf_tui.quality.bootstrap import task_multiplicities
from coderlhf_tui.quality.coefficients import krippendorff_alpha_ordinal
from coderlhf_tui.ranking import ranks_by_key

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
        ranked, ranks = ranks_by_key(ranking)
        if tuple(keys) == ranked:
            out[row] = ranks
        else:
            by_key = dict(zip(ranked, ranks, strict=True))
            out[row] = [by_key[key] for key in keys]
    return out


def _rank_stack(items: Sequence[RankedItem], m: int, n: int) -> FloatArray:
    """``[tasks, m, n]`` mid-ranks of tasks with ``m`` rankings of ``n`` responses, built
    as one array (a ranking of exactly the task's keys, the usual case, is used as is)."""
    rows: list[Sequence[float]] = []
    for item in items:
        for ranking in item.rankings:
            ranked, ranks = ranks_by_key(ranking)
            rows.append(ranks if ranked == item.keys else rank_matrix(item.keys, [ranking])[0])
    return np.array(rows, dtype=np.float64).reshape(len(items), m, n)


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


def _coincidence_stack(ranks: FloatArray, width: int) -> FloatArray:
    """Per task, its units' contribution to the alpha's coincidence matrix (``width`` rank
    levels), flattened: every ordered pair of annotators' values of one response adds
    1 / (m - 1) to its cell, counted for all tasks by one weighted bincount."""
    count, m, _ = ranks.shape
    if m < 2:
        return np.zeros((count, width * width), dtype=np.float64)
    levels = np.rint(ranks * 2).astype(np.int64) - 2  # 1, 1.5, ... 8 -> 0 .. 14
    first, second = (np.array(p) for p in zip(*permutations(range(m), 2), strict=True))
    cells = levels[:, first, :] * width + levels[:, second, :]  # [T, pairs, n]
    cells += (np.arange(count) * width * width)[:, None, None]
    counted_cells = np.bincount(
        cells.reshape(-1), np.full(cells.size, 1.0 / (m - 1)), count * width * width
    )
    return np.asarray(counted_cells.reshape(count, width * width), dtype=np.float64)


@dataclass
class TaskFigures:
    """Per task, the sums every slice and replicate is built from."""

    w: FloatArray
    agreeing: FloatArray
    pairs: FloatArray
    coincidence: FloatArray
    annotators: NDArray[np.int64]
    levels: int = RANK_LEVELS
    """Mid-rank levels in use (2n - 1 for the largest task's n responses)."""

    @cached_property
    def columns(self) -> NDArray[np.float32]:
        """``[tasks, 4 + levels^2]`` float32: W (0 where undefined), whether W is defined,
        agreeing pairs, pairs, then the coincidence contribution."""
        return np.column_stack(
            [
                np.nan_to_num(self.w),
                ~np.isnan(self.w),
                self.agreeing,
                self.pairs,
                self.coincidence,
            ]
        ).astype(np.float32)


def task_figures(items: Sequence[RankedItem]) -> TaskFigures:
    """Each task's W, pair agreement sums and coincidence contribution, in ``items`` order."""
    shapes: dict[tuple[int, int], list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        if len(item.rankings) >= 2:
            shapes[(len(item.rankings), len(item.keys))].append(index)
    return figures_of_stacks(
        np.array([len(item.rankings) for item in items], dtype=np.int64),
        max((len(item.keys) for item in items), default=2),
        (
            (np.array(members), _rank_stack([items[i] for i in members], m, n))
            for (m, n), members in shapes.items()
        ),
    )


def figures_of_stacks(
    annotators: NDArray[np.int64],
    most_responses: int,
    stacks: Iterable[tuple[NDArray[np.int64], FloatArray]],
) -> TaskFigures:
    """The figures of tasks with ``annotators[t]`` rankings each, from ``stacks``: task
    positions and their ``[tasks, m, n]`` mid-ranks, one stack per (m, n) with m >= 2."""
    count = annotators.size
    levels = 2 * most_responses - 1
    figures = TaskFigures(
        w=np.full(count, np.nan),
        agreeing=np.zeros(count),
        pairs=np.zeros(count),
        coincidence=np.zeros((count, levels * levels)),
        annotators=annotators,
        levels=levels,
    )
    for where, stack in stacks:
        figures.w[where] = _kendall_w_stack(stack)
        figures.agreeing[where], figures.pairs[where] = pair_agreement_sums(stack)
        figures.coincidence[where] = _coincidence_stack(stack, levels)
    return figures


def _ratio(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(np.where(denominator > 0, numerator / denominator, np.nan))


@dataclass(slots=True)
class SliceSums:
    """What the statistics of a slice are made of, one entry per replicate; sums of
    disjoint slices (languages) add up to their union's."""

    w_sum: FloatArray
    w_count: FloatArray
    agreeing: FloatArray
    pairs: FloatArray
    coincidence: FloatArray
    """``[replicates, levels, levels]``."""

    def __add__(self, other: SliceSums) -> SliceSums:
        return SliceSums(
            self.w_sum + other.w_sum,
            self.w_count + other.w_count,
            self.agreeing + other.agreeing,
            self.pairs + other.pairs,
            self.coincidence + other.coincidence,
        )


def slice_sums(figures: TaskFigures, rows: NDArray[np.int64], weights: FloatArray) -> SliceSums:
    """The sums over ``rows`` for task weights ``[len(rows), replicates]``.

    A weight is how often a task counts (1 for the point figure, a multiplicity in a
    bootstrap replicate). Every figure is one column of ``figures.columns``, so a slice
    is one float32 product (counts stay exact): a bootstrap of 200 replicates over
    100,000 tasks is one matrix product per language.
    """
    block = weights.astype(np.float32, copy=False)
    summed = np.asarray(figures.columns[rows].T @ block, dtype=np.float64)
    return SliceSums(
        w_sum=summed[0],
        w_count=summed[1],
        agreeing=summed[2],
        pairs=summed[3],
        coincidence=summed[4:].T.reshape(-1, figures.levels, figures.levels),
    )


def slice_statistics(sums: SliceSums) -> dict[str, FloatArray]:
    """The three statistics, one value per replicate."""
    return {
        "kendall_w": _ratio(sums.w_sum, sums.w_count),
        "krippendorff_alpha_ordinal": krippendorff_alpha_ordinal(sums.coincidence),
        "pair_agreement": _ratio(sums.agreeing, sums.pairs),
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
    order = np.argsort([item.language for item in items], kind="stable")
    items = [items[i] for i in order]  # each language one block of rows
    return agreement_sections(
        task_figures(items),
        [item.language for item in items],
        [item.task_type or "unknown" for item in items],
        bootstrap=bootstrap,
        seed=seed,
    )


def agreement_sections(
    figures: TaskFigures,
    task_languages: Sequence[str],
    task_types: Sequence[str],
    *,
    bootstrap: int,
    seed: int,
) -> dict[str, Any]:
    """The sections from each task's figures, tasks given language by language."""
    multi = figures.annotators >= 2
    languages = np.array(task_languages, dtype=object)
    types = np.array(task_types, dtype=object)
    names = sorted(set(task_languages))
    stratum = np.searchsorted(np.array(names, dtype=object), languages).astype(np.int64)
    replicates = None
    if bootstrap > 0 and len(task_languages):
        replicates = task_multiplicities(stratum, bootstrap, np.random.default_rng(seed))

    def section(
        rows: NDArray[np.int64], point: SliceSums, draws: SliceSums | None
    ) -> dict[str, Any]:
        member = multi[rows]
        out: dict[str, Any] = {
            "n_tasks": int(member.sum()),
            "n_rankings": int(figures.annotators[rows][member].sum()),
        }
        figures_now = slice_statistics(point)
        for name in STATISTICS:
            out[name] = _number(figures_now[name][0])
        if draws is not None:
            spread = slice_statistics(draws)
            out["ci95"] = {
                name: _interval(spread[name]) for name in STATISTICS if out[name] is not None
            }
        return out

    by_language: dict[str, Any] = {}
    total_point: SliceSums | None = None
    total_draws: SliceSums | None = None
    for code, name in enumerate(names):
        rows = np.flatnonzero(stratum == code)
        point = slice_sums(figures, rows, np.ones((rows.size, 1)))
        block = None if replicates is None else replicates[rows[0] : rows[-1] + 1]
        draws = None if block is None else slice_sums(figures, rows, block)
        by_language[name] = section(rows, point, draws)
        total_point = point if total_point is None else total_point + point
        if draws is not None:
            total_draws = draws if total_draws is None else total_draws + draws
    everything = np.arange(len(task_languages))
    if total_point is None:
        total_point = slice_sums(figures, everything, np.ones((0, 1)))
    return {
        "settings": {"bootstrap": bootstrap, "seed": seed},
        "overall": section(everything, total_point, total_draws),
        "by_language": by_language,
        "by_task_type": {
            name: section(rows, slice_sums(figures, rows, np.ones((rows.size, 1))), None)
            for name in sorted(set(task_types))
            for rows in [np.flatnonzero(types == name)]
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
