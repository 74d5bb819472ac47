"""The annotation being edited on the pair screen, in task terms, with screen-side setters.

Widgets speak left/right; the draft translates through the task's ``SideMap`` so the
stored annotation is always in A/B terms. It remembers whether it changed since the last
save, and ``save`` writes it (with the active time so far) as one store revision, which
is what autosave and submit both call. ``rescue_copy`` serves the one caller that may
not touch the draft: a hang-up handler running while the UI thread is mid-change.
"""

from __future__ import annotations

import uuid
from dataclasses import replace

from coderlhf_tui.domain import Annotation, AnnotationStatus, LineComment, Preference, Task
from coderlhf_tui.rubric import Rubric
from coderlhf_tui.store import Store
from coderlhf_tui.workbench.blind import Side, SideMap, blind_order
from coderlhf_tui.workbench.clock import ActiveClock


class Draft:
    """One annotator's editable annotation of one task."""

    def __init__(self, annotation: Annotation, rubric: Rubric, clock: ActiveClock) -> None:
        self.annotation = annotation
        self.rubric = rubric
        self.sides = SideMap(annotation.shown_order)
        self.clock = clock
        self.dirty = False
        self._handed_over = annotation

    @classmethod
    def open(
        cls,
        store: Store,
        task: Task,
        annotator: str,
        rubric: Rubric,
        now: float,
        unsaved: Annotation | None = None,
    ) -> Draft:
        """The stored annotation of this task (or ``unsaved``, a newer copy still on its way
        to the store), else a fresh one in this annotator's blind order."""
        existing = unsaved or store.get_annotation(task.id, annotator)
        annotation = existing or Annotation(
            id=str(uuid.uuid4()),
            task_id=task.id,
            annotator=annotator,
            revision=0,
            shown_order=blind_order(annotator, task.id),
            rubric_version=rubric.version,
        )
        return cls(annotation, rubric, ActiveClock(base_s=annotation.time_spent_s, started_at=now))

    # -- reading in screen terms ---------------------------------------------------------

    def score(self, side: Side, dimension: str) -> int | None:
        """The level given to the response shown on ``side``."""
        return self.annotation.scores.get(self.sides.key(side), {}).get(dimension)

    def side_scores(self, side: Side) -> dict[str, int]:
        """All levels of the response shown on ``side``."""
        return dict(self.annotation.scores.get(self.sides.key(side), {}))

    @property
    def screen_preference(self) -> int | None:
        """-2 (left much better) .. +2 (right much better), None when unset."""
        pref = self.annotation.preference
        return None if pref is None else self.sides.to_screen(pref)

    @property
    def submitted(self) -> bool:
        """Whether this annotation has been submitted."""
        return self.annotation.status is AnnotationStatus.SUBMITTED

    # -- changes ---------------------------------------------------------------------------

    def set_score(self, side: Side, dimension: str, level: int | None) -> None:
        """Score (or clear) one dimension of the response shown on ``side``."""
        self.rubric.dimension(dimension)  # KeyError for a dimension the rubric lacks
        if level is not None and level not in self.rubric.levels:
            raise ValueError(f"{level} is outside the rubric's scale")
        key = self.sides.key(side)
        scores = {k: dict(v) for k, v in self.annotation.scores.items()}
        if level is None:
            scores.get(key, {}).pop(dimension, None)
        else:
            scores.setdefault(key, {})[dimension] = level
        self._change(scores=scores)

    def set_screen_preference(self, ordinal: int | None) -> None:
        """Set the preference from the screen's point of view (negative = left better)."""
        pref: Preference | None = None if ordinal is None else self.sides.to_task(ordinal)
        self._change(preference=pref)

    def set_rationale(self, text: str) -> None:
        """Replace the rationale text."""
        if text != self.annotation.rationale:
            self._change(rationale=text)

    def set_tags(self, tags: list[str]) -> None:
        """Replace the tags (kept in rubric order, unknown ones rejected)."""
        unknown = [t for t in tags if t not in self.rubric.tags]
        if unknown:
            raise ValueError(f"unknown tags: {', '.join(unknown)}")
        ordered = [t for t in self.rubric.tags if t in tags]
        if ordered != self.annotation.tags:
            self._change(tags=ordered)

    def set_comments(self, comments: list[LineComment]) -> None:
        """Replace the line comments (``workbench/line_comments.py`` computes the new list)."""
        if comments != self.annotation.comments:
            self._change(comments=list(comments))

    def _change(self, **fields: object) -> None:
        self.annotation = replace(self.annotation, **fields)  # type: ignore[arg-type]
        self.dirty = True

    # -- checks and saving -----------------------------------------------------------------

    def submit_problems(self) -> list[str]:
        """What the rubric says is missing before this can be submitted."""
        return self.rubric.annotation_problems(self.annotation, for_submit=True)

    def save(self, store: Store, now: float, *, submit: bool = False) -> Annotation:
        """Write the draft (and the active time so far) as a new revision."""
        saved = store.save_annotation(self.prepare(now, submit=submit))
        self.annotation = saved
        return saved

    def prepare(self, now: float, *, submit: bool = False) -> Annotation:
        """The copy to write now (status and active time so far); the draft counts as saved,
        the caller hands the copy to the store or to the writer thread."""
        status = AnnotationStatus.SUBMITTED if submit else self.annotation.status
        self.annotation = replace(
            self.annotation, status=status, time_spent_s=self.clock.total(now)
        )
        self.dirty = False
        self._handed_over = self.annotation
        return self.annotation

    def rescue_copy(self, now: float) -> Annotation | None:
        """The copy to write when the terminal goes away, or None when nothing changed since
        the last copy handed over. Reads only (safe from a signal handler or another thread
        while the UI thread is in the middle of a change: it sees the change or not, never a
        half of it, because every change replaces the immutable annotation in one step)."""
        annotation = self.annotation
        if annotation is self._handed_over:
            return None
        return replace(annotation, time_spent_s=self.clock.total(now))
