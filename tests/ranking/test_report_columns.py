"""The report's ranking sections (built from judgement columns) against plain references.

``ranking_sections`` reads every counted annotation once into columns and derives both
sections from them. Here a real workspace with every shape that matters (3 to 8
responses, 1 to 4 annotators, ties, pairwise tasks, a judgement that does not fit its
task, three languages, responses without a model, runs and scans) is checked against:
the item-by-item ``ranking_agreement`` (itself checked against scipy and krippendorff),
win counts made by a plain loop over the derived pairs, and evidence counted response by
response through the store's own per-response reads.
"""

from __future__ import annotations

import random
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest

from coderlhf_tui.domain import (
    Annotation,
    AnnotationStatus,
    Finding,
    Language,
    Preference,
    Response,
    Severity,
    Task,
    TestRun,
    Verdict,
)
from coderlhf_tui.quality.frame import counted
from coderlhf_tui.quality.leaderboard import collect_outcomes, leaderboard, win_matrices
from coderlhf_tui.quality.ranked_report import ranked_items, ranking_sections
from coderlhf_tui.quality.ranking_agreement import ranking_agreement
from coderlhf_tui.quality.report import load_workspace
from coderlhf_tui.quality.settings import QualitySettings
from coderlhf_tui.ranking import from_order, mid_ranks
from coderlhf_tui.rubric import DIMENSION_NAMES, load_rubric
from coderlhf_tui.store import Store
from tests.ranking.helpers import ranked_annotation

MODELS = ("m-1", "m-2", "m-3", "m-4", "m-5")
LANGUAGES = (Language.PYTHON, Language.GO, Language.RUST)


def _workspace(path: Path, seed: int = 5) -> None:
    rng = random.Random(seed)
    with Store.open(path) as store:
        tasks = []
        for index in range(80):
            n = rng.choice([2, 3, 4, 4, 5, 8])
            models = [rng.choice((*MODELS, None)) for _ in range(n)]
            tasks.append(
                Task(
                    id=f"t-{index:03d}",
                    language=rng.choice(LANGUAGES),
                    prompt=f"Task {index}.",
                    responses=tuple(
                        Response(f"s{k}", f"x = {k}\n", model) for k, model in enumerate(models)
                    ),
                )
            )
        store.insert_tasks(tasks)
        for task in tasks:
            keys = list(task.keys)
            for annotator in ("ak", "bo", "cy", "di")[: rng.randint(1, 4)]:
                scores = {k: {d: rng.randint(1, 5) for d in DIMENSION_NAMES} for k in keys}
                if rng.random() < 0.1:
                    del scores[keys[-1]][DIMENSION_NAMES[0]]  # one level left unscored
                if len(keys) == 2:
                    store.save_annotation(
                        Annotation(
                            id=f"{task.id}/{annotator}",
                            task_id=task.id,
                            annotator=annotator,
                            status=AnnotationStatus.SUBMITTED,
                            preference=rng.choice(list(Preference)),
                            scores=scores,
                        )
                    )
                    continue
                order = rng.sample(keys, len(keys))
                ties = [False] + [rng.random() < 0.3 for _ in order[1:]]
                ranked = ranked_annotation(task.id, annotator, from_order(order, ties))
                ranked.scores = scores
                store.save_annotation(ranked)
            for key in keys:
                verdict = rng.choice([None, *Verdict])
                if verdict is not None:
                    run = TestRun(verdict=verdict, content_hash=f"{task.id}-{key}", passed=1)
                    store.save_test_run(task.id, key, run)
                if rng.random() < 0.5:
                    finding = Finding("r", "CWE-78", "t", Severity.HIGH, 1, 1, "m")
                    found = [finding] if rng.random() < 0.5 else []
                    store.save_findings(task.id, key, f"scan-{task.id}-{key}", found)
        misfit = ranked_annotation("t-000", "zz", [["a"], ["b"], ["c"], ["d"], ["e"], ["h"]])
        store.save_annotation(misfit)  # six keys on a task that has fewer or other ones


