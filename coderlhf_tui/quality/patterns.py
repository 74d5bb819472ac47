"""Ratings grouped into item patterns: the compact form every agreement figure is computed on.

An item's *pattern* is the sorted set of (rater, value) ratings it received. Items with
the same pattern contribute identically to every coefficient, so a slice of 100,000
ratings usually collapses to a few hundred patterns with a count each. Resampling items
with replacement (the bootstrap) is then a multinomial draw over patterns, and each
coefficient's sufficient statistics are the draw's counts times a per-pattern feature
matrix. Only items with two or more ratings (pairable items) are kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse  # type: ignore[import-untyped]

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Ratings:
    """Parallel arrays: rating i gave ``value[i]`` (0..k-1) to ``item[i]`` by ``rater[i]``.

    Codes are small non-negative ints; a rater rates an item at most once (later
    duplicates are dropped).
    """

    item: IntArray
    rater: IntArray
    value: IntArray
    k: int
    stratum: IntArray | None = None
    """Optional: the stratum (e.g. language) of each rating's item; patterns never mix strata."""


@dataclass(frozen=True, slots=True)
class Patterns:
    """The distinct item patterns of a slice and the features each contributes.

    ``dense`` columns: the k*k coincidence matrix (Krippendorff), then agreeing pairs,
    rating pairs, sum of P_i (Fleiss), items, and the k category counts. ``pair_cells``
    (sparse, patterns x P*k*k) holds each rater pair's confusion-matrix cells, with
    ``pair_raters`` naming the pair (lower rater code first).
    """

    counts: IntArray
    dense: FloatArray
    pair_cells: sparse.csr_matrix
    pair_raters: IntArray
    k: int
    n_ratings: int
    n_raters: int
    stratum: IntArray
    """Each pattern's stratum (0 when the ratings had none)."""
    item_ids: IntArray
    """The pairable items, sorted, and the pattern each belongs to (``item_pattern``)."""
    item_pattern: IntArray

    def subset(self, rows: NDArray[np.bool_]) -> Patterns:
        """The patterns selected by ``rows``, keeping only the rater pairs they involve.

        A subset is for computing figures: it carries no item-to-pattern mapping.
        """
        cells = self.pair_cells[rows]
        k2 = self.k * self.k
        used_pairs = np.unique(cells.indices // k2)
        columns = (used_pairs[:, None] * k2 + np.arange(k2)[None, :]).reshape(-1)
        raters = self.pair_raters[used_pairs] if used_pairs.size else np.zeros((0, 2), np.int64)
        counts = self.counts[rows]
        per_pattern = self.dense[rows, dense_layout(self.k)["categories"]].sum(axis=1)
        empty = np.zeros(0, dtype=np.int64)
        return Patterns(
            counts=counts,
            dense=self.dense[rows],
            pair_cells=cells[:, columns].tocsr(),
            pair_raters=raters,
            k=self.k,
            n_ratings=int((per_pattern * counts).sum()),
            n_raters=int(np.unique(raters).size),
            stratum=self.stratum[rows],
            item_ids=empty,
            item_pattern=empty,
        )


def dense_layout(k: int) -> dict[str, slice]:
    """Where each statistic sits in ``Patterns.dense``."""
    kk = k * k
    return {
        "coincidence": slice(0, kk),
        "agree": slice(kk, kk + 1),
        "pairs": slice(kk + 1, kk + 2),
        "fleiss_p": slice(kk + 2, kk + 3),
        "items": slice(kk + 3, kk + 4),
        "categories": slice(kk + 4, kk + 4 + k),
    }


def build_patterns(ratings: Ratings) -> Patterns:
    """Group ratings by item, keep pairable items, and collapse them into patterns."""
    k = ratings.k
    item, rater, value, stratum = _deduplicated(ratings)
    first = np.r_[True, item[1:] != item[:-1]] if item.size else np.zeros(0, np.bool_)
    starts = np.flatnonzero(first)
    sizes = np.diff(np.r_[starts, item.size])
    group = np.repeat(np.arange(starts.size), sizes)
    keep = sizes[group] >= 2
    width = max(int(sizes.max()) if sizes.size else 0, 2)
    rows = np.full((starts.size, width + 1), -1, dtype=np.int64)
    rows[:, 0] = stratum[starts]
    position = np.arange(item.size) - starts[group]
    rows[group[keep], 1 + position[keep]] = rater[keep] * k + value[keep]
    pairable = sizes >= 2
    rows = rows[pairable]
    unique, inverse, counts = _unique_rows(rows)
    return _features(
        unique.astype(np.int64),
        counts.astype(np.int64),
        k,
        n_ratings=int(keep.sum()),
        n_raters=int(np.unique(rater[keep]).size),
        item_ids=item[starts[pairable]],
        item_pattern=inverse.astype(np.int64).reshape(-1),
    )


def _unique_rows(rows: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """``np.unique(rows, axis=0)`` with inverse and counts, via one int64 key when it fits.

    Sorting one integer per row is an order of magnitude faster than sorting rows.
    """
    if rows.shape[0] == 0:
        return rows, np.zeros(0, np.int64), np.zeros(0, np.int64)
    shifted = rows + 1
    base = int(shifted.max()) + 1
    if base ** rows.shape[1] >= 2**62:
        unique, inverse, counts = np.unique(rows, axis=0, return_inverse=True, return_counts=True)
        return unique, inverse.reshape(-1), counts
    key = np.zeros(rows.shape[0], dtype=np.int64)
    for column in range(rows.shape[1]):
        key = key * base + shifted[:, column]
    _, first, inverse, counts = np.unique(
        key, return_index=True, return_inverse=True, return_counts=True
    )
    return rows[first], inverse.reshape(-1), counts


def _deduplicated(ratings: Ratings) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """The ratings sorted by (item, rater), at most one per pair (the first one given)."""
    item = np.asarray(ratings.item, dtype=np.int64)
    rater = np.asarray(ratings.rater, dtype=np.int64)
    value = np.asarray(ratings.value, dtype=np.int64)
    stratum = (
        np.zeros(item.size, dtype=np.int64)
        if ratings.stratum is None
        else np.asarray(ratings.stratum, dtype=np.int64)
    )
    if item.size == 0:
        return item, rater, value, stratum
    key = item * (int(rater.max()) + 1) + rater
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    order = order[np.r_[True, ordered[1:] != ordered[:-1]]]
    return item[order], rater[order], value[order], stratum[order]


def _features(
    table: IntArray,
    counts: IntArray,
    k: int,
    *,
    n_ratings: int,
    n_raters: int,
    item_ids: IntArray,
    item_pattern: IntArray,
) -> Patterns:
    """The per-pattern features of ``table``: a stratum column, then the sorted rating
    codes (rater * k + value), -1 padded."""
    rows = table[:, 1:]
    n_patterns, width = rows.shape
    layout = dense_layout(k)
    dense = np.zeros((n_patterns, k * k + 4 + k), dtype=np.float64)
    present = rows >= 0
    m = present.sum(axis=1).astype(np.float64)
    values = np.where(present, rows % k, 0)
    raters = np.where(present, rows // k, -1)

    cat = layout["categories"]
    np.add.at(dense, (np.nonzero(present)[0], cat.start + values[present]), 1.0)

    first, second = np.triu_indices(width, 1)
    both = present[:, first] & present[:, second]
    pattern_index, pair_slot = np.nonzero(both)
    c1, c2 = first[pair_slot], second[pair_slot]
    v1, v2 = values[pattern_index, c1], values[pattern_index, c2]
    r1, r2 = raters[pattern_index, c1], raters[pattern_index, c2]
    share = 1.0 / (m[pattern_index] - 1.0)
    np.add.at(dense, (pattern_index, v1 * k + v2), share)
    np.add.at(dense, (pattern_index, v2 * k + v1), share)
    agree = (v1 == v2).astype(np.float64)
    np.add.at(dense, (pattern_index, layout["agree"].start), agree)
    np.add.at(dense, (pattern_index, layout["pairs"].start), 1.0)
    dense[:, layout["fleiss_p"].start] = dense[:, layout["agree"].start] / (m * (m - 1.0) / 2.0)
    dense[:, layout["items"].start] = 1.0

    stride = int(raters.max()) + 1 if raters.size else 1
    pair_keys, pair_id = np.unique(r1 * stride + r2, return_inverse=True)
    pair_raters = np.stack([pair_keys // stride, pair_keys % stride], axis=1).astype(np.int64)
    cells = sparse.csr_matrix(
        (np.ones(pattern_index.size), (pattern_index, pair_id * k * k + v1 * k + v2)),
        shape=(n_patterns, max(pair_keys.size, 1) * k * k),
    )
    return Patterns(
        counts=counts,
        dense=dense,
        pair_cells=cells,
        pair_raters=pair_raters.reshape(-1, 2),
        k=k,
        n_ratings=n_ratings,
        n_raters=n_raters,
        stratum=table[:, 0].copy(),
        item_ids=item_ids,
        item_pattern=item_pattern,
    )
