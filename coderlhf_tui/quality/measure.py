"""One slice's agreement figures from its item patterns.

``from_patterns`` computes every coefficient from the pattern counts; ``statistics`` does
the same for many weightings of the patterns at once, which is how ``bootstrap`` gets a
coefficient for each resample without touching the ratings again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from coderlhf_tui.quality import coefficients as co
from coderlhf_tui.quality.patterns import (
    FloatArray,
    Patterns,
    Ratings,
    build_patterns,
    dense_layout,
)

STATISTICS: tuple[str, ...] = (
    "cohen_kappa",
    "cohen_kappa_quadratic",
    "fleiss_kappa",
    "krippendorff_alpha_ordinal",
    "percent_agreement",
)
"""The figures every slice reports, in report order."""


@dataclass(frozen=True, slots=True)
class PairAgreement:
    """Cohen's kappa of two raters (codes) on the items both rated."""

    rater_a: int
    rater_b: int
    shared: int
    cohen_kappa: float
    cohen_kappa_quadratic: float
    percent_agreement: float


@dataclass(frozen=True, slots=True)
class SliceAgreement:
    """Every figure of one slice; ``ci95`` maps a statistic to its (low, high) interval."""

    n_items: int
    n_ratings: int
    n_raters: int
    figures: dict[str, float]
    ci95: dict[str, tuple[float, float]] = field(default_factory=dict)
    pairs: list[PairAgreement] = field(default_factory=list)
    per_rater: dict[int, dict[str, float]] = field(default_factory=dict)


def measure(ratings: Ratings, *, min_shared: int = 10) -> SliceAgreement:
    """Point figures of one slice's ratings (intervals come from ``bootstrap``)."""
    return from_patterns(build_patterns(ratings), min_shared=min_shared)


def from_patterns(patterns: Patterns, *, min_shared: int = 10) -> SliceAgreement:
    """Point figures, rater pairs and per-rater figures of a slice's patterns.

    ``pairs`` lists the rater pairs sharing at least ``min_shared`` items; the pooled
    Cohen's figures use every pair (weighted by shared items). ``per_rater`` gives each
    rater's pooled Cohen's kappas over the pairs they belong to.
    """
    weights = patterns.counts.astype(np.float64)[None, :]
    figures = {name: float(values[0]) for name, values in statistics(patterns, weights).items()}
    confusion = _confusion(patterns, weights)[0]
    return SliceAgreement(
        n_items=int(patterns.counts.sum()),
        n_ratings=patterns.n_ratings,
        n_raters=patterns.n_raters,
        figures=figures,
        pairs=_pairs(patterns, confusion, min_shared),
        per_rater=_per_rater(patterns, confusion),
    )


def _confusion(patterns: Patterns, weights: FloatArray) -> FloatArray:
    """Per-pair confusion matrices for each weight row: ``[B, P, k, k]``."""
    k = patterns.k
    by_pattern = np.ascontiguousarray(weights.T)
    cells = np.asarray(patterns.pair_cells.T.tocsr() @ by_pattern, dtype=np.float64).T
    return cells.reshape(weights.shape[0], -1, k, k)


class _WeightCache(dict[int, "FloatArray"]):
    """The stacked (nominal, quadratic) disagreement weights of each scale size."""

    def __missing__(self, k: int) -> FloatArray:
        value = np.stack(
            [co.disagreement_weights(k, "nominal"), co.disagreement_weights(k, "quadratic")]
        )
        self[k] = value
        return value


_WEIGHTS = _WeightCache()


def statistics(patterns: Patterns, weights: FloatArray) -> dict[str, FloatArray]:
    """Every statistic for each row of pattern weights (``[B, patterns]`` -> ``[B]``)."""
    k = patterns.k
    layout = dense_layout(k)
    sums = weights @ patterns.dense
    confusion = _confusion(patterns, weights)
    nominal, quadratic = co.cohen_kappa_pooled(confusion, _WEIGHTS[k])
    return {
        "cohen_kappa": nominal,
        "cohen_kappa_quadratic": quadratic,
        "fleiss_kappa": co.fleiss_kappa(
            sums[:, layout["fleiss_p"]][:, 0],
            sums[:, layout["items"]][:, 0],
            sums[:, layout["categories"]],
        ),
        "krippendorff_alpha_ordinal": co.krippendorff_alpha_ordinal(
            sums[:, layout["coincidence"]].reshape(-1, k, k)
        ),
        "percent_agreement": co.percent_agreement(
            sums[:, layout["agree"]][:, 0], sums[:, layout["pairs"]][:, 0]
        ),
    }


def percentile_interval(values: FloatArray) -> tuple[float, float]:
    """The 2.5th and 97.5th percentiles of the finite values (NaN, NaN when none)."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return (math.nan, math.nan)
    low, high = np.percentile(finite, [2.5, 97.5])
    return (float(low), float(high))


def _pairs(patterns: Patterns, confusion: FloatArray, min_shared: int) -> list[PairAgreement]:
    """Each rater pair sharing at least ``min_shared`` items, with its own kappas."""
    k = patterns.k
    shared = confusion.sum(axis=(-2, -1))
    nominal = co.cohen_kappa_pairs(confusion, co.disagreement_weights(k, "nominal"))
    quadratic = co.cohen_kappa_pairs(confusion, co.disagreement_weights(k, "quadratic"))
    diagonal = np.trace(confusion, axis1=-2, axis2=-1)
    out = []
    for index in np.flatnonzero(shared >= max(min_shared, 1)):
        rater_a, rater_b = (int(v) for v in patterns.pair_raters[index])
        out.append(
            PairAgreement(
                rater_a=rater_a,
                rater_b=rater_b,
                shared=int(shared[index]),
                cohen_kappa=float(nominal[index]),
                cohen_kappa_quadratic=float(quadratic[index]),
                percent_agreement=float(diagonal[index] / shared[index]),
            )
        )
    return out


def _per_rater(patterns: Patterns, confusion: FloatArray) -> dict[int, dict[str, float]]:
    """For each rater, the pooled kappas over the pairs that include them (vectorized:
    a rater x pair membership matrix times the pairs' disagreement sums)."""
    if confusion.shape[0] == 0 or confusion.sum() == 0:
        return {}
    observed, chance = co.pair_disagreement_sums(confusion, _WEIGHTS[patterns.k])
    raters = np.unique(patterns.pair_raters)
    member = (patterns.pair_raters[None, :, :] == raters[:, None, None]).any(axis=2)
    member = member.astype(np.float64)
    shared = member @ confusion.sum(axis=(-2, -1))
    agreeing = member @ np.trace(confusion, axis1=-2, axis2=-1)
    kappas = 1.0 - (member @ observed.T) / np.where(
        member @ chance.T > 0, member @ chance.T, np.nan
    )
    return {
        int(rater): {
            "cohen_kappa": float(kappas[i, 0]),
            "cohen_kappa_quadratic": float(kappas[i, 1]),
            "percent_agreement": float(agreeing[i] / shared[i]) if shared[i] else math.nan,
            "shared_items": float(shared[i]),
        }
        for i, rater in enumerate(raters)
    }
