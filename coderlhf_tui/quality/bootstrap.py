"""Seeded bootstrap intervals: resample tasks within each language, reuse the draw everywhere.

The resampling unit is the task (a task's preference and both responses' scores move
together, since the same people rated them), drawn with replacement *within its
language*: a language's figures get an ordinary cluster bootstrap, the overall figures a
bootstrap stratified by language (the dataset is built from per-language pools, so each
language's share stays fixed). One draw of task multiplicities per replicate serves every
target (preference and each dimension) and every slice, and each target maps tasks onto
its item patterns with one sparse product, so 1,000 replicates over 100,000 annotations
take well under a second. The same seed gives the same intervals.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse  # type: ignore[import-untyped]

from coderlhf_tui.quality.measure import STATISTICS, percentile_interval, statistics
from coderlhf_tui.quality.patterns import FloatArray, IntArray, Patterns

_WEIGHTS_PER_BLOCK = 12_000_000
"""Replicates are drawn in blocks of at most this many task multiplicities."""


@dataclass(frozen=True, slots=True)
class BootstrapTarget:
    """One target's patterns, how its items map to tasks, and the slices to interval.

    ``slices`` maps a slice key to the pattern rows that belong to it (and ``None`` for
    all rows); ``items_per_task`` is 1 for the preference and 2 for a dimension (the item
    id is task * items_per_task + response).
    """

    patterns: Patterns
    items_per_task: int
    slices: Mapping[str, NDArray[np.bool_] | None]


_ROWS_PER_COUNT = 16
"""Replicates counted per bincount call: their counts stay in cache while they grow."""


def task_multiplicities(
    task_stratum: IntArray, replicates: int, rng: np.random.Generator
) -> FloatArray:
    """``[tasks, replicates]``: how often each task is drawn, resampling within strata
    (fastest when ``task_stratum`` is sorted, each stratum's rows then being one block).

    Counted a few replicates at a time (their counters stay in cache), then laid out
    task-major because the sparse product that follows reads it by task.
    """
    out = np.empty((task_stratum.size, replicates), dtype=np.float32)
    for stratum in np.unique(task_stratum):
        members = np.flatnonzero(task_stratum == stratum)
        size = members.size
        wide = size * _ROWS_PER_COUNT >= 2**31
        draws = rng.integers(0, size, size=(replicates, size), dtype=np.int64 if wide else np.int32)
        lane = (np.arange(replicates) % _ROWS_PER_COUNT) * size
        np.add(draws, lane[:, None], out=draws, casting="unsafe")
        counts = np.empty((replicates, size), dtype=np.float32)
        for start in range(0, replicates, _ROWS_PER_COUNT):
            block = draws[start : start + _ROWS_PER_COUNT]
            counts[start : start + block.shape[0]] = np.bincount(
                block.reshape(-1), minlength=block.shape[0] * size
            ).reshape(block.shape[0], size)
        out[members] = counts.T
    return out  # type: ignore[return-value]


def _task_to_pattern(
    target: BootstrapTarget, position: IntArray, n_tasks: int
) -> sparse.csr_matrix:
    """Sparse ``[patterns, tasks]``: 1 where a task's item belongs to the pattern."""
    patterns = target.patterns
    tasks = position[patterns.item_ids // target.items_per_task]
    return sparse.csr_matrix(
        (np.ones(tasks.size, dtype=np.float32), (patterns.item_pattern, tasks)),
        shape=(patterns.counts.size, n_tasks),
    )


def bootstrap_intervals(
    targets: Mapping[str, BootstrapTarget],
    task_stratum: IntArray,
    *,
    replicates: int = 1000,
    seed: int = 0,
) -> dict[str, dict[str, dict[str, tuple[float, float]]]]:
    """``[target][slice][statistic] -> (low, high)``, the 95% percentile intervals."""
    rng = np.random.default_rng(seed)
    n_tasks = int(task_stratum.size)
    if replicates <= 0 or n_tasks == 0:
        return {}
    # tasks of one stratum side by side, so each stratum's draws fill one block of rows
    order = np.argsort(task_stratum, kind="stable")
    position = np.empty_like(order)
    position[order] = np.arange(order.size)
    sorted_strata = task_stratum[order]
    maps = {name: _task_to_pattern(t, position, n_tasks) for name, t in targets.items()}
    subsets = {
        name: {
            key: (target.patterns if rows is None else target.patterns.subset(rows), rows)
            for key, rows in target.slices.items()
        }
        for name, target in targets.items()
    }
    collected: dict[str, dict[str, dict[str, list[FloatArray]]]] = {
        name: {key: {stat: [] for stat in STATISTICS} for key in target.slices}
        for name, target in targets.items()
    }
    block = max(1, _WEIGHTS_PER_BLOCK // n_tasks)

    def one_target(name: str, weights: FloatArray) -> dict[str, dict[str, FloatArray]]:
        counts = np.asarray(maps[name] @ weights, dtype=np.float64)
        return {
            key: statistics(patterns, (counts if rows is None else counts[rows]).T)
            for key, (patterns, rows) in subsets[name].items()
        }

    # draws stay in this thread (so the seed fixes them); targets share the cores
    with ThreadPoolExecutor(max_workers=min(len(targets), os.cpu_count() or 1)) as pool:
        for start in range(0, replicates, block):
            weights = task_multiplicities(sorted_strata, min(block, replicates - start), rng)
            results = pool.map(one_target, list(targets), [weights] * len(targets))
            for name, per_slice in zip(list(targets), results, strict=True):
                for key, values in per_slice.items():
                    for stat, array in values.items():
                        collected[name][key][stat].append(array)
    return {
        name: {
            key: {stat: percentile_interval(np.concatenate(parts)) for stat, parts in stats.items()}
            for key, stats in per_slice.items()
        }
        for name, per_slice in collected.items()
    }
