"""The annotation being edited on the ranking screen, its blind order and its warnings.

A ranked task's draft is a ``Draft`` (the same autosave, active clock and submit path
through the session's writer) whose judgement is a ranking instead of a preference.
Blind rules as for pairs (``blind.py``): the responses are shown in an order shuffled per
(annotator, task) - a hash, so a reopened task shows the same order - and labelled by
their shown position (#1..#8), never by their letter or model. The stored annotation is
in task keys; ``shown_order`` records the order they were shown in.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping, Sequence

from coderlhf_tui.domain import (
    Annotation,
    AnnotationStatus,
    Ranking,
    ResponseKey,
    Task,
    TestRun,
)
from coderlhf_tui.ranking import group_of
from coderlhf_tui.rubric import Rubric
from coderlhf_tui.store import Store
from coderlhf_tui.workbench.clock import ActiveClock
from coderlhf_tui.workbench.draft import Draft


def blind_permutation(annotator: str, task_id: str, keys: Sequence[str]) -> str:
    """The order to show ``keys`` in, fixed for this annotator and task (e.g. ``dbca``)."""

    def rank(key: str) -> bytes:
        return hashlib.sha256(f"{annotator}\x00{task_id}\x00{key}".encode()).digest()

    return "".join(sorted(keys, key=rank))


class RankedDraft(Draft):
    """A draft whose judgement is a ranking of every response (ties allowed).

    A fresh draft starts with every response in one tie group, in the shown order: a
    neutral start that favours no position. Scores are set per response key.
    """

    def __init__(self, annotation: Annotation, rubric: Rubric, clock: ActiveClock) -> None:
        # Not Draft.__init__: its left/right map only knows two responses.
        self.annotation = annotation
        self.rubric = rubric
        self.clock = clock
        self.dirty = False
        self._handed_over = annotation

    @classmethod
    def open_ranked(
        cls,
        store: Store,
        task: Task,
        annotator: str,
        rubric: Rubric,
        now: float,
        unsaved: Annotation | None = None,
    ) -> RankedDraft:
        """The stored (or still unsaved) annotation, else a fresh one in a blind order."""
        existing = unsaved or store.get_annotation(task.id, annotator)
        if existing is None:
            order = blind_permutation(annotator, task.id, task.keys)
            existing = Annotation(
                id=str(uuid.uuid4()),
                task_id=task.id,
                annotator=annotator,
                revision=0,
                shown_order=order,
                rubric_version=rubric.version,
                ranking=[list(order)],
            )
        elif existing.ranking is None:  # a draft from before ranking: start neutral
            existing.ranking = [list(existing.shown_order)]
        return cls(existing, rubric, ActiveClock(base_s=existing.time_spent_s, started_at=now))

    @property
    def shown_order(self) -> str:
        """The keys in the order the screen lists them (#1 first)."""
        return self.annotation.shown_order

    def label(self, key: str) -> str:
        """The blind label of a response: its shown position, ``#1``.."""
        return f"#{self.shown_order.index(key) + 1}"

    @property
    def ranking(self) -> Ranking:
        """The current ranking (tie groups of keys, best first)."""
        return self.annotation.ranking or [list(self.shown_order)]

    def set_ranking(self, ranking: Ranking) -> None:
        """Replace the ranking (the screen's move/tie/untie computed it)."""
        if ranking != self.annotation.ranking:
            self._change(ranking=[list(group) for group in ranking])

    def key_scores(self, key: str) -> dict[str, int]:
        """All levels given to one response."""
        return dict(self.annotation.scores.get(key, {}))

    def set_key_score(self, key: str, dimension: str, level: int | None) -> None:
        """Score (or clear) one dimension of one response."""
        self.rubric.dimension(dimension)
        if level is not None and level not in self.rubric.levels:
            raise ValueError(f"{level} is outside the rubric's scale")
        scores = {k: dict(v) for k, v in self.annotation.scores.items()}
        if level is None:
            scores.get(key, {}).pop(dimension, None)
        else:
            scores.setdefault(key, {})[dimension] = level
        self._change(scores=scores)

    @property
    def submitted(self) -> bool:
        """Whether this annotation has been submitted."""
        return self.annotation.status is AnnotationStatus.SUBMITTED


def ranking_warnings(
    draft: RankedDraft,
    runs: Mapping[ResponseKey, TestRun | None],
) -> list[str]:
    """Judgements that contradict the evidence or the annotator's own scores.

    - a response ranked first fails its tests while another response passes;
    - a response ranked above another that scores higher on every dimension;
    - a response scored top on correctness that fails its tests.
    """
    ranking = draft.ranking
    groups = group_of(ranking)
    warnings: list[str] = []
    passing = [k for k, run in runs.items() if run is not None and run.verdict.is_pass]
    for key in ranking[0]:
        run = runs.get(key)  # type: ignore[call-overload]
        if run is not None and run.verdict.is_failure and passing:
            others = ", ".join(draft.label(k) for k in passing)
            warnings.append(
                f"{draft.label(key)} is ranked first but fails its tests ({run.verdict.value})"
                f" while {others} pass{'es' if len(passing) == 1 else ''}."
            )
    names = draft.rubric.dimension_names
    for upper, upper_group in groups.items():
        for lower, lower_group in groups.items():
            if upper_group >= lower_group:
                continue
            high, low = draft.key_scores(upper), draft.key_scores(lower)
            if all(n in high and n in low for n in names) and all(low[n] > high[n] for n in names):
                warnings.append(
                    f"{draft.label(upper)} is ranked above {draft.label(lower)}, which scores"
                    " higher on every dimension."
                )
    top = draft.rubric.scale_max
    for key, run in runs.items():
        top_score = draft.key_scores(key).get("correctness") == top
        if run is not None and run.verdict.is_failure and top_score:
            warnings.append(
                f"{draft.label(key)} fails its tests ({run.verdict.value}) but scores {top}"
                " on correctness."
            )
    return warnings
