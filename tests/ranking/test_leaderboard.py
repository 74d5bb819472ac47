"""The model leaderboard (Bradley-Terry with intervals) and the report's ranking sections."""

from __future__ import annotations

import json
import random
import uuid
from pathlib import Path

import numpy as np
import pytest
from scipy import optimize

from coderlhf_tui.domain import Annotation, AnnotationStatus, Preference
from coderlhf_tui.quality.leaderboard import (
    bradley_terry,
    collect_outcomes,
    evidence_totals,
    leaderboard,
    win_matrices,
)
from coderlhf_tui.ranking import from_order
from tests.core.helpers import run_cli
from tests.ranking.helpers import full_scores
from tests.ranking.workspace import ranked_workspace

STRENGTH = {"m-a": 4.0, "m-b": 2.0, "m-c": 1.0, "m-d": 0.5}


def _simulated(seed: int, tasks: int = 300) -> tuple[list[Annotation], dict, dict]:
    """Rankings drawn from a Plackett-Luce model with known strengths, plus some pairs."""
    rng = random.Random(seed)
    annotations, models, index = [], {}, {}
    for t in range(tasks):
        task_id = f"t{t}"
        index[task_id] = t
        names = rng.sample(sorted(STRENGTH), 4 if t % 3 else 2)
        keys = "abcd"[: len(names)]
        for key, name in zip(keys, names, strict=True):
            models[(task_id, key)] = name
        remaining, order = list(keys), []
        while remaining:
            weights = [STRENGTH[models[(task_id, k)]] for k in remaining]
            pick = rng.choices(remaining, weights)[0]
            order.append(pick)
            remaining.remove(pick)
        ann = Annotation(
            id=str(uuid.uuid4()),
            task_id=task_id,
            annotator="ak",
            status=AnnotationStatus.SUBMITTED,
            scores=full_scores(keys),
        )
        if len(keys) == 2:
            ann.preference = Preference.A_BETTER if order[0] == "a" else Preference.B_BETTER
        else:
            ann.ranking = from_order(order, [False] * len(order))
        annotations.append(ann)
    return annotations, models, index


def _reference_bt(wins: np.ndarray) -> np.ndarray:
    """The same model fitted by maximum likelihood with scipy (same virtual ties)."""
    k = wins.shape[0]

    def negative_log_likelihood(theta: np.ndarray) -> float:
        p = np.exp(theta)
        total = 0.0
        for i in range(k):
            for j in range(k):
                if wins[i, j]:
                    total += wins[i, j] * np.log(p[i] / (p[i] + p[j]))
            total += 0.5 * np.log(p[i] / (p[i] + 1)) + 0.5 * np.log(1 / (p[i] + 1))
        return -total

    return np.exp(optimize.minimize(negative_log_likelihood, np.zeros(k), method="BFGS").x)


def test_bradley_terry_recovers_the_order_and_matches_maximum_likelihood() -> None:
    annotations, models, index = _simulated(11)
    outcomes = collect_outcomes(annotations, models, index, ["correctness"])
    wins = win_matrices(outcomes.cells, np.ones((len(index), 1)))[0, 0]
    fitted = bradley_terry(wins)
    assert np.allclose(fitted, _reference_bt(wins), rtol=1e-3)
    order = [outcomes.models[i] for i in np.argsort(-fitted)]
    assert order == ["m-a", "m-b", "m-c", "m-d"]
    # all scores are equal: every dimension comparison is a tie, ratings stay level
    flat = bradley_terry(win_matrices(outcomes.cells, np.ones((len(index), 1)))[0, 1])
    assert np.allclose(flat, flat[0])


def test_leaderboard_intervals_cover_and_slices_exist() -> None:
    annotations, models, index = _simulated(12)
    outcomes = collect_outcomes(annotations, models, index, ["correctness"])
    languages = ["python" if i % 2 else "go" for i in range(len(index))]
    # (language, model, responses, tested, passed, scanned, with findings)
    evidence = evidence_totals([("python", "m-a", 1, 1, 1, 1, 0), ("go", "m-d", 1, 1, 0, 1, 1)])
    board = leaderboard(outcomes, languages, evidence, bootstrap=200, seed=1)
    top = board["overall"][0]
    assert top["model"] == "m-a" and top["rank"] == 1 and top["pass_rate"] == 1.0
    assert top["ci95"][0] < top["rating"] < top["ci95"][1]
    assert board["overall"][-1]["model"] == "m-d"
    assert set(board["by_language"]) == {"go", "python"}
    bottom = {row["model"]: row for row in board["by_language"]["go"]}["m-d"]
    assert bottom["finding_rate"] == 1.0 and bottom["pass_rate"] == 0.0
    assert {row["model"]: row for row in board["by_language"]["python"]}["m-d"]["tested"] == 0
    assert set(board["by_dimension"]) == {"correctness"}
    again = leaderboard(outcomes, languages, evidence, bootstrap=200, seed=1)
    assert again == board  # seeded


def test_report_has_ranking_agreement_and_leaderboard(tmp_path: Path) -> None:
    db = ranked_workspace(tmp_path / "w.db")
    result = run_cli("report", "--json", "--db", db)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    agreement = report["ranking_agreement"]
    assert agreement["overall"]["n_tasks"] == 3
    assert agreement["overall"]["kendall_w"] == pytest.approx(
        (0.976190 + 1.0 + 0.818182) / 3, abs=1e-3
    )
    board = {row["model"]: row for row in report["leaderboard"]["overall"]}
    assert board["m-a"]["rank"] == 1  # a wins r-1 and r-2 outright
    assert board["m-b"]["pass_rate"] == 0.0 and board["m-b"]["finding_rate"] == 1.0
    assert board["m-c"]["pass_rate"] == 1.0 and board["m-d"]["tested"] == 1
    out = tmp_path / "report"
    assert run_cli("report", "--out", out, "--db", db).returncode == 0
    for name in ("report.md", "report.html"):
        text = (out / name).read_text()
        assert "Model leaderboard" in text and "Agreement on rankings" in text


def test_bradley_terry_reaches_the_optimum_on_lopsided_tables() -> None:
    """Tables where one model wins every game (the virtual ties alone keep the ratings
    finite): the fit is where the log-likelihood's gradient vanishes, for each table of
    a stack, as an iterative fit that stops early would not be."""
    rng = np.random.default_rng(4)
    upper = np.triu(np.ones((6, 6)), 1)
    wins = rng.integers(1, 50, (40, 6, 6)).astype(float) * upper  # row i beats all j > i
    wins[0] = np.array([[0, 1e5, 1e5], [0, 0, 1e5], [0, 0, 0]]).repeat(2, 0).repeat(2, 1)[:6, :6]
    np.einsum("...ii->...i", wins)[:] = 0
    strength = bradley_terry(wins)
    assert np.isfinite(strength).all()
    games = wins + np.swapaxes(wins, -1, -2)
    share = strength[..., :, None] / (strength[..., :, None] + strength[..., None, :])
    tie = strength / (strength + 1)
    gradient = wins.sum(-1) + 0.5 - (games * share).sum(-1) - tie
    assert np.abs(gradient).max() < 1e-6
    assert (np.diff(np.log(strength[1:]), axis=-1) <= 1e-9).all()  # the order of the wins
