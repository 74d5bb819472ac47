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
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from coderlhf_tui.domain import RESPONSE_KEYS, Preference

LabelSource = Literal["adjudication", "consensus"]
ScoreTable = dict[str, dict[str, int | None]]
"""Per response key, per rubric dimension, a level (None when nobody scored it)."""


@dataclass(frozen=True, slots=True)
class Label:
    """A pair's label: the preference, the aggregated scores, and where they came from."""

    preference: Preference
    scores: ScoreTable
    source: LabelSource


def median_toward(values: Sequence[int], neutral: float) -> int:
    """The median of ``values``; a median halfway between two levels goes to the one
    nearer ``neutral`` (the lower one when both are equally near)."""
    if not values:
        raise ValueError("median of nothing")
    ordered = sorted(values)
    twice = ordered[(len(ordered) - 1) // 2] + ordered[len(ordered) // 2]
    if twice % 2 == 0:
        return twice // 2
    down, up = (twice - 1) // 2, (twice + 1) // 2
    return down if abs(down - neutral) <= abs(up - neutral) else up


def aggregate_scores(
    annotations: Sequence[Mapping[str, Any]], dimensions: Sequence[str], neutral: float
) -> ScoreTable:
    """Per response and dimension, the median level of the annotators who scored it."""
    table: ScoreTable = {}
    for key in RESPONSE_KEYS:
        row: dict[str, int | None] = {}
        for dim in dimensions:
            levels = [
                int(level)
                for ann in annotations
                if (level := ann.get("scores", {}).get(key, {}).get(dim)) is not None
            ]
            row[dim] = median_toward(levels, neutral) if levels else None
        table[key] = row
    return table


def label_pair(
    annotations: Sequence[Mapping[str, Any]],
    adjudication: Mapping[str, Any] | None,
    dimensions: Sequence[str],
    neutral_score: float,
) -> Label | None:
    """The label of one pair, or None when nobody has judged it yet.

    ``annotations`` are submitted annotations and ``adjudication`` the one in force, both
    as the FORMATS.md dicts.
    """
    scores = aggregate_scores(annotations, dimensions, neutral_score)
    if adjudication is not None:
        for key, dims in adjudication.get("scores", {}).items():
            if key in scores:
                for dim, level in dims.items():
                    if dim in scores[key]:
                        scores[key][dim] = int(level)
        return Label(Preference(adjudication["preference"]), scores, "adjudication")
    ordinals = [Preference(ann["preference"]).ordinal for ann in annotations]
    if not ordinals:
        return None
    return Label(Preference.from_ordinal(median_toward(ordinals, 0)), scores, "consensus")
