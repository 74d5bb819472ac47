"""Importing annotations made elsewhere (the shape of docs/formats.md), validated like task files.

An annotation file is untrusted: every record is checked field by field with the same
record reader and field helpers as task files (``records``), scores and tags against the
rubric (``Rubric.annotation_problems``), and its task must already be in the workspace.
Problems are reported as ``file:line: field: message``. A file is stored in one
transaction through ``Store.merge_annotation`` (a copy with a higher revision replaces
ours, a lower one is left alone), and nothing is stored when any record is wrong.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coderlhf_tui.domain import RANKED_KEYS, Annotation, AnnotationStatus, Preference, Ranking
from coderlhf_tui.quality.comment_import import anchored, comments_from_record
from coderlhf_tui.ranking import judgement_problem, ranking_problems
from coderlhf_tui.record_files import FieldError, Fields, RecordError, iter_records
from coderlhf_tui.rubric import Rubric
from coderlhf_tui.store import Store

ANNOTATION_KEYS = {
    "id",
    "task_id",
    "annotator",
    "revision",
    "status",
    "preference",
    "ranking",
    "scores",
    "rationale",
    "tags",
    "time_spent_s",
    "shown_order",
    "rubric_version",
    "created_at",
    "updated_at",
    "comments",
}
REQUIRED_KEYS = {"id", "task_id", "annotator"}
MAX_TIME_S = 7 * 24 * 3600.0
MAX_NAME_LENGTH = 200


@dataclass(slots=True)
class AnnotationImport:
    """What importing one annotation file did."""

    file: str
    stored: int = 0
    unchanged: int = 0
    errors: list[RecordError] = field(default_factory=list)


def _name(record: Fields, key: str) -> str:
    value = record.string(key, non_empty=True)
    if len(value) > MAX_NAME_LENGTH or any(ord(ch) < 32 for ch in value):
        raise FieldError(key, f"must be at most {MAX_NAME_LENGTH} printable characters")
    return value


def _scores(record: Fields) -> dict[str, dict[str, int]]:
    scores = Fields(record.obj("scores"), "scores", set(RANKED_KEYS), set())
    out: dict[str, dict[str, int]] = {}
    for key in RANKED_KEYS:
        if scores.has(key):
            dims = scores.obj(key)
            levels = Fields(dims, f"scores.{key}", set(dims), set())
            out[key] = {str(d): levels.integer(str(d), minimum=-1000, maximum=1000) for d in dims}
    return out


def _shown_order(record: Fields) -> str:
    """``ab``/``ba``, or for a ranked task the order its keys were shown in (``dbca``)."""
    value = record.string("shown_order")
    if len(value) > 2:
        if sorted(value) != list(RANKED_KEYS[: len(value)]):
            raise FieldError(
                "shown_order",
                f"{value!r} is not an order of a..{RANKED_KEYS[len(value) - 1]}"
                if len(value) <= len(RANKED_KEYS)
                else f"{value!r} has more than {len(RANKED_KEYS)} keys",
            )
        return value
    return record.choice("shown_order", ["ab", "ba"])


def _ranking(record: Fields) -> Ranking:
    """The ranking's shape (tie groups of known keys); its fit to the task is checked later."""
    value = record.array("ranking")
    problems = ranking_problems(value, RANKED_KEYS, complete=False)
    if problems:
        where, message = problems[0]
        raise FieldError(f"ranking{where}", message)
    return [list(group) for group in value]


def annotation_from_record(value: Any, rubric: Rubric) -> Annotation:
    """Validate one annotation record; raises FieldError naming the field."""
    record = Fields(value, "", ANNOTATION_KEYS, REQUIRED_KEYS)
    status = AnnotationStatus(
        record.choice("status", [s.value for s in AnnotationStatus])
        if record.has("status")
        else AnnotationStatus.SUBMITTED.value
    )
    preference = (
        Preference(record.choice("preference", [p.value for p in Preference]))
        if record.has("preference")
        else None
    )
    time_spent = (
        record.number("time_spent_s", minimum=0.0, maximum=MAX_TIME_S)
        if record.has("time_spent_s")
        else 0.0
    )
    if math.isnan(time_spent):
        raise FieldError("time_spent_s", "must be a number")
    tags = record.array("tags") if record.has("tags") else []
    for index, tag in enumerate(tags):
        if not isinstance(tag, str):
            raise FieldError(f"tags[{index}]", "expected a string")
    annotation = Annotation(
        id=_name(record, "id"),
        task_id=_name(record, "task_id"),
        annotator=_name(record, "annotator"),
        revision=record.integer("revision", minimum=1, maximum=2**31)
        if record.has("revision")
        else 1,
        status=status,
        preference=preference,
        ranking=_ranking(record) if record.has("ranking") else None,
        scores=_scores(record) if record.has("scores") else {},
        rationale=record.string("rationale") if record.has("rationale") else "",
        tags=list(tags),
        time_spent_s=time_spent,
        shown_order=_shown_order(record) if record.has("shown_order") else "ab",
        rubric_version=record.string("rubric_version") if record.has("rubric_version") else "",
        created_at=record.string("created_at") if record.has("created_at") else "",
        updated_at=record.string("updated_at") if record.has("updated_at") else "",
        comments=comments_from_record(record) if record.has("comments") else [],
    )
    problems = rubric.annotation_problems(
        annotation, for_submit=status is AnnotationStatus.SUBMITTED
    )
    if problems:
        where, _, message = problems[0].partition(": ")
        raise FieldError(where, message or problems[0])
    return annotation


