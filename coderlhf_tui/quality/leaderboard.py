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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np
from numpy.typing import NDArray

from coderlhf_tui.domain import Annotation
from coderlhf_tui.quality.bootstrap import task_multiplicities
from coderlhf_tui.ranking import mid_ranks

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

OVERALL = "overall"
ITERATIONS = 500
TASKS_PER_CHUNK = 4096
"""Tasks whose dense win blocks are multiplied at once (memory stays bounded)."""


@dataclass(frozen=True, slots=True)
class Outcomes:
    """Every comparison as flat arrays: in which task, on which target, who beat whom.

    ``target`` 0 is the preference or ranking itself, 1.. the rubric dimensions;
    ``winner``/``loser`` index ``models``; ``weight`` is 1 for a win, 0.5 for each side
    of a tie.
    """

    models: list[str]
    targets: list[str]
    task: IntArray
    target: IntArray
    winner: IntArray
    loser: IntArray
    weight: FloatArray


def _relations(values: FloatArray, lower_is_better: bool) -> tuple[IntArray, IntArray, FloatArray]:
    """For ``[A, n]`` values, every response pair's (first, second, relation) per row."""
    n = values.shape[1]
    first, second = np.triu_indices(n, 1)
    difference = values[:, first] - values[:, second]
    relation = np.sign(difference) if lower_is_better else -np.sign(difference)
    return first, second, relation  # -1: first better, 1: second better, 0: tie


def collect_outcomes(
    annotations: Sequence[Annotation],
    models: Mapping[tuple[str, str], str | None],
    task_index: Mapping[str, int],
    dimensions: Sequence[str],
) -> Outcomes:
    """Comparisons between models from counted annotations (pairwise and ranked)."""
    model_names = sorted({m for m in models.values() if m})
    model_code = {name: i for i, name in enumerate(model_names)}
    groups: dict[int, list[tuple[int, list[float], list[list[float]], list[int]]]] = {}
    for ann in annotations:
        if ann.ranking is not None:
            ranks = mid_ranks(ann.ranking)
            keys = sorted(ranks)
        elif ann.preference is not None:
            keys = ["a", "b"]
            ordinal = ann.preference.ordinal
            ranks = {"a": 1.5 + 0.5 * np.sign(ordinal), "b": 1.5 - 0.5 * np.sign(ordinal)}
        else:
            continue
        if ann.task_id not in task_index:
            continue
        codes = [model_code.get(models.get((ann.task_id, k)) or "", -1) for k in keys]
        scores = [[float(ann.scores.get(k, {}).get(d, np.nan)) for d in dimensions] for k in keys]
        groups.setdefault(len(keys), []).append(
            (task_index[ann.task_id], [ranks[k] for k in keys], scores, codes)
        )
    parts: list[tuple[IntArray, IntArray, IntArray, IntArray, FloatArray]] = []
    for rows in groups.values():
        tasks = np.array([r[0] for r in rows], dtype=np.int64)
        ranks_array = np.array([r[1] for r in rows], dtype=np.float64)
        scores_array = np.array([r[2] for r in rows], dtype=np.float64)  # [A, n, D]
        codes_array = np.array([r[3] for r in rows], dtype=np.int64)
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
            tie = rel == 0
            winner = np.where(rel < 0, a, b)
            loser = np.where(rel < 0, b, a)
            parts.append(
                (
                    np.concatenate([tasks[row], tasks[row][tie]]),
                    np.full(row.size + int(tie.sum()), target, dtype=np.int64),
                    np.concatenate([winner, a[tie]]),
                    np.concatenate([loser, b[tie]]),
                    np.concatenate([np.where(tie, 0.5, 1.0), np.full(int(tie.sum()), 0.5)]),
                )
            )
    columns: list[NDArray[Any]] = (
        [np.concatenate(c) for c in zip(*parts, strict=True)] if parts else [np.empty(0)] * 5
    )
    return Outcomes(
        models=model_names,
        targets=[OVERALL, *dimensions],
        task=columns[0].astype(np.int64),
        target=columns[1].astype(np.int64),
        winner=columns[2].astype(np.int64),
        loser=columns[3].astype(np.int64),
        weight=columns[4].astype(np.float64),
    )


@dataclass(frozen=True, slots=True)
class WinCells:
    """Outcomes summed per (task, cell): cell = (target * K + winner) * K + loser."""

    task: IntArray
    cell: IntArray
    weight: FloatArray
    targets: int
    models: int


def win_cells(outcomes: Outcomes) -> WinCells:
    """Sum the outcomes per task and cell (sorted by task), once for every slice."""
    k = len(outcomes.models)
    cells = len(outcomes.targets) * k * k
    cell = (outcomes.target * k + outcomes.winner) * k + outcomes.loser
    combined, inverse = np.unique(outcomes.task * cells + cell, return_inverse=True)
    weight = np.bincount(inverse.reshape(-1), weights=outcomes.weight, minlength=combined.size)
    return WinCells(
        combined // cells, combined % cells, weight.astype(np.float64), len(outcomes.targets), k
    )


