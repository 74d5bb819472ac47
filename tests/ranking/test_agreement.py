"""Ranking agreement against the reference implementations (scipy, krippendorff)."""

from __future__ import annotations

import itertools
import random

import krippendorff
import numpy as np
import pytest
from scipy import stats

from coderlhf_tui.domain import Ranking
from coderlhf_tui.quality.ranking_agreement import (
    RankedItem,
    kendall_w,
    rank_matrix,
    ranking_agreement,
)
from coderlhf_tui.ranking import from_order, mid_ranks


def _random_ranking(rng: random.Random, keys: str, truth: list[str], noise: float) -> Ranking:
    order = sorted(keys, key=lambda k: truth.index(k) + rng.gauss(0, noise))
    ties = [False] + [rng.random() < 0.25 for _ in order[1:]]
    return from_order(order, ties)


def _items(seed: int, count: int = 60) -> list[RankedItem]:
    rng = random.Random(seed)
    items = []
    for index in range(count):
        n = rng.choice([3, 4, 4, 5, 8])
        keys = "abcdefgh"[:n]
        truth = rng.sample(list(keys), n)
        m = rng.choice([1, 2, 3, 3, 4])
        rankings = tuple(_random_ranking(rng, keys, truth, 1.2) for _ in range(m))
        language = rng.choice(["python", "go"])
        items.append(RankedItem(f"t{index}", language, "implement", tuple(keys), rankings))
    return items


def test_kendall_w_matches_friedman_with_ties() -> None:
    for item in _items(1):
        if len(item.rankings) < 2:
            continue
        ranks = rank_matrix(item.keys, item.rankings)
        m, n = ranks.shape
        if np.all(ranks == ranks[:, :1]):
            continue  # every annotator tied everything: W is undefined
        chi2 = stats.friedmanchisquare(*ranks.T).statistic
        assert kendall_w(ranks) == pytest.approx(chi2 / (m * (n - 1)))


def test_alpha_matches_krippendorff_and_pair_agreement_by_hand() -> None:
    items = _items(2)
    section = ranking_agreement(items, bootstrap=200, seed=3)
    columns: list[list[float]] = []
    agreeing = total = 0
    for item in items:
        ranks = [mid_ranks(r) for r in item.rankings]
        if len(ranks) < 2:
            continue
        for key in item.keys:
            column = [np.nan] * 4
            for row, rank in enumerate(ranks):
                column[row] = rank[key]
            columns.append(column)
        for first, second in itertools.combinations(item.keys, 2):
            relations = [np.sign(r[first] - r[second]) for r in ranks]
            for x, y in itertools.combinations(relations, 2):
                agreeing += x == y
                total += 1
    reliability = np.array(columns).T
    expected = krippendorff.alpha(reliability_data=reliability, level_of_measurement="ordinal")
    overall = section["overall"]
    assert overall["krippendorff_alpha_ordinal"] == pytest.approx(expected, abs=1e-4)
    assert overall["pair_agreement"] == pytest.approx(agreeing / total, abs=1e-4)
    low, high = overall["ci95"]["kendall_w"]
    assert low < overall["kendall_w"] < high
    assert set(section["by_language"]) == {"python", "go"}


def test_perfect_agreement_is_one_and_noise_is_lower() -> None:
    rng = random.Random(5)
    agreed = []
    for index in range(30):
        ranking = _random_ranking(rng, "abcd", list("abcd"), 0.0)
        agreed.append(RankedItem(f"t{index}", "python", None, tuple("abcd"), (ranking,) * 3))
    section = ranking_agreement(agreed, bootstrap=0)["overall"]
    assert section["kendall_w"] == pytest.approx(1.0)
    assert section["pair_agreement"] == pytest.approx(1.0)
    assert section["krippendorff_alpha_ordinal"] == pytest.approx(1.0)
    noisy = ranking_agreement(_items(7), bootstrap=0)["overall"]
    assert noisy["kendall_w"] < 0.95 and noisy["pair_agreement"] < 0.95
