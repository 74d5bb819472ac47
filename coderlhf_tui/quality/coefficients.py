"""Agreement coefficients computed from their sufficient statistics.

Every coefficient here is a function of sums over items (confusion matrices, a
coincidence matrix, category counts), never of the raw ratings. That is what lets the
bootstrap in ``agreement`` resample items by reweighting those sums: each function takes
arrays with any number of leading batch axes (one per bootstrap replicate) and returns
one value per batch element. A coefficient that is undefined (no expected disagreement)
is NaN.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


def disagreement_weights(k: int, kind: str) -> FloatArray:
    """The k x k disagreement weights: ``"nominal"`` (0 on the diagonal, 1 elsewhere) or
    ``"quadratic"`` ((i - j)^2, on the categories' positions in the ordered scale)."""
    index = np.arange(k, dtype=np.float64)
    if kind == "nominal":
        return 1.0 - np.eye(k)
    if kind == "quadratic":
        return (index[:, None] - index[None, :]) ** 2
    raise ValueError(f"unknown weights {kind!r}")


def _ratio(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    """numerator / denominator, NaN where the denominator is zero."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(
            denominator > 0, numerator / np.where(denominator > 0, denominator, 1), np.nan
        )
    return np.asarray(out, dtype=np.float64)


def cohen_kappa_pairs(confusion: FloatArray, weights: FloatArray) -> FloatArray:
    """Cohen's kappa of each rater pair from its confusion matrix (``[..., P, k, k]``).

    kappa = 1 - sum(w * O) / sum(w * E), E the outer product of the two raters' marginals
    scaled to the pair's item count; with nominal weights this is the unweighted kappa.
    """
    observed, expected = _pair_disagreements(confusion, weights)
    return 1.0 - _ratio(observed, expected)


def cohen_kappa_pooled(confusion: FloatArray, weights: FloatArray) -> FloatArray:
    """One Cohen's kappa for many rater pairs (``[..., P, k, k]`` -> ``[...]``).

    The pairs' observed and chance disagreements are averaged, each pair weighted by its
    number of shared items, before forming 1 - D_o / D_e (the pooled kappa of De Vries et
    al., 2008, for designs where pairs share different numbers of items). With a single
    pair it is exactly that pair's Cohen's kappa. ``weights`` may also be a stack
    ``[W, k, k]`` of weightings: the result then has a leading axis of W.
    """
    observed, chance = pair_disagreement_sums(confusion, weights)
    return 1.0 - _ratio(observed.sum(axis=-1), chance.sum(axis=-1))


def pair_disagreement_sums(
    confusion: FloatArray, weights: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Per pair: the weighted count of observed disagreements, n * D_o, and its chance
    expectation, n * D_e (``[..., P]``, or ``[W, ..., P]`` for a stack of weightings).

    Sums of these over any set of pairs give that set's pooled kappa.
    """
    n = confusion.sum(axis=(-2, -1))
    rows = confusion.sum(axis=-1)
    cols = confusion.sum(axis=-2)
    if weights.ndim == 3:
        observed = np.einsum("...ij,wij->w...", confusion, weights)
        chance = np.einsum("...i,wij,...j->w...", rows, weights, cols)
    else:
        observed = np.einsum("...ij,ij->...", confusion, weights)
        chance = np.einsum("...i,ij,...j->...", rows, weights, cols)
    return np.asarray(observed, dtype=np.float64), _ratio(chance, n)


def _pair_disagreements(
    confusion: FloatArray, weights: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Observed and chance-expected disagreement per pair, as proportions of its items."""
    n = confusion.sum(axis=(-2, -1))
    rows = confusion.sum(axis=-1)
    cols = confusion.sum(axis=-2)
    observed = np.einsum("...ij,ij->...", confusion, weights)
    expected = np.einsum("...i,ij,...j->...", rows, weights, cols)
    return _ratio(observed, n), _ratio(expected, n * n)


def percent_agreement(agreeing_pairs: FloatArray, pairs: FloatArray) -> FloatArray:
    """The share of rating pairs on the same item that are identical."""
    return _ratio(agreeing_pairs, pairs)


def fleiss_kappa(
    item_agreement_sum: FloatArray, items: FloatArray, category_counts: FloatArray
) -> FloatArray:
    """Fleiss' kappa from the sum over items of P_i, the item count and the category totals.

    P_i = (sum_c n_ic^2 - n_i) / (n_i (n_i - 1)) is item i's share of agreeing rater pairs;
    P-bar is their mean and P_e = sum_c p_c^2 with p_c the category shares of all ratings.
    For items that all have the same number of ratings this is Fleiss (1971) exactly; with
    varying numbers it is the usual generalisation (each item's P_i on its own n_i).
    """
    totals = category_counts.sum(axis=-1)
    shares = category_counts / np.where(totals > 0, totals, 1)[..., None]
    expected = (shares * shares).sum(axis=-1)
    observed = _ratio(item_agreement_sum, items)
    return _ratio(observed - expected, 1.0 - expected)


def ordinal_distances(marginals: FloatArray) -> FloatArray:
    """Krippendorff's squared ordinal distance between every two categories.

    delta(c, k) = (sum of n_g for g from c to k - (n_c + n_k) / 2)^2, n_g the coincidence
    marginals: categories are as far apart as the ratings that lie between them.
    """
    cumulative = np.cumsum(marginals, axis=-1)
    k = marginals.shape[-1]
    low = np.minimum.outer(np.arange(k), np.arange(k))
    high = np.maximum.outer(np.arange(k), np.arange(k))
    before_low = cumulative[..., low] - marginals[..., low]
    between = cumulative[..., high] - before_low
    middle = between - (marginals[..., low] + marginals[..., high]) / 2.0
    return np.asarray(middle * middle, dtype=np.float64)


def krippendorff_alpha_ordinal(coincidence: FloatArray) -> FloatArray:
    """Krippendorff's alpha (ordinal metric) from the coincidence matrix (``[..., k, k]``).

    alpha = 1 - (n - 1) * sum(o_ck * d_ck) / sum(n_c * n_k * d_ck), where only items with
    two or more ratings (pairable values) enter the coincidence matrix.
    """
    marginals = coincidence.sum(axis=-1)
    n = marginals.sum(axis=-1)
    distances = ordinal_distances(marginals)
    observed = (coincidence * distances).sum(axis=(-2, -1))
    expected = np.einsum("...i,...ij,...j->...", marginals, distances, marginals)
    return 1.0 - _ratio((n - 1.0) * observed, expected)