def _wins_by_hand(annotations: list[Annotation], tasks: dict[str, Task]) -> np.ndarray:
    """``[targets, K, K]`` wins from every pair of responses each judgement orders."""
    k = len(MODELS)
    wins = np.zeros((1 + len(DIMENSION_NAMES), k, k))
    for ann in annotations:
        task = tasks[ann.task_id]
        if ann.ranking is not None:
            if sorted(mid_ranks(ann.ranking)) != list(task.keys):
                continue
            ranks = mid_ranks(ann.ranking)
        elif ann.preference is not None:
            sign = np.sign(ann.preference.ordinal)
            ranks = {"a": 1.5 + 0.5 * sign, "b": 1.5 - 0.5 * sign}
        else:
            continue
        for x, y in combinations(task.keys, 2):
            mx, my = task.response(x).model, task.response(y).model
            if not mx or not my or mx == my:
                continue
            i, j = MODELS.index(mx), MODELS.index(my)
            targets = [(-ranks[x], -ranks[y])] + [
                (ann.scores[x].get(d, np.nan), ann.scores[y].get(d, np.nan))
                for d in DIMENSION_NAMES
            ]
            for target, (vx, vy) in enumerate(targets):
                if np.isnan(vx) or np.isnan(vy):
                    continue
                share = 1.0 if vx > vy else 0.5 if vx == vy else 0.0
                wins[target, i, j] += share
                wins[target, j, i] += 1.0 - share
    return wins


def test_sections_equal_the_references(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    _workspace(db)
    rubric = load_rubric()
    settings = QualitySettings()
    bootstrap = min(settings.bootstrap, settings.ranking_bootstrap)
    with Store.open(db) as store:
        workspace = load_workspace(store, rubric)
        shuffled = list(workspace.annotations)
        random.Random(1).shuffle(shuffled)  # the sections do not depend on the order
        sections = ranking_sections(
            store, shuffled, workspace.tasks, rubric.dimension_names, settings
        )
        tasks = {task.id: task for task in store.iter_tasks()}
        once = counted(workspace.annotations)
        responses = {task_id: len(task.responses) for task_id, task in tasks.items()}
        items = ranked_items(once, workspace.tasks, responses)
        assert (
            ranking_agreement(items, bootstrap=bootstrap, seed=settings.seed)
            == (sections["ranking_agreement"])
        )
        assert sections["ranking_agreement"]["overall"]["n_tasks"] > 20
        evidence = defaultdict(lambda: [0, 0, 0, 0, 0])
        for task in tasks.values():
            for key in task.keys:
                model = task.response(key).model
                if not model:
                    continue
                counts = evidence[(task.language.value, model)]
                run = store.latest_test_run(task.id, key)
                counts[0] += 1
                if run is not None and run.verdict not in (
                    Verdict.NO_TESTS,
                    Verdict.INTERNAL_ERROR,
                ):
                    counts[1] += 1
                    counts[2] += run.verdict is Verdict.PASSED
                if store.is_scanned(task.id, key):
                    counts[3] += 1
                    counts[4] += bool(store.latest_findings(task.id, key))
        assert {(lang, model, *c) for (lang, model), c in evidence.items()} == set(
            store.response_evidence()
        )
    names = sorted(tasks)
    models = {(t, k): tasks[t].response(k).model for t in names for k in tasks[t].keys}
    outcomes = collect_outcomes(once, models, {t: i for i, t in enumerate(names)}, DIMENSION_NAMES)
    assert outcomes.models == list(MODELS)
    counted_wins = win_matrices(outcomes.cells, np.ones((len(names), 1)))[0]
    assert counted_wins == pytest.approx(_wins_by_hand(once, tasks))
    board = sections["leaderboard"]
    by_id = leaderboard(
        outcomes,
        [tasks[t].language.value for t in names],
        {},
        bootstrap=bootstrap,
        seed=settings.seed,
    )
    # tasks in id order or language by language: the same wins, ratings and intervals
    for table in ("overall", "by_language", "by_dimension"):
        assert _ratings(by_id[table]) == _ratings(board[table])


def _ratings(table: object) -> object:
    if isinstance(table, dict):
        return {name: _ratings(rows) for name, rows in table.items()}
    assert isinstance(table, list)
    return [(row["model"], row["rating"], row["comparisons"], row.get("ci95")) for row in table]
