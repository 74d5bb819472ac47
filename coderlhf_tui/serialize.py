"""Domain objects to plain JSON-ready dicts and back.

These are the shapes of docs/formats.md: what the store keeps in its JSON columns, what sync
sends, what exports read. They trust their input (it came from our own store or was
validated by ``ingest``); untrusted files go through ``ingest`` first.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from coderlhf_tui.domain import (
    Adjudication,
    Annotation,
    AnnotationStatus,
    Confidence,
    Finding,
    FindingVerdict,
    Gold,
    IoCase,
    Language,
    Limits,
    LineComment,
    Preference,
    Ranking,
    Response,
    Severity,
    Task,
    TaskType,
    TestKind,
    TestRun,
    TestSpec,
    TraceStep,
    Verdict,
)

JsonDict = dict[str, Any]


def test_spec_to_dict(spec: TestSpec) -> JsonDict:
    """A TestSpec as the task file writes it, leaving out empty optional keys."""
    out: JsonDict = {"kind": spec.kind.value}
    if spec.code:
        out["code"] = spec.code
    if spec.cases:
        out["cases"] = [{"stdin": c.stdin, "stdout": c.stdout} for c in spec.cases]
    if spec.entry_point is not None:
        out["entry_point"] = spec.entry_point
    if spec.compare != "exact":
        out["compare"] = spec.compare
    if spec.setup is not None:
        out["setup"] = spec.setup
    if spec.expected_rows is not None:
        out["expected_rows"] = [list(row) for row in spec.expected_rows]
    if spec.ordered:
        out["ordered"] = True
    if spec.timeout_s is not None:
        out["timeout_s"] = spec.timeout_s
    if spec.memory_mb is not None:
        out["memory_mb"] = spec.memory_mb
    return out


def test_spec_from_dict(data: JsonDict) -> TestSpec:
    """The inverse of ``test_spec_to_dict``."""
    rows = data.get("expected_rows")
    return TestSpec(
        kind=TestKind(data["kind"]),
        code=data.get("code", ""),
        cases=tuple(IoCase(c["stdin"], c["stdout"]) for c in data.get("cases", ())),
        entry_point=data.get("entry_point"),
        compare=data.get("compare", "exact"),
        setup=data.get("setup"),
        expected_rows=None if rows is None else tuple(tuple(r) for r in rows),
        ordered=bool(data.get("ordered", False)),
        timeout_s=data.get("timeout_s"),
        memory_mb=data.get("memory_mb"),
    )


def task_to_dict(task: Task) -> JsonDict:
    """A Task in the task-file shape of docs/formats.md."""
    out: JsonDict = {
        "id": task.id,
        "language": task.language.value,
        "prompt": task.prompt,
        "responses": [
            {"id": r.id, "code": r.code, **({"model": r.model} if r.model else {})}
            for r in task.responses
        ],
    }
    if task.task_type is not None:
        out["task_type"] = task.task_type.value
    if task.tests is not None:
        out["tests"] = test_spec_to_dict(task.tests)
    if task.gold is not None:
        out["gold"] = {"preference": task.gold.preference.value, "note": task.gold.note}
    if task.metadata:
        out["metadata"] = task.metadata
    return out


def task_from_dict(data: JsonDict) -> Task:
    """The inverse of ``task_to_dict`` (for data already validated)."""
    responses = tuple(
        Response(id=r["id"], code=r["code"], model=r.get("model")) for r in data["responses"]
    )
    gold = data.get("gold")
    return Task(
        id=data["id"],
        language=Language(data["language"]),
        prompt=data["prompt"],
        responses=responses,
        tests=test_spec_from_dict(data["tests"]) if data.get("tests") else None,
        task_type=TaskType(data["task_type"]) if data.get("task_type") else None,
        gold=Gold(Preference(gold["preference"]), gold.get("note", "")) if gold else None,
        metadata=dict(data.get("metadata") or {}),
    )


def scores_from_dict(data: dict[str, dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Per-response, per-dimension scores with their levels as ints."""
    return {key: {dim: int(level) for dim, level in dims.items()} for key, dims in data.items()}


def annotation_to_dict(ann: Annotation) -> JsonDict:
    """An Annotation in the shape of docs/formats.md."""
    return {
        "id": ann.id,
        "task_id": ann.task_id,
        "annotator": ann.annotator,
        "revision": ann.revision,
        "status": ann.status.value,
        "preference": ann.preference.value if ann.preference else None,
        "scores": {key: dict(dims) for key, dims in ann.scores.items()},
        "rationale": ann.rationale,
        "tags": list(ann.tags),
        "time_spent_s": ann.time_spent_s,
        "shown_order": ann.shown_order,
        "rubric_version": ann.rubric_version,
        "created_at": ann.created_at,
        "updated_at": ann.updated_at,
        **({"comments": [line_comment_to_dict(c) for c in ann.comments]} if ann.comments else {}),
        **_ranking_entry(ann.ranking),
    }


