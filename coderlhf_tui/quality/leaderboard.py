"""The model leaderboard: a Bradley-Terry rating per model from every comparison, with
test pass rates and security finding rates beside it.

Comparisons come from all counted annotations (docs/quality.md, "Model leaderboard"):
a pairwise preference compares the two responses' models once; a ranking compares every
two of its responses (the better one wins, a tie is half a win each). Per rubric
dimension, the same pairs are compared on the annotator's scores (the higher level
wins). Responses without a model name, and a model against itself, do not count.

Bradley-Terry strengths are fitted by Hunter's (2004) MM iteration, p_i <- W_i /
sum_j n_ij / (p_i + p_j), with one virtual tie against a reference of strength 1 per
model so that a model that never wins (or never loses) keeps a finite rating. Ratings
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

from coderlhf_tui.domain import Annotation
from coderlhf_tui.quality.bootstrap import task_multiplicities
from coderlhf_tui.ranking import ranks_by_key

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

OVERALL = "overall"
ITERATIONS = 500
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


def _relations(values: FloatArray, lower_is_better: bool) -> tuple[IntArray, IntArray, FloatArray]:
    """For ``[A, n]`` values, every response pair's (first, second, relation) per row."""
    n = values.shape[1]
    first, second = np.triu_indices(n, 1)
    difference = values[:, first] - values[:, second]
    relation = np.sign(difference) if lower_is_better else -np.sign(difference)
    return first, second, relation  # -1: first better, 1: second better, 0: tie


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


@dataclass(slots=True)
class _SameKeys:
    """Annotations judging the same response keys, gathered column by column."""

    tasks: list[int]
    code_rows: list[int]
    ranks: list[Sequence[float]]
    scores: list[Mapping[str, Mapping[str, int]]]


def collect_outcomes(
    annotations: Sequence[Annotation],
    models: Mapping[tuple[str, str], str | None],
    task_index: Mapping[str, int],
    dimensions: Sequence[str],
) -> Outcomes:
    """Comparisons between models from counted annotations (pairwise and ranked)."""
    model_names = sorted({m for m in models.values() if m})
    model_code = {name: i for i, name in enumerate(model_names)}
    codes_of: dict[str, list[int]] = {}  # per task, its responses' model codes in key order
    for (task_id, _key), model in sorted(models.items()):
        codes_of.setdefault(task_id, []).append(model_code[model] if model else -1)
    code_row = {task_id: row for row, task_id in enumerate(codes_of)}
    code_count = [len(codes) for codes in codes_of.values()]
    code_table = np.full((len(codes_of), max(code_count, default=0)), -1, dtype=np.int64)
    for at, codes in enumerate(codes_of.values()):
        code_table[at, : len(codes)] = codes
    groups: dict[tuple[str, ...], _SameKeys] = {}
    for ann in annotations:
        task = task_index.get(ann.task_id)
        code_at = code_row.get(ann.task_id)
        if task is None or code_at is None:
            continue
        if ann.ranking is not None:
            keys, rank_list = ranks_by_key(ann.ranking)
        elif ann.preference is not None:
            sign = (ann.preference.ordinal > 0) - (ann.preference.ordinal < 0)
            keys, rank_list = ("a", "b"), (1.5 + 0.5 * sign, 1.5 - 0.5 * sign)
        else:
            continue
        if len(keys) != code_count[code_at]:
            continue  # a judgement that does not fit its task (import checks prevent it)
        group = groups.get(keys)
        if group is None:
            group = groups[keys] = _SameKeys([], [], [], [])
        group.tasks.append(task)
        group.code_rows.append(code_at)
        group.ranks.append(rank_list)
        group.scores.append(ann.scores)
    k = len(model_names)
    width = (1 + len(dimensions)) * k * k
    cell_keys: list[IntArray] = []
    weights: list[FloatArray] = []
    for keys, group in groups.items():
        tasks = np.array(group.tasks, dtype=np.int64)
        ranks_array = np.array(group.ranks, dtype=np.float64)
        scores_array = _score_array(group.scores, keys, dimensions)  # [A, n, D]
        codes_array = code_table[np.array(group.code_rows, dtype=np.int64), : len(keys)]
        targets = [(ranks_array, True)] + [
            (scores_array[:, :, d], False) for d in range(len(dimensions))
        ]
        for target, (values, lower_is_better) in enumerate(targets):
            first, second, relation = _relations(values, lower_is_better)
            model_first, model_second = codes_array[:, first], codes_array[:, second]
            valid = (
                (model_first >= 0)
                & (model_second >= 0)
                & (model_first != model_second)
                & ~np.isnan(relation)
            )
            row, pair = np.nonzero(valid)
            rel = relation[row, pair]
            a, b = model_first[row, pair], model_second[row, pair]
            base = tasks[row] * width + target * k * k
            # a beats b with weight 1 (a better), 0.5 (tie) or 0 (b better); and b beats a
            cell_keys += [base + a * k + b, base + b * k + a]
            weights += [(1.0 - rel) / 2.0, (1.0 + rel) / 2.0]
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
    """Strengths ``[..., K]`` from wins ``[..., K, K]`` (MM with one virtual tie each).

    The comparisons alone fix strengths only up to a common factor, which plain MM finds
    slowly through the weak virtual ties; each iteration therefore also moves to the
    best common factor (a few Newton steps on it), which never lowers the likelihood.
    """
    games = wins + np.swapaxes(wins, -1, -2)
    won = wins.sum(axis=-1) + 0.5
    strength = np.ones(wins.shape[:-1], dtype=np.float64)
    for _ in range(iterations):
        pair_sum = strength[..., :, None] + strength[..., None, :]
        denominator = (games / pair_sum).sum(axis=-1) + 1.0 / (strength + 1.0)
        updated = _best_scale(won / denominator)
        converged = bool((np.abs(updated - strength) <= 1e-8 * strength).all())  # allclose
        strength = updated
        if converged:
            break
    return strength


