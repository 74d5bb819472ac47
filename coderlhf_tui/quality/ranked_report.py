"""The report's ranking sections: agreement on rankings and the model leaderboard.

Both read what ``report.load_workspace`` already loaded (the counted annotations) plus
one query for each response's model and latest evidence, and return JSON-ready dicts
under ``ranking_agreement`` and ``leaderboard`` (docs/quality.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from coderlhf_tui.domain import Annotation
from coderlhf_tui.quality.frame import UNKNOWN, TaskInfo, counted
from coderlhf_tui.quality.leaderboard import collect_outcomes, evidence_counts, leaderboard
from coderlhf_tui.quality.ranking_agreement import RankedItem, ranking_agreement
from coderlhf_tui.quality.settings import QualitySettings
from coderlhf_tui.store import Store


def ranked_items(
    annotations: Sequence[Annotation], tasks: Mapping[str, TaskInfo], n_responses: Mapping[str, int]
) -> list[RankedItem]:
    """One item per ranked task with its rankings (``annotations`` counted: one per
    annotator and task), in annotator order."""
    by_task: dict[str, list[Annotation]] = {}
    for ann in annotations:  # counted already
        if ann.ranking is not None and n_responses.get(ann.task_id, 0) > 2:
            by_task.setdefault(ann.task_id, []).append(ann)
    items = []
    for task_id, anns in sorted(by_task.items()):
        info = tasks.get(task_id, TaskInfo(UNKNOWN, UNKNOWN))
        keys = tuple("abcdefgh"[: n_responses[task_id]])
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
    """``ranking_agreement`` and ``leaderboard`` for the report."""
    rows = store.response_evidence()
    models = {(task_id, key): model for task_id, _, key, model, _, _ in rows}
    n_responses: dict[str, int] = {}
    for task_id, *_ in rows:
        n_responses[task_id] = n_responses.get(task_id, 0) + 1
    evidence = evidence_counts(
        (language, model, verdict, found) for _, language, _, model, verdict, found in rows
    )
    task_ids = sorted(tasks)
    index = {task_id: i for i, task_id in enumerate(task_ids)}
    once = counted(annotations)
    outcomes = collect_outcomes(once, models, index, dimensions)
    return {
        "ranking_agreement": ranking_agreement(
            ranked_items(once, tasks, n_responses),
            bootstrap=min(settings.bootstrap, settings.ranking_bootstrap),
            seed=settings.seed,
        ),
        "leaderboard": leaderboard(
            outcomes,
            [tasks[t].language for t in task_ids],
            evidence,
            bootstrap=min(settings.bootstrap, settings.ranking_bootstrap),
            seed=settings.seed,
        ),
    }
