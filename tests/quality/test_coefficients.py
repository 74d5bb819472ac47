"""Our agreement figures against the reference libraries on the same data.

scikit-learn's cohen_kappa_score (unweighted and quadratic), statsmodels' fleiss_kappa and
the krippendorff package (ordinal) are the references; every case is built so that the
reference applies exactly (statsmodels needs the same number of raters on every item).
"""

from __future__ import annotations

import math

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

from coderlhf_tui.quality.measure import measure
from coderlhf_tui.quality.patterns import Ratings


def noisy_raters(n_items: int, n_raters: int, k: int, noise: int, seed: int) -> np.ndarray:
    """``[raters, items]`` ordinal ratings scattered around a shared truth."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, k, n_items)
    shifts = rng.integers(-noise, noise + 1, size=(n_raters, n_items))
    return np.clip(truth[None, :] + shifts, 0, k - 1)


def as_ratings(matrix: np.ndarray, k: int) -> Ratings:
    """A ``[raters, items]`` matrix (NaN = not rated) as parallel arrays."""
    rater, item = np.nonzero(np.isfinite(matrix))
    return Ratings(item=item, rater=rater, value=matrix[rater, item].astype(np.int64), k=k)


@pytest.mark.parametrize(("seed", "noise", "k"), [(1, 1, 5), (2, 2, 5), (3, 0, 5), (4, 1, 3)])
def test_two_raters_match_scikit_learn_statsmodels_and_krippendorff(
    seed: int, noise: int, k: int
) -> None:
    data = noisy_raters(250, 2, k, noise, seed).astype(float)
    if noise == 0:
        data[1, ::7] = (data[1, ::7] + 1) % k  # some disagreement so kappa is defined
    result = measure(as_ratings(data, k))
    a, b = data
    labels = list(range(k))
    assert result.figures["cohen_kappa"] == pytest.approx(cohen_kappa_score(a, b, labels=labels))
    assert result.figures["cohen_kappa_quadratic"] == pytest.approx(
        cohen_kappa_score(a, b, labels=labels, weights="quadratic")
    )
    assert result.figures["fleiss_kappa"] == pytest.approx(
        fleiss_kappa(aggregate_raters(data.T.astype(int), n_cat=k)[0])
    )
    assert result.figures["krippendorff_alpha_ordinal"] == pytest.approx(
        krippendorff.alpha(reliability_data=data, level_of_measurement="ordinal")
    )
    assert result.figures["percent_agreement"] == pytest.approx(float(np.mean(a == b)))
    assert result.n_items == 250 and result.n_raters == 2


def test_four_raters_fleiss_and_alpha_and_each_pair() -> None:
    data = noisy_raters(200, 4, 5, 1, seed=11).astype(float)
    result = measure(as_ratings(data, 5), min_shared=1)
    assert result.figures["fleiss_kappa"] == pytest.approx(
        fleiss_kappa(aggregate_raters(data.T.astype(int), n_cat=5)[0])
    )
    assert result.figures["krippendorff_alpha_ordinal"] == pytest.approx(
        krippendorff.alpha(reliability_data=data, level_of_measurement="ordinal")
    )
    assert len(result.pairs) == 6
    for pair in result.pairs:
        a, b = data[pair.rater_a], data[pair.rater_b]
        assert pair.cohen_kappa == pytest.approx(cohen_kappa_score(a, b, labels=range(5)))
        assert pair.cohen_kappa_quadratic == pytest.approx(
            cohen_kappa_score(a, b, labels=range(5), weights="quadratic")
        )


def test_missing_ratings_alpha_matches_and_pooled_cohen_is_item_weighted() -> None:
    data = noisy_raters(300, 3, 5, 1, seed=5).astype(float)
    rng = np.random.default_rng(9)
    data[rng.random(data.shape) < 0.35] = np.nan
    result = measure(as_ratings(data, 5), min_shared=1)
    assert result.figures["krippendorff_alpha_ordinal"] == pytest.approx(
        krippendorff.alpha(reliability_data=data, level_of_measurement="ordinal")
    )
    # pooled Cohen: 1 - sum over pairs of n * D_o / sum of n * D_e (De Vries et al.)
    observed = expected = 0.0
    weights = (np.arange(5)[:, None] - np.arange(5)[None, :]) ** 2
    for pair in result.pairs:
        both = np.isfinite(data[pair.rater_a]) & np.isfinite(data[pair.rater_b])
        a = data[pair.rater_a, both].astype(int)
        b = data[pair.rater_b, both].astype(int)
        n = both.sum()
        observed += weights[a, b].sum()
        pa, pb = np.bincount(a, minlength=5) / n, np.bincount(b, minlength=5) / n
        expected += n * (pa @ weights @ pb)
    assert result.figures["cohen_kappa_quadratic"] == pytest.approx(1 - observed / expected)


def test_no_variation_is_undefined_not_a_crash() -> None:
    data = np.full((2, 20), 3.0)
    result = measure(as_ratings(data, 5))
    assert math.isnan(result.figures["cohen_kappa"])
    assert result.figures["percent_agreement"] == 1.0


def test_items_rated_once_do_not_count() -> None:
    data = noisy_raters(50, 2, 5, 1, seed=3).astype(float)
    lonely = np.full((2, 30), np.nan)
    lonely[0] = 4
    both = np.concatenate([data, lonely], axis=1)
    assert measure(as_ratings(both, 5)).figures == measure(as_ratings(data, 5)).figures
    assert measure(as_ratings(both, 5)).n_items == 50


def test_empty_slice() -> None:
    empty = np.zeros(0, dtype=np.int64)
    result = measure(Ratings(empty, empty, empty, 5))
    assert result.n_items == 0 and math.isnan(result.figures["cohen_kappa"])
