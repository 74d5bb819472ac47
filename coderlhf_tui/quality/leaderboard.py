"""The model leaderboard: a Bradley-Terry rating per model from every comparison, with
test pass rates and security finding rates beside it.

Comparisons come from all counted annotations (docs/quality.md, "Model leaderboard"):
a pairwise preference compares the two responses' models once; a ranking compares every
two of its responses (the better one wins, a tie is half a win each). Per rubric
dimension, the same pairs are compared on the annotator's scores (the higher level
wins). Responses without a model name, and a model against itself, do not count.

Bradley-Terry strengths are the maximum-likelihood fit (Newton's method on
log-strengths; the tests hold it to scipy's optimiser), with one virtual tie against a
reference of strength 1 per model so that a model that never wins (or never loses)
keeps a finite rating. Ratings
are shown on the Elo scale, 1000 + 400 log10(p_i / geometric mean p). Intervals are
seeded 95% percentile bootstraps over tasks drawn within their language
(``bootstrap.task_multiplicities``): each task's win counts are a small dense block, so a
replicate's win matrices are one matrix product, and all replicates are fitted at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, pairwise
from operator import itemgetter
from typing import Any

import numpy as np
from numpy.typing import NDArray

from coderlhf_tui.domain import RANKED_KEYS, Annotation
from coderlhf_tui.quality.bootstrap import task_multiplicities
from coderlhf_tui.quality.judgements import WIDTH, Judgements, judgements

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

OVERALL = "overall"
ITERATIONS = 100
MAX_STEP = 4.0
"""Largest Newton step on a log-strength (a factor of e^4 ~ 55): keeps the first steps
of a lopsided table from overshooting."""
DENSE_CELLS = 16_000_000
"""Up to this many (task, cell) slots, comparisons are summed by one dense count."""
TASKS_PER_CHUNK = 4096
"""Tasks whose dense win blocks are multiplied at once (memory stays bounded)."""


@dataclass(frozen=True, slots=True)
class WinCells:
    """Wins summed per (task, cell), sorted by task: cell = (target * K + winner) * K +
    loser, a tie being half a win each way. ``targets`` 0 is the preference or ranking
    itself, 1.. the rubric dimensions."""

    task: IntArray
    cell: IntArray
    weight: FloatArray
    targets: int
    models: int

    def renumbered(self, position: IntArray) -> WinCells:
        """The same wins with task ``t`` moved to ``position[t]`` (still sorted by task)."""
        task = position[self.task]
        order = np.argsort(task, kind="stable")
        return WinCells(
            task[order], self.cell[order], self.weight[order], self.targets, self.models
        )


@dataclass(frozen=True, slots=True)
class Outcomes:
    """Every comparison between models, summed per task: ``cells`` indexes ``models`` and
    ``targets`` (overall, then the rubric dimensions)."""

    models: list[str]
    targets: list[str]
    cells: WinCells


def _levels(
    scores: Mapping[str, Mapping[str, int]],
    keys: Sequence[str],
    dimensions: Sequence[str],
    levels_of: Any,
) -> list[float]:
    """One annotation's levels, response by response in dimension order (NaN if unscored)."""
    if levels_of is not None:
        try:
            return [level for key in keys for level in levels_of(scores[key])]
        except KeyError:
            pass
    nan = float("nan")
    return [float(scores.get(k, {}).get(d, nan)) for k in keys for d in dimensions]


def _score_array(
    scores: Sequence[Mapping[str, Mapping[str, int]]],
    keys: tuple[str, ...],
    dimensions: Sequence[str],
) -> FloatArray:
    """``[A, n, D]`` levels of annotations ranking the same ``keys`` (NaN if unscored).

    When every response is scored on every dimension (the usual case), the levels are
    read by C-level getters straight into one array; otherwise annotation by annotation.
    """
    shape = (len(scores), len(keys), len(dimensions))
    levels_of = itemgetter(*dimensions) if len(dimensions) > 1 else None
    if levels_of is not None and len(keys) > 1:
        responses = chain.from_iterable(map(itemgetter(*keys), scores))
        try:
            flat = np.fromiter(
                chain.from_iterable(map(levels_of, responses)),
                dtype=np.float64,
                count=shape[0] * shape[1] * shape[2],
            )
            return flat.reshape(shape)
        except KeyError:
            pass  # some response or dimension unscored: NaN where it is missing
    rows = [_levels(s, keys, dimensions, levels_of) for s in scores]
    return np.array(rows, dtype=np.float64).reshape(shape)


