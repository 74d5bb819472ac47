"""A deterministic train/test split, stratified by language and grouped by prompt.

Grouped: every pair with the same prompt lands on the same side, so a test score never
rewards memorising a prompt seen in training. Stratified: each language gets its own
share of test pairs, so a small language is not left out of the test split (or swallowed
by it) by chance. A prompt asked in several languages belongs to the language of its
first pair.

Within a language, the prompt groups are put in a pseudo-random order fixed by the seed
(SplitMix64 of the group key), and walked in that order: a group goes to test when it
still fits under the language's target (round(fraction x pairs)), otherwise to train.
The target is capped so that every language keeps at least one training pair. The same
workspace, options and seed therefore always give the same split, and a language with a
single prompt stays wholly in train.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def splitmix64(values: NDArray[np.uint64], seed: int) -> NDArray[np.uint64]:
    """SplitMix64 of each value offset by the seed: a fixed, well-mixed permutation key."""
    with np.errstate(over="ignore"):
        z = values + np.uint64(seed & 0xFFFFFFFFFFFFFFFF) * _GOLDEN + _GOLDEN
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def pick_test_groups(
    strata: NDArray[np.int64], groups: NDArray[np.uint64], fraction: float, seed: int
) -> NDArray[np.uint64]:
    """The group keys that go to the test split (sorted)."""
    if not 0.0 <= fraction < 1.0:
        raise ValueError(f"test fraction {fraction} is outside [0, 1)")
    if fraction == 0.0 or len(groups) == 0:
        return np.empty(0, dtype=np.uint64)
    keys, first, counts = np.unique(groups, return_index=True, return_counts=True)
    group_stratum = strata[first]
    chosen: list[NDArray[np.uint64]] = []
    for stratum in np.unique(group_stratum):
        in_stratum = group_stratum == stratum
        stratum_keys, stratum_counts = keys[in_stratum], counts[in_stratum]
        pairs = int(stratum_counts.sum())
        target = min(round(fraction * pairs), pairs - 1)  # train keeps at least one pair
        order = np.argsort(splitmix64(stratum_keys, seed), kind="stable")
        taken = np.zeros(len(order), dtype=np.bool_)
        total = 0
        for position in order:
            if total >= target:
                break
            size = int(stratum_counts[position])
            if total + size <= target:
                taken[position] = True
                total += size
        chosen.append(stratum_keys[taken])
    return np.sort(np.concatenate(chosen))


def is_test(groups: NDArray[np.uint64], test_keys: NDArray[np.uint64]) -> NDArray[np.bool_]:
    """Per pair, whether its group is in the test split."""
    return np.isin(groups, test_keys)
