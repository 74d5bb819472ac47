"""How far the annotators of one pair agree, for the record and for ``--min-agreement``.

The corpus-level statistics (kappa, alpha, bootstrap intervals) live in
``coderlhf_tui.quality.agreement``; an export needs a per-pair view, computed over every
pair of annotators who judged the pair:

- ``winner``: the share of annotator pairs that name the same winner (a, b or tie);
  this is what ``--min-agreement`` compares against, because it is what decides which
  response a pairwise trainer sees as chosen.
- ``exact``: the share that chose the same one of the five levels.
- ``ordinal``: 1 - mean |ordinal difference| / 4, so A>B against A>>B counts as close.

All three are undefined (NaN here, null in the record) with fewer than two annotators.
They are computed for a page at once from each pair's counts of the five levels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

MAX_ORDINAL_DISTANCE = 4
"""From A>>B (-2) to B>>A (+2)."""

_DISTANCE = np.abs(np.subtract.outer(np.arange(5), np.arange(5))).astype(np.float64)
_WINNER = np.array([[1, 1, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, 0, 1, 1]], dtype=np.float64).T
"""Maps the five levels to the three winners: a, tie, b."""


@dataclass(slots=True)
class PageAgreement:
    """Per pair: how many annotators, and the three agreement shares (NaN when undefined)."""

    annotators: NDArray[np.int64]
    winner: NDArray[np.float64]
    exact: NDArray[np.float64]
    ordinal: NDArray[np.float64]


def _same(counts: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.asarray((counts * (counts - 1) / 2).sum(axis=1), dtype=np.float64)


def page_agreement(rows: NDArray[np.int64], ordinals: NDArray[np.int64], n: int) -> PageAgreement:
    """Agreement of each of ``n`` pairs from its annotations' rows and ordinals (-2..2)."""
    counts = np.bincount(rows * 5 + ordinals + 2, minlength=n * 5).reshape(n, 5).astype(float)
    annotators = counts.sum(axis=1)
    pairs = annotators * (annotators - 1) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        safe = np.where(pairs > 0, pairs, np.nan)
        distance = np.einsum("ti,ij,tj->t", counts, _DISTANCE, counts) / 2
        return PageAgreement(
            annotators=annotators.astype(np.int64),
            winner=_same(counts @ _WINNER) / safe,
            exact=_same(counts) / safe,
            ordinal=1.0 - distance / (safe * MAX_ORDINAL_DISTANCE),
        )