def model_codes(
    models_by_row: Sequence[Sequence[str | None]],
) -> tuple[list[str], IntArray]:
    """Sorted model names, and per task row its responses' model codes by key position
    (``[tasks, 8]``, -1 for no model or no response)."""
    flat = list(chain.from_iterable(models_by_row))
    names = sorted({m for m in flat if m})
    code: dict[str | None, int] = {name: i for i, name in enumerate(names)}
    code[None] = code[""] = -1
    lengths = np.fromiter(map(len, models_by_row), np.int64, len(models_by_row))
    rows = np.repeat(np.arange(lengths.size), lengths)
    columns = np.arange(rows.size) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    table = np.full((len(models_by_row), WIDTH), -1, dtype=np.int64)
    table[rows, columns] = np.fromiter(map(code.__getitem__, flat), np.int64, len(flat))
    return names, table


def collect_outcomes(
    annotations: Sequence[Annotation],
    models: Mapping[tuple[str, str], str | None],
    task_index: Mapping[str, int],
    dimensions: Sequence[str],
) -> Outcomes:
    """Comparisons between models from counted annotations (pairwise and ranked);
    ``models`` names each (task id, key)'s model."""
    by_task: dict[str, list[str | None]] = {}
    for (task_id, _key), model in sorted(models.items()):
        by_task.setdefault(task_id, []).append(model)
    rows = max(task_index.values(), default=-1) + 1
    models_by_row: list[Sequence[str | None]] = [()] * rows
    for task_id, row in task_index.items():
        models_by_row[row] = by_task.get(task_id, ())
    names, codes = model_codes(models_by_row)
    responses = np.array([len(m) for m in models_by_row], dtype=np.int64)
    return outcomes_of(judgements(annotations, task_index, responses), names, codes, dimensions)


def _first_wins(values: FloatArray, tasks: IntArray) -> tuple[IntArray, FloatArray, FloatArray]:
    """Per task (``tasks`` sorted): for every response pair and target, how often the
    first response won (a tie half) and how often the pair was compared at all.

    ``values`` is ``[rows, n, targets]``, higher better, NaN where unscored; returns the
    distinct tasks and two ``[tasks, pairs, targets]`` sums.
    """
    first, second = np.triu_indices(values.shape[1], 1)
    difference = values[:, first, :] - values[:, second, :]
    compared = ~np.isnan(difference)
    won = np.where(compared, (np.sign(difference) + 1) / 2, 0).astype(np.float32)
    distinct, starts = np.unique(tasks, return_index=True)
    return (
        distinct,
        np.add.reduceat(won, starts, axis=0).astype(np.float64),
        np.add.reduceat(compared.astype(np.float32), starts, axis=0).astype(np.float64),
    )


