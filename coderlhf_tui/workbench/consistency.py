"""Consistency warnings shown before submit: judgements that contradict the evidence.

These are warnings, not errors: the engineer may know better (a test can be wrong), so
the app lists them and lets them submit anyway. Each check reads only the annotation in
task A/B terms and the stored evidence, so it is the same on every screen order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from coderlhf_tui.domain import (
    FINDING_TEST_TAMPERING,
    RESPONSE_KEYS,
    Annotation,
    Finding,
    ResponseKey,
    Severity,
    TestRun,
)
from coderlhf_tui.rubric import Rubric

HIGH_SEVERITY = Severity.HIGH
"""Findings at or above this severity contradict a top security score."""


def consistency_warnings(
    annotation: Annotation,
    rubric: Rubric,
    runs: Mapping[ResponseKey, TestRun | None],
    findings: Mapping[ResponseKey, Sequence[Finding]],
) -> list[str]:
    """Human-readable warnings, empty when the judgement agrees with the evidence."""
    warnings: list[str] = []
    warnings.extend(_preference_against_scores(annotation, rubric))
    top = rubric.scale_max
    for key in RESPONSE_KEYS:
        scores = annotation.scores.get(key, {})
        run = runs.get(key)
        if run is not None and run.verdict.is_failure and scores.get("correctness") == top:
            warnings.append(
                f"Response {key.upper()} fails its tests ({run.verdict.value}) "
                f"but scores {top} on correctness."
            )
        tampering = [f for f in findings.get(key, ()) if f.category == FINDING_TEST_TAMPERING]
        if tampering and scores.get("correctness") == top:
            warnings.append(
                f"Response {key.upper()} may fake its test results ({tampering[0].message}"
                f" line {tampering[0].start_line}) but scores {top} on correctness."
            )
        security = [f for f in findings.get(key, ()) if f.category != FINDING_TEST_TAMPERING]
        worst = max((f.severity for f in security), key=lambda s: s.rank, default=None)
        if worst is not None and worst.rank >= HIGH_SEVERITY.rank and scores.get("security") == top:
            warnings.append(
                f"Response {key.upper()} has a {worst.value} security finding "
                f"but scores {top} on security."
            )
    return warnings


def _preference_against_scores(annotation: Annotation, rubric: Rubric) -> list[str]:
    preference = annotation.preference
    if preference is None or preference.winner == "tie":
        return []
    winner: ResponseKey = preference.winner
    loser: ResponseKey = "b" if winner == "a" else "a"
    names = rubric.dimension_names
    won = annotation.scores.get(winner, {})
    lost = annotation.scores.get(loser, {})
    if not all(name in won and name in lost for name in names):
        return []
    if all(lost[name] >= won[name] for name in names):
        return [
            f"{winner.upper()} is preferred, but {loser.upper()} scores at least as high "
            "on every dimension."
        ]
    return []
