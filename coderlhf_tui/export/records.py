"""The canonical export record of FORMATS.md, built from one labelled pair.

Every other format is a projection of this record, so the label rule, the rationale
choice and the margin are decided once, here and in ``consensus``. Records are plain
dicts in the column order of ``schema.canonical_schema``; ``split`` is added later, once
the whole selection is known.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from coderlhf_tui.domain import Preference
from coderlhf_tui.export.consensus import Label
from coderlhf_tui.export.pair_agreement import PairAgreement
from coderlhf_tui.export.source import FindingSummary, PairSource, TestSummary


def margin_for(strength: int) -> float:
    """The reward margin of a preference strength: 1.0 for "better", 2.0 for "much
    better", 0.0 for a tie (TRL and OpenRLHF subtract it from the reward gap)."""
    return float(strength)


def pair_id(source: PairSource) -> str:
    """A stable id for the pair: the task and its two response ids."""
    return f"{source.task_id}:{source.response_ids[0]}:{source.response_ids[1]}"


def _scores(raw: Mapping[str, Any], dimensions: Sequence[str]) -> dict[str, int | None]:
    return {dim: (int(raw[dim]) if raw.get(dim) is not None else None) for dim in dimensions}


def annotator_entry(ann: Mapping[str, Any], dimensions: Sequence[str]) -> dict[str, Any]:
    """One annotator's judgement as the record keeps it."""
    scores = ann.get("scores", {})
    return {
        "annotator": ann["annotator"],
        "preference": ann["preference"],
        "scores_a": _scores(scores.get("a", {}), dimensions),
        "scores_b": _scores(scores.get("b", {}), dimensions),
        "rationale": ann.get("rationale", ""),
        "tags": list(ann.get("tags", [])),
        "time_spent_s": float(ann.get("time_spent_s", 0.0)),
        "shown_order": ann.get("shown_order", "ab"),
    }


def chosen_rationale(
    label: Label, annotations: Sequence[Mapping[str, Any]], note: str | None
) -> str:
    """The record's rationale: the adjudication note when there is one; otherwise the
    non-empty rationale of the annotator whose preference is nearest the label (the
    first such annotator by name)."""
    if note:
        return note
    target = label.preference.ordinal
    written = [ann for ann in annotations if ann.get("rationale", "").strip()]
    if not written:
        return ""
    best = min(written, key=lambda ann: abs(Preference(ann["preference"]).ordinal - target))
    return str(best["rationale"])


def _tests(run: TestSummary | None) -> dict[str, Any] | None:
    if run is None:
        return None
    return {
        "verdict": run.verdict,
        "passed": run.passed,
        "failed": run.failed,
        "duration_s": run.duration_s,
    }


def _findings(found: Sequence[FindingSummary]) -> list[dict[str, Any]]:
    return [{"rule": f.rule, "cwe": f.cwe, "severity": f.severity, "line": f.line} for f in found]


def canonical_record(
    source: PairSource, label: Label, agreement: PairAgreement, dimensions: Sequence[str]
) -> dict[str, Any]:
    """The FORMATS.md record of one pair, without its ``split``."""
    preference = label.preference
    adjudication = source.adjudication
    tags = sorted({tag for ann in source.annotations for tag in ann.get("tags", [])})
    return {
        "id": pair_id(source),
        "task_id": source.task_id,
        "language": source.language,
        "task_type": source.task_type,
        "prompt": source.prompt,
        "response_a": source.codes[0],
        "response_b": source.codes[1],
        "model_a": source.models[0],
        "model_b": source.models[1],
        "chosen": preference.winner,
        "preference": preference.value,
        "strength": preference.strength,
        "margin": margin_for(preference.strength),
        "scores_a": label.scores["a"],
        "scores_b": label.scores["b"],
        "annotations": [annotator_entry(ann, dimensions) for ann in source.annotations],
        "rationale": chosen_rationale(
            label, source.annotations, adjudication.get("note") if adjudication else None
        ),
        "tags": tags,
        "tests_a": _tests(source.tests.get("a")),
        "tests_b": _tests(source.tests.get("b")),
        "findings_a": _findings(source.findings.get("a", [])),
        "findings_b": _findings(source.findings.get("b", [])),
        "agreement": {
            "annotators": agreement.annotators,
            "winner": agreement.winner,
            "exact": agreement.exact,
            "ordinal": agreement.ordinal,
        },
        "adjudicated": label.source == "adjudication",
        "label_source": label.source,
        "gold": source.gold,
    }