def outcomes_of(
    table: Judgements, model_names: list[str], codes: IntArray, dimensions: Sequence[str]
) -> Outcomes:
    """Comparisons between models from judgement columns and the tasks' model codes.

    Judgements ordering the same number of responses are compared all at once, on every
    target together (the ranking, then each dimension's levels), and summed per task
    before they become win cells: a task's annotators share its models.
    """
    k = len(model_names)
    targets = 1 + len(dimensions)
    width = targets * k * k
    cell_keys: list[IntArray] = []
    weights: list[FloatArray] = []
    target_base = np.arange(targets, dtype=np.int64) * k * k
    for n in np.unique(table.judged).tolist():
        rows = np.flatnonzero(table.judged == n)
        rows = rows[np.argsort(table.task[rows], kind="stable")]
        values = np.empty((rows.size, n, targets), dtype=np.float32)  # halves: exact
        values[:, :, 0] = -table.ranks[rows, :n]  # a lower rank is better
        values[:, :, 1:] = _score_array(
            [table.scores[i] for i in rows.tolist()], RANKED_KEYS[:n], dimensions
        )
        tasks, won, compared = _first_wins(values, table.task[rows])
        first, second = np.triu_indices(n, 1)
        a, b = codes[tasks][:, first], codes[tasks][:, second]  # [tasks, pairs]
        players = (a >= 0) & (b >= 0) & (a != b)
        task_at, pair_at, target_at = np.nonzero(players[:, :, None] & (compared > 0))
        a, b = a[task_at, pair_at], b[task_at, pair_at]
        base = tasks[task_at] * width + target_base[target_at]
        first_won = won[task_at, pair_at, target_at]
        cell_keys += [base + a * k + b, base + b * k + a]
        weights += [first_won, compared[task_at, pair_at, target_at] - first_won]
    if not cell_keys:
        empty = np.empty(0, dtype=np.int64)
        cells = WinCells(empty, empty, np.empty(0), 1 + len(dimensions), k)
        return Outcomes(model_names, [OVERALL, *dimensions], cells)
    all_keys, all_weights = np.concatenate(cell_keys), np.concatenate(weights)
    space = (int(all_keys.max()) + 1) if all_keys.size else 0
    if space <= DENSE_CELLS:  # one pass, no sort: a dense count over every (task, cell)
        dense = np.bincount(all_keys, all_weights, space)
        combined = np.flatnonzero(dense)
        summed: FloatArray = np.asarray(dense[combined], dtype=np.float64)
    else:
        combined, inverse = np.unique(all_keys, return_inverse=True)
        summed = np.bincount(inverse.reshape(-1), all_weights, combined.size).astype(np.float64)
        kept = summed > 0
        combined = combined[kept]
        summed = summed[kept]
    cells = WinCells(combined // width, combined % width, summed, 1 + len(dimensions), k)
    return Outcomes(model_names, [OVERALL, *dimensions], cells)


def win_matrices(cells: WinCells, task_weights: FloatArray, first_task: int = 0) -> FloatArray:
    """``[replicates, targets, K, K]`` wins (row beat column) of the tasks ``first_task``..
    weighted by ``task_weights`` (``[tasks, replicates]``, one row per task from there)."""
    k, width = cells.models, cells.targets * cells.models * cells.models
    replicates = task_weights.shape[1]
    out = np.zeros((width, replicates), dtype=np.float64)
    tasks = task_weights.shape[0]
    starts = np.arange(first_task, first_task + tasks + TASKS_PER_CHUNK, TASKS_PER_CHUNK)
    bounds = np.searchsorted(cells.task, np.minimum(starts, first_task + tasks))
    for chunk, (start, stop) in enumerate(pairwise(bounds)):
        if start == stop:
            continue
        first = chunk * TASKS_PER_CHUNK
        rows = min(TASKS_PER_CHUNK, tasks - first)
        block = task_weights[first : first + rows]
        dense = np.zeros((rows, width), dtype=np.float32)
        local = cells.task[start:stop] - first_task - first
        dense[local, cells.cell[start:stop]] = cells.weight[start:stop]
        out += dense.T @ block.astype(np.float32, copy=False)
    return out.T.reshape(replicates, cells.targets, k, k)


def bradley_terry(wins: FloatArray, iterations: int = ITERATIONS) -> FloatArray:
    """Strengths ``[..., K]`` from wins ``[..., K, K]``: the maximum-likelihood fit with
    one virtual tie each, by Newton's method on log-strengths.

    The virtual ties make the log-likelihood strictly concave (its negative Hessian is
    diagonally dominant), so Newton steps, capped at ``MAX_STEP`` while far from the
    optimum, reach it in a handful of iterations where MM takes a hundred; every table
    of a stack is its own small system, solved all at once.
    """
    games = wins + np.swapaxes(wins, -1, -2)
    k = wins.shape[-1]
    off_diagonal = ~np.eye(k, dtype=bool)
    games = np.where(off_diagonal, games, 0.0)
    won = (wins * off_diagonal).sum(axis=-1) + 0.5
    theta = np.zeros(wins.shape[:-1], dtype=np.float64)
    for _ in range(iterations):
        strength = np.exp(theta)
        share = strength[..., :, None] / (strength[..., :, None] + strength[..., None, :])
        tie = strength / (strength + 1.0)  # P(beating the virtual reference)
        gradient = won - (games * share).sum(axis=-1) - tie
        coupling = games * share * np.swapaxes(share, -1, -2)
        curvature = -coupling
        diagonal = coupling.sum(axis=-1) + tie * (1.0 - tie)
        curvature[..., np.arange(k), np.arange(k)] = diagonal
        step = np.linalg.solve(curvature, gradient[..., None])[..., 0]
        theta = theta + np.clip(step, -MAX_STEP, MAX_STEP)
        if float(np.abs(step).max(initial=0.0)) <= 1e-10:
            break
    return np.asarray(np.exp(theta), dtype=np.float64)


def elo_scale(strength: FloatArray, present: NDArray[np.bool_]) -> FloatArray:
    """1000 + 400 log10(p / geometric mean of the present models' p)."""
    logs = np.log10(strength)
    centre = (logs * present).sum(axis=-1, keepdims=True) / max(int(present.sum()), 1)
    return np.asarray(1000.0 + 400.0 * (logs - centre), dtype=np.float64)


@dataclass(slots=True)
class EvidenceCounts:
    """One model's responses (in one language) and what their latest evidence says."""

    responses: int = 0
    tested: int = 0
    """With a verdict other than NO_TESTS and INTERNAL_ERROR."""
    passed: int = 0
    scanned: int = 0
    with_findings: int = 0

    def __iadd__(self, other: EvidenceCounts) -> EvidenceCounts:
        self.responses += other.responses
        self.tested += other.tested
        self.passed += other.passed
        self.scanned += other.scanned
        self.with_findings += other.with_findings
        return self


Evidence = Mapping[tuple[str, str], EvidenceCounts]
"""(language, model) -> counts."""


def evidence_totals(
    rows: Iterable[tuple[str, str, int, int, int, int, int]],
) -> dict[tuple[str, str], EvidenceCounts]:
    """Counts per (language, model) from the store's totals (``Store.response_evidence``:
    language, model, responses, tested, passed, scanned, with findings)."""
    return {
        (language, model): EvidenceCounts(*counts) for language, model, *counts in rows if model
    }


def _rates(evidence: Evidence, model: str, language: str | None) -> dict[str, Any]:
    total = EvidenceCounts()
    for (where, name), counts in evidence.items():
        if name == model and language in (None, where):
            total += counts
    return {
        "responses": total.responses,
        "pass_rate": round(total.passed / total.tested, 4) if total.tested else None,
        "tested": total.tested,
        "finding_rate": round(total.with_findings / total.scanned, 4) if total.scanned else None,
        "scanned": total.scanned,
    }


def _fit_all(
    tables: Sequence[tuple[FloatArray, FloatArray | None]],
) -> list[tuple[FloatArray, FloatArray | None]]:
    """Strengths for every table's point wins ``[K, K]`` and replicate wins ``[R, K, K]``.

    One batched fit for all: each MM update works table by table, so stacking them
    gives every table its own fit, in a few large numpy operations instead of hundreds
    of small ones per table.
    """
    parts = [part for point, draws in tables for part in (point[None], draws) if part is not None]
    if not parts:
        return []
    strengths = bradley_terry(np.concatenate(parts))
    out: list[tuple[FloatArray, FloatArray | None]] = []
    at = 0
    for _, draws in tables:
        replicates = 0 if draws is None else len(draws)
        fitted = strengths[at + 1 : at + 1 + replicates] if draws is not None else None
        out.append((strengths[at], fitted))
        at += 1 + replicates
    return out


def _table(
    outcomes: Outcomes,
    wins: FloatArray,
    strengths: tuple[FloatArray, FloatArray | None],
    evidence: Evidence,
    language: str | None = None,
) -> list[dict[str, Any]]:
    """One leaderboard table from its point wins ``[K, K]`` and fitted strengths."""
    games = wins + wins.T
    present = games.sum(axis=1) > 0
    point, replicates = strengths
    rating = elo_scale(point, present)
    intervals = None
    if replicates is not None:
        replicate_ratings = elo_scale(replicates, present)
        intervals = np.percentile(replicate_ratings, [2.5, 97.5], axis=0)
    rows = []
    for i, model in enumerate(outcomes.models):
        if not present[i]:
            continue
        won, lost = float(wins[i].sum()), float(wins[:, i].sum())
        row: dict[str, Any] = {
            "model": model,
            "rating": round(float(rating[i]), 1),
            "comparisons": round(won + lost, 1),
            "wins": round(won, 1),
            "win_rate": round(won / (won + lost), 4),
        }
        if intervals is not None:
            row["ci95"] = [round(float(intervals[0, i]), 1), round(float(intervals[1, i]), 1)]
        row.update(_rates(evidence, model, language))
        rows.append(row)
    rows.sort(key=lambda r: -r["rating"])
    for place, row in enumerate(rows, start=1):
        row["rank"] = place
    return rows


def leaderboard(
    outcomes: Outcomes,
    task_languages: Sequence[str],
    evidence: Evidence,
    *,
    bootstrap: int = 1000,
    seed: int = 0,
) -> dict[str, Any]:
    """The report's ``leaderboard`` section: overall, per language, per dimension."""
    in_blocks = all(a <= b for a, b in pairwise(task_languages))
    order = np.arange(len(task_languages))
    if not in_blocks:  # tasks of one language become one block
        order = np.argsort(np.array(task_languages, dtype=object), kind="stable")
    position = np.empty_like(order)
    position[order] = np.arange(order.size)
    names = sorted(set(task_languages))
    stratum = np.searchsorted(
        np.array(names, dtype=object), np.array(task_languages, dtype=object)[order]
    ).astype(np.int64)
    replicates = None
    if bootstrap > 0 and len(task_languages) and len(outcomes.cells.task):
        replicates = task_multiplicities(stratum, bootstrap, np.random.default_rng(seed))
    cells = outcomes.cells if in_blocks else outcomes.cells.renumbered(position)
    languages: list[tuple[str, FloatArray, FloatArray | None]] = []
    point = np.zeros((1, len(outcomes.targets), len(outcomes.models), len(outcomes.models)))
    draws = None if replicates is None else np.zeros((replicates.shape[1], *point.shape[1:]))
    for code, name in enumerate(names):
        start, stop = np.searchsorted(stratum, [code, code + 1])
        mine = win_matrices(cells, np.ones((stop - start, 1)), int(start))
        spread = None
        if replicates is not None and draws is not None:
            spread = win_matrices(cells, replicates[start:stop], int(start))
            draws += spread
        point += mine
        languages.append((name, mine[0, 0], None if spread is None else spread[:, 0]))
    targets = range(len(outcomes.targets))
    fits = _fit_all(
        [(point[0, t], None if draws is None else draws[:, t]) for t in targets]
        + [(wins, spread) for _, wins, spread in languages]
    )
    return {
        "settings": {"bootstrap": bootstrap, "seed": seed, "method": "bradley-terry (ML, Newton)"},
        "models": outcomes.models,
        "overall": _table(outcomes, point[0, 0], fits[0], evidence),
        "by_dimension": {
            name: _table(outcomes, point[0, t], fits[t], evidence)
            for t, name in enumerate(outcomes.targets)
            if t > 0
        },
        "by_language": {
            name: _table(outcomes, wins, fits[len(targets) + i], evidence, name)
            for i, (name, wins, _) in enumerate(languages)
        },
    }
