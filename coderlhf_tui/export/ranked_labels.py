"""Which ranking a ranked task is exported with, how much its annotators agree, and whether
it is selected.

The label rule for rankings (docs/export.md, "Rankings"): the latest adjudication that
carries a ranking gives it; otherwise the annotators' rankings are combined by mean
mid-rank (``ranking.consensus_ranking``: responses whose mean ranks are equal are tied,
so disagreement weakens the label). Per-dimension scores are the median level per
response, halves rounded toward the middle of the scale, as for pairs
(``consensus.group_median_toward``); an adjudication's scores override them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from coderlhf_tui.domain import Ranking
from coderlhf_tui.export.consensus import group_median_toward
from coderlhf_tui.export.ranked_source import RankedTask
from coderlhf_tui.quality.ranking_agreement import kendall_w, pair_agreement_sums, rank_matrix
from coderlhf_tui.ranking import consensus_ranking, mid_ranks


@dataclass(slots=True)
class RankedLabel:
    """A ranked task's exported ranking, scores and agreement."""

    ranking: Ranking
    adjudicated: bool
    scores: dict[str, dict[str, int | None]]
    kendall_w: float | None
    """None with fewer than two annotators or when undefined."""
    pair_agreement: float | None
    ranks: dict[str, float] = field(default_factory=dict)


def label_task(
    task: RankedTask,
    dimensions: Sequence[str],
    neutral: float,
    *,
    scores: bool = True,
    agreement: bool = True,
) -> RankedLabel | None:
    """The task's label, or None when nobody ranked it and no lead settled it.

    The pair formats need neither the consensus ``scores`` nor the ``agreement`` (unless a
    minimum agreement selects tasks), and leaving them out is most of a pair export's work.
    """
    keys = task.keys
    rankings = [j.ranking for j in task.judgements]
    adjudication = task.adjudication
    if adjudication is not None:
        ranking: Ranking = [list(group) for group in adjudication["ranking"]]
    elif rankings:
        ranking = consensus_ranking(rankings, keys)
    else:
        return None
    w: float | None = None
    shared: float | None = None
    if agreement and len(rankings) >= 2:
        ranks = rank_matrix(keys, rankings)
        value = kendall_w(ranks)
        w = None if np.isnan(value) else round(value, 4)
        agreeing, pairs = pair_agreement_sums(ranks[None])
        shared = round(float(agreeing[0] / pairs[0]), 4)
    return RankedLabel(
        ranking=ranking,
        adjudicated=adjudication is not None,
        scores=_scores(task, dimensions, neutral) if scores else {},
        kendall_w=w,
        pair_agreement=shared,
        ranks=mid_ranks(ranking),
    )


def _scores(
    task: RankedTask, dimensions: Sequence[str], neutral: float
) -> dict[str, dict[str, int | None]]:
    out: dict[str, dict[str, int | None]] = {key: {} for key in task.keys}
    for dim in dimensions:
        groups: list[int] = []
        values: list[int] = []
        for judgement in task.judgements:
            for index, key in enumerate(task.keys):
                level = judgement.scores.get(key, {}).get(dim)
                if level is not None:
                    groups.append(index)
                    values.append(int(level))
        medians, present = group_median_toward(
            np.array(groups, dtype=np.int64),
            np.array(values, dtype=np.int64),
            len(task.keys),
            neutral,
        )
        for index, key in enumerate(task.keys):
            out[key][dim] = int(medians[index]) if present[index] else None
    if task.adjudication is not None:
        for key, dims in (task.adjudication.get("scores") or {}).items():
            for dim, level in dims.items():
                if key in out and dim in dimensions:
                    out[key][dim] = int(level)
    return out
