"""Which label a pair gets: the lead's adjudication, otherwise the annotators' consensus.

The rule (docs/export.md, "Label rule"):

- Only submitted annotations with a preference count; drafts and sent-back work do not.
- The latest adjudication of a task, when there is one, gives the preference; its
  per-dimension scores override the consensus dimension by dimension (a lead who only
  re-scored correctness keeps the annotators' other scores).
- Otherwise the preference is the median of the annotators' preference ordinals
  (A>>B = -2 .. B>>A = +2). When the median falls halfway between two levels (an even
  number of annotators split across neighbours), it is rounded toward the neutral point,
  ``tie``: disagreement weakens a label rather than strengthening it. Two annotators saying
  A>B and A>>B give A>B; A>B and tie give tie; A>B and B>A give tie.
- Each dimension's score is aggregated the same way: the median of the annotators'
  levels, halves rounded toward the middle of the rubric's scale (on a 1-5 scale, 4 and 5
  give 4; 2 and 3 give 3), and toward the lower level when both are equally near.

Everything is computed for a whole page of pairs at once, with NumPy, grouped by the
annotation's row in the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from coderlhf_tui.domain import RESPONSE_KEYS, Preference
from coderlhf_tui.export.source import Page

PREFERENCE_ORDER = tuple(p.value for p in sorted(Preference, key=lambda p: p.ordinal))
"""The five preferences from A>>B (ordinal -2) to B>>A (+2)."""

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


def group_median_toward(
    groups: IntArray, values: IntArray, n_groups: int, neutral: float
) -> tuple[IntArray, BoolArray]:
    """Per group 0..n_groups-1, the median of its values with halves rounded toward
    ``neutral`` (the lower level when both are equally near), and whether it has any."""
    counts = np.bincount(groups, minlength=n_groups)
    present = counts > 0
    medians = np.zeros(n_groups, dtype=np.int64)
    if not len(values):
        return medians, present
    ordered = values[np.lexsort((values, groups))]
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))[present]
    live = counts[present]
    twice = ordered[starts + (live - 1) // 2] + ordered[starts + live // 2]
    down = twice // 2  # exact when even, the lower neighbour when odd
    up = down + 1
    take_up = (twice % 2 == 1) & (np.abs(up - neutral) < np.abs(down - neutral))
    medians[present] = np.where(take_up, up, down)
    return medians, present


def preference_ordinals(preferences: pa.ChunkedArray | pa.Array) -> IntArray:
    """Preference strings as ordinals -2..2."""
    positions = pc.index_in(preferences, value_set=pa.array(PREFERENCE_ORDER))
    return np.asarray(positions.to_numpy(zero_copy_only=False), dtype=np.int64) - 2


@dataclass(slots=True)
class Levels:
    """One response's level on one dimension for every row (``present`` where known)."""

    level: IntArray
    present: BoolArray


@dataclass(slots=True)
class PageLabels:
    """The labels of a page: valid where ``labelled``."""

    ordinal: IntArray
    labelled: BoolArray
    adjudicated: BoolArray
    scores: dict[str, dict[str, Levels]]
    annotation_ordinals: IntArray
    """Each annotation's own preference ordinal, in ``page.annotations`` order."""


def label_page(page: Page, dimensions: Sequence[str], neutral_score: float) -> PageLabels:
    """Label every pair of a page by the rule in the module docstring."""
    n = len(page)
    rows = page.annotation_rows
    ordinals = preference_ordinals(page.annotations["preference"])
    ordinal, labelled = group_median_toward(rows, ordinals, n, 0.0)
    scores: dict[str, dict[str, Levels]] = {}
    all_scores = page.annotations["scores"]
    for key in RESPONSE_KEYS:
        scores[key] = {}
        for dim in dimensions:
            column = pc.struct_field(all_scores, [key, dim])
            valid = np.asarray(column.is_valid().to_numpy(zero_copy_only=False), dtype=np.bool_)
            raw = np.asarray(column.fill_null(0).to_numpy(zero_copy_only=False), dtype=np.int64)
            level, present = group_median_toward(rows[valid], raw[valid], n, neutral_score)
            scores[key][dim] = Levels(level, present)
    adjudicated = np.zeros(n, dtype=np.bool_)
    for row, adjudication in page.adjudications.items():
        adjudicated[row] = labelled[row] = True
        ordinal[row] = Preference(adjudication["preference"]).ordinal
        for key, dims in adjudication.get("scores", {}).items():
            for dim, level in dims.items():
                if key in scores and dim in scores[key]:
                    scores[key][dim].level[row] = int(level)
                    scores[key][dim].present[row] = True
    return PageLabels(ordinal, labelled, adjudicated, scores, ordinals)
