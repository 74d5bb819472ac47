"""What a lead needs to settle one task, and the two ways of settling it.

``load_review`` gathers a task with every annotator's judgement, the test runs and the
findings of every response (a ranked task's too) and the adjudications so far;
``suggested_decision`` proposes the annotators' median as the starting point of an
adjudication; ``adjudicate`` and ``send_back`` write the lead's decision through the
store (both are local changes that sync: an adjudication to the server, a sent-back
annotation to its annotator).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from statistics import median_low

from coderlhf_tui.domain import (
    RESPONSE_KEYS,
    Adjudication,
    Annotation,
    AnnotationStatus,
    Preference,
    Ranking,
    Scores,
)
from coderlhf_tui.quality.task_review import TaskReview
from coderlhf_tui.store import Store


def load_review(store: Store, task_id: str) -> TaskReview | None:
    """The review of one task, or None when the task is not in the workspace."""
    task = store.get_task(task_id)
    if task is None:
        return None
    latest: dict[str, Annotation] = {}
    for ann in store.list_annotations(task_id=task_id, status=AnnotationStatus.SUBMITTED):
        held = latest.get(ann.annotator)
        if held is None or ann.revision > held.revision:
            latest[ann.annotator] = ann
    return TaskReview(
        task=task,
        annotations=[latest[name] for name in sorted(latest)],
        tests={key: store.latest_test_run(task_id, key) for key in task.keys},
        findings={key: store.latest_findings(task_id, key) for key in task.keys},
        adjudications=store.list_adjudications(task_id),
    )


def suggested_decision(
    annotations: list[Annotation], dimensions: list[str]
) -> tuple[Preference | None, Scores]:
    """The annotators' median preference and median score per response and dimension.

    Medians of an even count round toward the middle of the scale's order (low median),
    so a 2-2 split proposes the more cautious level.
    """
    ordinals = sorted(a.preference.ordinal for a in annotations if a.preference is not None)
    preference = Preference.from_ordinal(ordinals[(len(ordinals) - 1) // 2]) if ordinals else None
    scores: Scores = {}
    for key in RESPONSE_KEYS:
        for dim in dimensions:
            levels = [a.scores[key][dim] for a in annotations if dim in a.scores.get(key, {})]
            if levels:
                scores.setdefault(key, {})[dim] = int(median_low(levels))
    return preference, scores


def adjudicate(
    store: Store,
    task_id: str,
    lead: str,
    preference: Preference,
    scores: Scores,
    note: str,
    dropped_comments: Sequence[str] = (),
    ranking: Ranking | None = None,
) -> Adjudication:
    """Store the lead's final word on a task (queued for sync); ``dropped_comments`` are
    the annotators' line comments the lead does not keep; a ranked task's final
    ``ranking`` comes with the preference it implies for A and B."""
    return store.save_adjudication(
        Adjudication(
            id=str(uuid.uuid4()),
            task_id=task_id,
            lead=lead,
            preference=preference,
            scores=scores,
            note=note,
            dropped_comments=list(dropped_comments),
            ranking=ranking,
        )
    )


def send_back(store: Store, annotation: Annotation) -> Annotation:
    """Return an annotation to its annotator for another look (status sent_back)."""
    return store.save_annotation(replace(annotation, status=AnnotationStatus.SENT_BACK))
