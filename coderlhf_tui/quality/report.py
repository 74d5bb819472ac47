"""The QA report as data: agreement, annotators, gold, evidence and adjudications.

``build_report`` reads the workspace once and returns one JSON-ready dict; the Markdown
and HTML renderings (``report_md``, ``report_html``) and the data card are views of it,
so every figure a reader sees comes from the same computation.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from coderlhf_tui.domain import Annotation, AnnotationStatus
from coderlhf_tui.quality.agreement import compute_agreement
from coderlhf_tui.quality.annotators import annotator_stats
from coderlhf_tui.quality.disagreement import rank_disagreements
from coderlhf_tui.quality.evidence_summary import execution_summary, security_summary
from coderlhf_tui.quality.frame import AnnotationFrame, TaskInfo, build_frame
from coderlhf_tui.quality.line_agreement import critique_section
from coderlhf_tui.quality.ranked_report import ranking_sections
from coderlhf_tui.quality.settings import QualitySettings
from coderlhf_tui.rubric import Rubric
from coderlhf_tui.store import Store, utc_now

REPORT_VERSION = 1


@dataclass(frozen=True, slots=True)
class Workspace:
    """What the quality views read from a store, loaded once."""

    frame: AnnotationFrame
    tasks: dict[str, TaskInfo]
    """Every task of the workspace (annotated or not), by id."""
    adjudicated: dict[str, int]
    critiques: dict[str, Any] = field(default_factory=dict)
    """Line comments: line-level agreement and scanner-finding verdicts (``line_agreement``)."""
    annotations: list[Annotation] = field(default_factory=list)
    """The submitted annotations as loaded (rankings and the leaderboard read them)."""


def load_workspace(store: Store, rubric: Rubric) -> Workspace:
    """Tasks, counted annotations (as a frame) and adjudications of the workspace."""
    tasks = {task.id: TaskInfo.of(task) for task in store.iter_tasks()}
    annotations = store.list_annotations(status=AnnotationStatus.SUBMITTED)
    frame = build_frame(
        annotations, tasks, rubric.dimension_names, (rubric.scale_min, rubric.scale_max)
    )
    adjudicated = Counter(adj.task_id for adj in store.list_adjudications())
    languages = {task_id: info.language for task_id, info in tasks.items()}
    critiques = critique_section(annotations, languages, rubric.comment_categories)
    return Workspace(frame, tasks, dict(adjudicated), critiques, annotations)


def build_report(store: Store, rubric: Rubric, settings: QualitySettings) -> dict[str, Any]:
    """The whole QA report as plain data (see docs for the keys)."""
    ws = load_workspace(store, rubric)
    frame = ws.frame
    agreement = compute_agreement(frame, settings.agreement)
    people = annotator_stats(frame, settings)
    rows = store.list_tasks()
    languages = Counter(info.language for info in ws.tasks.values())
    annotated = Counter(frame.languages[code] for code in frame.language)
    return {
        "report_version": REPORT_VERSION,
        "generated_at": utc_now(),
        "rubric": {"version": rubric.version, "dimensions": rubric.dimension_names},
        "settings": settings.to_dict(),
        "summary": {
            "tasks": len(ws.tasks),
            "gold_tasks": sum(1 for info in ws.tasks.values() if info.gold is not None),
            "annotations": frame.size,
            "annotators": len(frame.annotators),
            "tasks_with_two_or_more": _multi_annotated(frame),
            "by_language": {
                lang: {"tasks": languages[lang], "annotations": annotated[lang]}
                for lang in sorted(set(languages) | set(annotated))
            },
        },
        "agreement": agreement.to_dict(),
        "low_agreement": _low_slices(agreement.to_dict(), settings.kappa_low),
        "annotators": [p.to_dict() for p in people],
        "gold": _gold_section(people, settings),
        "adjudication": _adjudication_section(frame, ws.adjudicated),
        "execution": execution_summary(store, rows),
        "security": security_summary(store, rows),
        "critiques": ws.critiques,
        **ranking_sections(store, ws.annotations, ws.tasks, rubric.dimension_names, settings),
    }


def _multi_annotated(frame: AnnotationFrame) -> int:
    counts = Counter(frame.task.tolist())
    return sum(1 for n in counts.values() if n >= 2)


def _low_slices(agreement: dict[str, Any], threshold: float) -> list[dict[str, Any]]:
    """Language x target slices whose quadratic kappa is below the threshold."""
    out = []
    for language, targets in agreement["by_language"].items():
        for target, figures in targets.items():
            value = figures.get("cohen_kappa_quadratic")
            if value is not None and value < threshold:
                out.append({"language": language, "target": target, "cohen_kappa_quadratic": value})
    return out


def _gold_section(people: list[Any], settings: QualitySettings) -> dict[str, Any]:
    rated = [p for p in people if p.gold_tasks]
    answered = sum(p.gold_tasks for p in rated)
    correct = sum(p.gold_correct for p in rated)
    return {
        "match": settings.gold_match,
        "threshold": settings.gold_threshold,
        "min_tasks": settings.gold_min_tasks,
        "answers": answered,
        "accuracy": round(correct / answered, 6) if answered else None,
        "by_annotator": {
            p.annotator: {
                "tasks": p.gold_tasks,
                "correct": p.gold_correct,
                "accuracy": p.gold_accuracy,
            }
            for p in rated
        },
        "flagged": [p.annotator for p in rated if any(f.startswith("gold") for f in p.flags)],
    }


def _adjudication_section(frame: AnnotationFrame, adjudicated: dict[str, int]) -> dict[str, Any]:
    disputes = rank_disagreements(frame)
    conflicts = [d for d in disputes if d.winner_conflict]
    done = set(adjudicated)
    by_language: Counter[str] = Counter()
    for dispute in disputes:
        if dispute.task_id in done:
            by_language[dispute.language] += 1
    return {
        "adjudications": sum(adjudicated.values()),
        "tasks_adjudicated": len(done),
        "tasks_with_two_or_more": len(disputes),
        "winner_conflicts": len(conflicts),
        "winner_conflicts_adjudicated": sum(1 for d in conflicts if d.task_id in done),
        "adjudicated_by_language": dict(sorted(by_language.items())),
        "most_disputed": [
            {"task_id": d.task_id, "language": d.language, "score": d.score} for d in disputes[:10]
        ],
    }
