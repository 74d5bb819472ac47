"""Ranking agreement straight from the judgement columns, without per-task objects.

``ranking_agreement`` takes one ``RankedItem`` per task (the readable reference the tests
check against scipy and krippendorff). For the report, the same stacks of mid-ranks come
from ``Judgements`` by sorting its ranking rows by task and gathering each (annotators,
responses) shape with one index: tasks in task-id order, then language by language,
exactly the order ``ranking_agreement`` uses, so both give the same section.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from coderlhf_tui.quality.judgements import FloatArray, IntArray, Judgements
from coderlhf_tui.quality.ranking_agreement import agreement_sections, figures_of_stacks


def _stacks(
    ranks: FloatArray, first: IntArray, annotators: IntArray, responses: IntArray
) -> Iterator[tuple[IntArray, FloatArray]]:
    """Per (m, n) with m >= 2: the task positions and their ``[tasks, m, n]`` mid-ranks,
    ``first`` being each task's first row in ``ranks`` (its m rows follow)."""
    if not annotators.size:
        return
    shapes = np.unique(np.stack([annotators, responses]), axis=1)
    for m, n in shapes.T.tolist():
        if m < 2:
            continue
        where = np.flatnonzero((annotators == m) & (responses == n))
        rows = first[where][:, None] + np.arange(m)
        yield where, ranks[rows, :n]


def ranking_agreement_of(
    table: Judgements,
    task_languages: Sequence[str],
    task_types: Sequence[str],
    *,
    bootstrap: int,
    seed: int,
) -> dict[str, Any]:
    """The ``ranking_agreement`` section of the rankings in ``table`` of tasks with more
    than two responses; ``task_languages`` / ``task_types`` by task row."""
    ranked = np.flatnonzero(table.is_ranking & (table.judged > 2))
    ranked = ranked[np.argsort(table.task[ranked], kind="stable")]
    tasks, first, annotators = np.unique(table.task[ranked], return_index=True, return_counts=True)
    languages = [task_languages[t] for t in tasks.tolist()]
    order = np.argsort(np.array(languages, dtype=object), kind="stable")
    tasks, first, annotators = tasks[order], first[order], annotators[order]
    responses = table.judged[ranked][first]
    figures = figures_of_stacks(
        annotators.astype(np.int64),
        int(responses.max(initial=2)),
        _stacks(table.ranks[ranked], first, annotators, responses),
    )
    return agreement_sections(
        figures,
        [task_languages[t] for t in tasks.tolist()],
        [task_types[t] for t in tasks.tolist()],
        bootstrap=bootstrap,
        seed=seed,
    )