def annotation_from_dict(data: JsonDict) -> Annotation:
    """The inverse of ``annotation_to_dict``."""
    preference = data.get("preference")
    return Annotation(
        id=data["id"],
        task_id=data["task_id"],
        annotator=data["annotator"],
        revision=int(data.get("revision", 1)),
        status=AnnotationStatus(data.get("status", AnnotationStatus.IN_PROGRESS.value)),
        preference=Preference(preference) if preference else None,
        scores=scores_from_dict(data.get("scores", {})),
        rationale=data.get("rationale", ""),
        tags=list(data.get("tags", [])),
        time_spent_s=float(data.get("time_spent_s", 0.0)),
        shown_order=data.get("shown_order", "ab"),
        rubric_version=str(data.get("rubric_version", "")),
        created_at=data.get("created_at", ""),
        updated_at=data.get("updated_at", ""),
        comments=[line_comment_from_dict(c) for c in data.get("comments") or ()],
        ranking=ranking_from_json(data.get("ranking")),
    )


def adjudication_to_dict(adj: Adjudication) -> JsonDict:
    """An Adjudication as stored and synced."""
    return {
        "id": adj.id,
        "task_id": adj.task_id,
        "lead": adj.lead,
        "preference": adj.preference.value,
        "scores": {key: dict(dims) for key, dims in adj.scores.items()},
        "note": adj.note,
        "created_at": adj.created_at,
        **({"dropped_comments": list(adj.dropped_comments)} if adj.dropped_comments else {}),
        **_ranking_entry(adj.ranking),
    }


def adjudication_from_dict(data: JsonDict) -> Adjudication:
    """The inverse of ``adjudication_to_dict``."""
    return Adjudication(
        id=data["id"],
        task_id=data["task_id"],
        lead=data["lead"],
        preference=Preference(data["preference"]),
        scores=scores_from_dict(data.get("scores", {})),
        note=data.get("note", ""),
        created_at=data.get("created_at", ""),
        dropped_comments=list(data.get("dropped_comments") or ()),
        ranking=ranking_from_json(data.get("ranking")),
    )


def _ranking_entry(ranking: Ranking | None) -> JsonDict:
    """``{"ranking": ...}`` for a ranked task's judgement, nothing for a pairwise one."""
    return {} if ranking is None else {"ranking": [list(group) for group in ranking]}


def ranking_from_json(value: Any) -> Ranking | None:
    """A stored ranking (tie groups of keys), or None for a pairwise judgement."""
    return None if value is None else [[str(key) for key in group] for group in value]


def test_run_to_dict(run: TestRun) -> JsonDict:
    """A TestRun with its verdict as a string and its limits as a nested dict."""
    out = asdict(run)
    out["verdict"] = run.verdict.value
    return out


def test_run_from_dict(data: JsonDict) -> TestRun:
    """The inverse of ``test_run_to_dict``."""
    fields = dict(data)
    fields["verdict"] = Verdict(fields["verdict"])
    fields["limits"] = Limits(**fields.get("limits", {}))
    fields["failing_tests"] = list(fields.get("failing_tests", []))
    known = set(TestRun.__dataclass_fields__)
    return TestRun(**{k: v for k, v in fields.items() if k in known})


def finding_to_dict(finding: Finding) -> JsonDict:
    """A Finding with its enums as strings."""
    out = asdict(finding)
    out["severity"] = finding.severity.value
    out["confidence"] = finding.confidence.value
    return out


def finding_from_dict(data: JsonDict) -> Finding:
    """The inverse of ``finding_to_dict``."""
    fields = dict(data)
    fields["severity"] = Severity(fields["severity"])
    fields["confidence"] = Confidence(fields.get("confidence", Confidence.MEDIUM.value))
    fields["trace"] = tuple(TraceStep(**step) for step in fields.get("trace", ()))
    fields["related_cwes"] = tuple(fields.get("related_cwes", ()))
    known = set(Finding.__dataclass_fields__)
    return Finding(**{k: v for k, v in fields.items() if k in known})


def line_comment_to_dict(comment: LineComment) -> JsonDict:
    """A line comment as stored inside its annotation (docs/formats.md)."""
    out: JsonDict = {
        "id": comment.id,
        "response": comment.response,
        "start_line": comment.start_line,
        "end_line": comment.end_line,
        "category": comment.category,
        "severity": comment.severity.value,
        "text": comment.text,
        "quote": comment.quote,
    }
    if comment.rule_id is not None:
        out["rule_id"] = comment.rule_id
    if comment.verdict is not None:
        out["verdict"] = comment.verdict.value
    return out


COMMENT_KEYS = frozenset("abcdefgh")
"""Responses a line comment may name: a and b of a pair, up to h of a ranked task."""


def line_comment_from_dict(data: JsonDict) -> LineComment:
    """The inverse of ``line_comment_to_dict``."""
    verdict = data.get("verdict")
    return LineComment(
        id=data["id"],
        response=data["response"] if data["response"] in COMMENT_KEYS else "a",
        start_line=int(data["start_line"]),
        end_line=int(data["end_line"]),
        category=data["category"],
        severity=Severity(data["severity"]),
        text=data.get("text", ""),
        quote=data.get("quote", ""),
        rule_id=data.get("rule_id"),
        verdict=FindingVerdict(verdict) if verdict else None,
    )