def _best_scale(strength: FloatArray) -> FloatArray:
    """``strength`` times the factor that maximises the virtual ties' likelihood."""
    log_strength = np.log(strength)
    shift = np.zeros((*strength.shape[:-1], 1), dtype=np.float64)
    for _ in range(3):  # warm: the factor moves little once the iteration has settled
        share = 1.0 / (1.0 + np.exp(-(shift + log_strength)))
        gradient = (0.5 - share).sum(axis=-1, keepdims=True)
        curvature = (share * (1.0 - share)).sum(axis=-1, keepdims=True)
        shift = shift + gradient / np.maximum(curvature, 1e-12)
    return np.asarray(strength * np.exp(shift), dtype=np.float64)


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


def evidence_counts(
    rows: Iterable[tuple[str, str | None, str | None, int | None]],
) -> dict[tuple[str, str], EvidenceCounts]:
    """Counts per (language, model) from (language, model, verdict, finding count) rows; a
    verdict or finding count is None where the response was never tested or scanned."""
    out: dict[tuple[str, str], EvidenceCounts] = {}
    for language, model, verdict, findings in rows:
        if not model:
            continue
        counts = out.get((language, model))
        if counts is None:
            counts = out[(language, model)] = EvidenceCounts()
        counts.responses += 1
        if verdict is not None and verdict not in ("NO_TESTS", "INTERNAL_ERROR"):
            counts.tested += 1
            counts.passed += verdict == "PASSED"
        if findings is not None:
            counts.scanned += 1
            counts.with_findings += findings > 0
    return out


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


def _table(
    outcomes: Outcomes,
    point: FloatArray,
    draws: FloatArray | None,
    target: int,
    evidence: Evidence,
    language: str | None = None,
) -> list[dict[str, Any]]:
    wins = point[0, target]
    games = wins + wins.T
    present = games.sum(axis=1) > 0
    rating = elo_scale(bradley_terry(wins), present)
    intervals = None
    if draws is not None:
        replicate_ratings = elo_scale(bradley_terry(draws[:, target]), present)
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
    order = np.argsort(np.array(task_languages, dtype=object), kind="stable")
    position = np.empty_like(order)
    position[order] = np.arange(order.size)  # tasks of one language become one block
    names = sorted(set(task_languages))
    stratum = np.searchsorted(
        np.array(names, dtype=object), np.array(task_languages, dtype=object)[order]
    ).astype(np.int64)
    replicates = None
    if bootstrap > 0 and len(task_languages) and len(outcomes.cells.task):
        replicates = task_multiplicities(stratum, bootstrap, np.random.default_rng(seed))
    cells = outcomes.cells.renumbered(position)
    by_language: dict[str, Any] = {}
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
        by_language[name] = _table(outcomes, mine, spread, 0, evidence, name)
    return {
        "settings": {"bootstrap": bootstrap, "seed": seed, "method": "bradley-terry (MM)"},
        "models": outcomes.models,
        "overall": _table(outcomes, point, draws, 0, evidence),
        "by_dimension": {
            name: _table(outcomes, point, draws, t, evidence)
            for t, name in enumerate(outcomes.targets)
            if t > 0
        },
        "by_language": by_language,
    }