def import_annotation_file(store: Store, path: Path, rubric: Rubric) -> AnnotationImport:
    """Validate a whole annotation file, then merge it into the store in one transaction."""
    report = AnnotationImport(file=str(path))
    if not path.is_file():
        report.errors.append(RecordError(str(path), 0, "", "no such file"))
        return report
    valid = list(_validated(store, path, rubric, report))
    if report.errors:
        return report
    with store.transaction():
        for annotation in valid:
            if store.merge_annotation(annotation):
                report.stored += 1
            else:
                report.unchanged += 1
    return report


def _validated(
    store: Store, path: Path, rubric: Rubric, report: AnnotationImport
) -> list[Annotation]:
    """The file's valid annotations; errors (including unknown tasks, duplicates) go to report."""
    name = str(path)
    seen_ids: dict[str, int] = {}
    seen_pairs: dict[tuple[str, str], int] = {}
    lines: list[tuple[int, Annotation]] = []
    for raw in iter_records(path):
        if raw.error is not None:
            report.errors.append(raw.error)
            continue
        try:
            annotation = annotation_from_record(raw.value, rubric)
        except FieldError as exc:
            report.errors.append(RecordError(name, raw.line, exc.field, exc.message))
            continue
        if annotation.id in seen_ids:
            message = f"duplicate id {annotation.id!r} (first on line {seen_ids[annotation.id]})"
            report.errors.append(RecordError(name, raw.line, "id", message))
            continue
        pair = (annotation.task_id, annotation.annotator)
        if pair in seen_pairs:
            message = (
                f"{annotation.annotator!r} already annotated {annotation.task_id!r}"
                f" on line {seen_pairs[pair]} (one annotation per annotator and task)"
            )
            report.errors.append(RecordError(name, raw.line, "annotator", message))
            continue
        seen_ids[annotation.id] = seen_pairs[pair] = raw.line
        lines.append((raw.line, annotation))
    response_counts = store.response_counts({ann.task_id for _, ann in lines})
    known = set(response_counts)
    out = []
    for line, annotation in lines:
        held = store.get_annotation(annotation.task_id, annotation.annotator)
        same_id = store.annotation_by_id(annotation.id)
        if same_id is not None and (same_id.task_id, same_id.annotator) != (
            annotation.task_id,
            annotation.annotator,
        ):
            message = (
                f"id {annotation.id!r} already belongs to {same_id.annotator!r}'s annotation"
                f" of {same_id.task_id!r}"
            )
            report.errors.append(RecordError(name, line, "id", message))
        elif annotation.task_id not in known:
            message = f"unknown task {annotation.task_id!r} (import its task file first)"
            report.errors.append(RecordError(name, line, "task_id", message))
        elif problem := judgement_problem(annotation, response_counts[annotation.task_id]):
            where, _, message = problem.partition(": ")
            report.errors.append(RecordError(name, line, where, message))
        elif held is not None and held.id != annotation.id:
            message = (
                f"{annotation.annotator!r} already has annotation {held.id!r} of"
                f" {annotation.task_id!r} in the workspace"
            )
            report.errors.append(RecordError(name, line, "id", message))
        elif annotation.comments:
            task = store.get_task(annotation.task_id)
            assert task is not None  # known above
            comments, problem = anchored(annotation.comments, task)
            if problem is not None:
                where, _, message = problem.partition(": ")
                report.errors.append(RecordError(name, line, where, message))
            else:
                annotation.comments = comments
                out.append(annotation)
        else:
            out.append(annotation)
    report.errors.sort(key=lambda e: e.line)
    return out