def win_matrices(cells: WinCells, task_weights: FloatArray) -> FloatArray:
    """``[replicates, targets, K, K]`` wins (row beat column) for task weights ``[T, R]``."""
    k, width = cells.models, cells.targets * cells.models * cells.models
    replicates = task_weights.shape[1]
    out = np.zeros((width, replicates), dtype=np.float64)
    tasks = task_weights.shape[0]
    bounds = np.searchsorted(cells.task, np.arange(0, tasks + TASKS_PER_CHUNK, TASKS_PER_CHUNK))
    for chunk, (start, stop) in enumerate(pairwise(bounds)):
        if start == stop:
            continue
        first = chunk * TASKS_PER_CHUNK
        rows = min(TASKS_PER_CHUNK, tasks - first)
        block = task_weights[first : first + rows]
        if not block.any():
            continue
        dense = np.zeros((rows, width), dtype=np.float32)
        dense[cells.task[start:stop] - first, cells.cell[start:stop]] = cells.weight[start:stop]
        out += dense.T @ block.astype(np.float32)
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
        converged = np.allclose(updated, strength, rtol=1e-8, atol=0.0)
        strength = updated
        if converged:
            break
    return strength


def _best_scale(strength: FloatArray) -> FloatArray:
    """``strength`` times the factor that maximises the virtual ties' likelihood."""
    log_strength = np.log(strength)
    shift = np.zeros((*strength.shape[:-1], 1), dtype=np.float64)
    for _ in range(8):
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


@dataclass(frozen=True, slots=True)
class ResponseEvidence:
    """One response's model and latest evidence, for pass and finding rates."""

    language: str
    model: str | None
    verdict: str | None
    findings: int | None
    """Findings of the latest scan; None when never scanned."""


def _rates(evidence: Sequence[ResponseEvidence], model: str) -> dict[str, Any]:
    mine = [e for e in evidence if e.model == model]
    judged = [e for e in mine if e.verdict not in (None, "NO_TESTS", "INTERNAL_ERROR")]
    scanned = [e for e in mine if e.findings is not None]
    return {
        "responses": len(mine),
        "pass_rate": round(sum(e.verdict == "PASSED" for e in judged) / len(judged), 4)
        if judged
        else None,
        "tested": len(judged),
        "finding_rate": round(sum(bool(e.findings) for e in scanned) / len(scanned), 4)
        if scanned
        else None,
        "scanned": len(scanned),
    }


def _table(
    outcomes: Outcomes,
    point: FloatArray,
    draws: FloatArray | None,
    target: int,
    evidence: Sequence[ResponseEvidence],
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
        row.update(_rates(evidence, model))
        rows.append(row)
    rows.sort(key=lambda r: -r["rating"])
    for place, row in enumerate(rows, start=1):
        row["rank"] = place
    return rows


def leaderboard(
    outcomes: Outcomes,
    task_languages: Sequence[str],
    evidence: Sequence[ResponseEvidence],
    *,
    bootstrap: int = 1000,
    seed: int = 0,
) -> dict[str, Any]:
    """The report's ``leaderboard`` section: overall, per language, per dimension."""
    languages = np.array(task_languages, dtype=object)
    names = sorted(set(task_languages))
    stratum = np.array([names.index(x) for x in task_languages], dtype=np.int64)
    ones = np.ones((len(task_languages), 1), dtype=np.float64)
    replicates = None
    if bootstrap > 0 and len(task_languages) and len(outcomes.task):
        rng = np.random.default_rng(seed)
        replicates = task_multiplicities(stratum, bootstrap, rng).astype(np.float64)
    cells = win_cells(outcomes)
    point = win_matrices(cells, ones)
    draws = win_matrices(cells, replicates) if replicates is not None else None
    section: dict[str, Any] = {
        "settings": {"bootstrap": bootstrap, "seed": seed, "method": "bradley-terry (MM)"},
        "models": outcomes.models,
        "overall": _table(outcomes, point, draws, 0, evidence),
        "by_dimension": {
            name: _table(outcomes, point, draws, t, evidence)
            for t, name in enumerate(outcomes.targets)
            if t > 0
        },
        "by_language": {},
    }
    for name in names:
        member = (languages == name)[:, None]
        mine = [e for e in evidence if e.language == name]
        section["by_language"][name] = _table(
            outcomes,
            win_matrices(cells, ones * member),
            win_matrices(cells, replicates * member) if replicates is not None else None,
            0,
            mine,
        )
    return section
