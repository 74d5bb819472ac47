"""The report's ranking sections: agreement on rankings and the model leaderboard.

Both read what ``report.load_workspace`` already loaded (the counted annotations and
each task's models) plus one query for the models' evidence totals, and return
JSON-ready dicts under ``ranking_agreement`` and ``leaderboard`` (docs/quality.md).
``ranked_items`` is the readable per-task form of the rankings that the agreement's
reference tests (and the benchmark's peer) use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from coderlhf_tui.domain import RANKED_KEYS, Annotation
from coderlhf_tui.quality.frame import UNKNOWN, TaskInfo, counted
from coderlhf_tui.quality.judgements import judgements
from coderlhf_tui.quality.leaderboard import evidence_totals, leaderboard, model_codes, outcomes_of
from coderlhf_tui.quality.ranked_stacks import ranking_agreement_of
from coderlhf_tui.quality.ranking_agreement import RankedItem
from coderlhf_tui.quality.settings import QualitySettings
from coderlhf_tui.ranking import ranks_by_key
from coderlhf_tui.store import Store


def ranked_items(
    annotations: Sequence[Annotation], tasks: Mapping[str, TaskInfo], n_responses: Mapping[str, int]
) -> list[RankedItem]:
    """One item per ranked task with its rankings (``annotations`` counted: one per
    annotator and task), in annotator order; a ranking of other keys than its task's
    responses (import checks prevent it) is left out."""
    by_task: dict[str, list[Annotation]] = {}
    for ann in annotations:  # counted already
        n = n_responses.get(ann.task_id, 0)
        if ann.ranking is not None and n > 2 and ranks_by_key(ann.ranking)[0] == RANKED_KEYS[:n]:
            by_task.setdefault(ann.task_id, []).append(ann)
    items = []
    for task_id, anns in sorted(by_task.items()):
        info = tasks.get(task_id, TaskInfo(UNKNOWN, UNKNOWN))
        keys = RANKED_KEYS[: n_responses[task_id]]
        anns.sort(key=lambda a: a.annotator)
        items.append(
            RankedItem(
                task_id, info.language, info.task_type, keys, tuple(a.ranking or [] for a in anns)
            )
        )
    return items


def ranking_sections(
    store: Store,
    annotations: Sequence[Annotation],
    tasks: Mapping[str, TaskInfo],
    dimensions: Sequence[str],
    settings: QualitySettings,
) -> dict[str, Any]:
    """``ranking_agreement`` and ``leaderboard`` for the report.

    Both read the same judgement columns (``judgements``), built once from the counted
    annotations; the tasks' models come with ``tasks`` (``TaskInfo.models``) and the
    pass and finding rates as per-model totals from the store.
    """
    # language by language (each one block of rows for the bootstraps), then by id
    task_ids = sorted(tasks, key=lambda task_id: (tasks[task_id].language, task_id))
    infos = [tasks[task_id] for task_id in task_ids]
    model_names, codes = model_codes([info.models for info in infos])
    responses = np.array([len(info.models) for info in infos], dtype=np.int64)
    table = judgements(
        counted(annotations), {task_id: i for i, task_id in enumerate(task_ids)}, responses
    )
    languages = [info.language for info in infos]
    bootstrap = min(settings.bootstrap, settings.ranking_bootstrap)
    return {
        "ranking_agreement": ranking_agreement_of(
            table,
            languages,
            [info.task_type for info in infos],
            bootstrap=bootstrap,
            seed=settings.seed,
        ),
        "leaderboard": leaderboard(
            outcomes_of(table, model_names, codes, dimensions),
            languages,
            evidence_totals(store.response_evidence()),
            bootstrap=bootstrap,
            seed=settings.seed,
        ),
    }
