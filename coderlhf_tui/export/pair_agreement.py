"""How far the annotators of one pair agree, for the record and for ``--min-agreement``.

The corpus-level statistics (kappa, alpha, bootstrap intervals) live in
``coderlhf_tui.quality``; an export needs only this per-pair view, computed over every
pair of annotators who judged the pair:

- ``winner``: the share of annotator pairs that name the same winner (a, b or tie);
  this is what ``--min-agreement`` compares against, because it is what decides which
  response a pairwise trainer sees as chosen.
- ``exact``: the share that chose the same one of the five levels.
- ``ordinal``: 1 - mean |ordinal difference| / 4, so A>B against A>>B counts as close.

All three are None with fewer than two annotators.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

MAX_ORDINAL_DISTANCE = 4
"""From A>>B (-2) to B>>A (+2)."""


@dataclass(frozen=True, slots=True)
class PairAgreement:
    """Agreement among the annotators of one pair."""

    annotators: int
    winner: float | None
    exact: float | None
    ordinal: float | None


def _sign(value: int) -> int:
    return (value > 0) - (value < 0)


def pair_agreement(ordinals: Sequence[int]) -> PairAgreement:
    """Agreement of the annotators' preference ordinals (-2..2) on one pair."""
    pairs = list(combinations(ordinals, 2))
    if not pairs:
        return PairAgreement(len(ordinals), None, None, None)
    count = len(pairs)
    return PairAgreement(
        annotators=len(ordinals),
        winner=sum(_sign(x) == _sign(y) for x, y in pairs) / count,
        exact=sum(x == y for x, y in pairs) / count,
        ordinal=1.0 - sum(abs(x - y) for x, y in pairs) / (count * MAX_ORDINAL_DISTANCE),
    )
