"""The formulas: one score in 0..1 per dimension and response (docs/signals.md).

Pure functions over the evidence (test runs, findings, metrics, style results); nothing
here runs code or touches the store, so the formulas are easy to test and to change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from coderlhf_tui.domain import (
    FINDING_SECURITY,
    FINDING_TEST_TAMPERING,
    RESPONSE_KEYS,
    Finding,
    ResponseKey,
    TestRun,
    Verdict,
)
from coderlhf_tui.scan.signals.metrics import CodeMetrics
from coderlhf_tui.scan.signals.style import StyleResult
from coderlhf_tui.scan.signals.weights import SignalWeights

DIMENSIONS = ("correctness", "security", "readability", "efficiency", "style")

CRASHED = {Verdict.RUNTIME_ERROR, Verdict.MEMORY_LIMIT, Verdict.OUTPUT_LIMIT}


@dataclass(frozen=True, slots=True)
class Signal:
    """One dimension's automatic score, its rubric level and what it was computed from."""

    score: float | None
    inputs: dict[str, Any] = field(default_factory=dict)

    def level(self, low: int = 1, high: int = 5) -> int | None:
        """The score on the rubric's scale (1..5 by default); None when unavailable."""
        if self.score is None:
            return None
        return low + round((high - low) * self.score)

    def as_dict(self, low: int = 1, high: int = 5) -> dict[str, Any]:
        """JSON-ready: score, level and inputs."""
        score = None if self.score is None else round(self.score, 3)
        return {"score": score, "level": self.level(low, high), "inputs": self.inputs}


def _ramp(value: float, ok: float, bad: float) -> float:
    """0 at or below ``ok``, 1 at or above ``bad``, linear between."""
    if bad <= ok:
        return 0.0 if value <= ok else 1.0
    return min(1.0, max(0.0, (value - ok) / (bad - ok)))


def _penalty(findings: Sequence[Finding], w: SignalWeights) -> float:
    """Σ severity weight × confidence factor over the findings."""
    return sum(
        w.severity_weight(f.severity) * w.confidence.get(f.confidence.value, 1.0) for f in findings
    )


def of_category(findings: Sequence[Finding] | None, category: str) -> list[Finding]:
    """The findings of one category (security or test-tampering)."""
    return [f for f in findings or () if f.category == category]


def correctness(
    run: TestRun | None, w: SignalWeights, findings: Sequence[Finding] | None = None
) -> Signal:
    """The test verdict's score, times what test-tampering findings leave of it.

    PASSED 1; FAILED partial credit for the share passed; crashes and timeouts little. A
    response that exits at import or patches the test framework can make its own tests
    pass, so its tampering findings scale the verdict down (same weights as security).
    """
    base = _verdict_score(run, w)
    tampering = of_category(findings, FINDING_TEST_TAMPERING)
    if base.score is None or not tampering:
        return base
    penalty = _penalty(tampering, w)
    inputs = base.inputs | {
        "tampering": sorted({f.rule_id for f in tampering}),
        "tampering_penalty": round(penalty, 3),
    }
    return Signal(base.score * max(0.0, 1.0 - penalty), inputs)


def _verdict_score(run: TestRun | None, w: SignalWeights) -> Signal:
    if run is None or run.verdict in (Verdict.NO_TESTS, Verdict.INTERNAL_ERROR):
        return Signal(None, {"verdict": run.verdict.value if run else None})
    inputs = {"verdict": run.verdict.value, "passed": run.passed, "failed": run.failed}
    if run.verdict is Verdict.PASSED:
        return Signal(1.0, inputs)
    if run.verdict is Verdict.FAILED:
        total = run.passed + run.failed
        share = run.passed / total if total else 0.0
        return Signal(w.failed_partial_credit * share, inputs)
    if run.verdict in CRASHED or run.verdict is Verdict.TIME_LIMIT:
        return Signal(w.crashed_credit, inputs)
    return Signal(0.0, inputs)  # COMPILE_ERROR


def security(all_findings: Sequence[Finding] | None, w: SignalWeights) -> Signal:
    """1 - sum(severity weight x confidence factor) over security findings, floored at 0."""
    if all_findings is None:
        return Signal(None, {"scanned": False})
    findings = of_category(all_findings, FINDING_SECURITY)
    penalty = _penalty(findings, w)
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.severity.value] = counts.get(f.severity.value, 0) + 1
    inputs = {"findings": len(findings), "by_severity": counts, "penalty": round(penalty, 3)}
    return Signal(max(0.0, 1.0 - penalty), inputs)


def _complexity_penalty(m: CodeMetrics, w: SignalWeights) -> float:
    return _ramp(m.max_ccn, w.ccn_ok, w.ccn_bad)


def readability(metrics: CodeMetrics | None, w: SignalWeights) -> Signal:
    """1 - weighted ramps of max cyclomatic complexity, longest function and deepest nesting."""
    if metrics is None:
        return Signal(None, {"metrics": None})
    penalty = (
        w.readability_complexity * _complexity_penalty(metrics, w)
        + w.readability_length * _ramp(metrics.max_function_nloc, w.nloc_ok, w.nloc_bad)
        + w.readability_nesting * _ramp(metrics.max_nesting, w.nesting_ok, w.nesting_bad)
    )
    total = w.readability_complexity + w.readability_length + w.readability_nesting
    return Signal(max(0.0, 1.0 - penalty / (total or 1.0)), metrics.as_dict())


def _ratio_score(mine: float | None, other: float | None, floor: float) -> float | None:
    """1 for the cheaper of the two (or equal), (best+floor)/(mine+floor) for the other."""
    if mine is None:
        return None
    best = mine if other is None else min(mine, other)
    return (best + floor) / (mine + floor)


def _ran_to_completion(run: TestRun | None) -> bool:
    return run is not None and run.verdict in (Verdict.PASSED, Verdict.FAILED)


def efficiency(
    run: TestRun | None,
    other: TestRun | None,
    metrics: CodeMetrics | None,
    w: SignalWeights,
) -> Signal:
    """Run time and peak memory relative to the other response, plus complexity."""
    if run is not None and run.verdict is Verdict.TIME_LIMIT:
        return Signal(0.0, {"verdict": run.verdict.value})
    parts: list[tuple[float, float]] = []
    inputs: dict[str, Any] = {}
    if _ran_to_completion(run):
        assert run is not None
        peer = other if _ran_to_completion(other) else None
        time_score = _ratio_score(run.duration_s, peer.duration_s if peer else None, w.time_floor_s)
        inputs["duration_s"] = run.duration_s
        if time_score is not None:
            parts.append((w.efficiency_time, time_score))
        mem_score = _ratio_score(
            run.peak_memory_mb, peer.peak_memory_mb if peer else None, w.memory_floor_mb
        )
        inputs["peak_memory_mb"] = run.peak_memory_mb
        if mem_score is not None:
            parts.append((w.efficiency_memory, mem_score))
    if metrics is not None:
        parts.append((w.efficiency_complexity, 1.0 - _complexity_penalty(metrics, w)))
        inputs["max_ccn"] = metrics.max_ccn
    weight = sum(p for p, _ in parts)
    if not parts or weight == 0:
        return Signal(None, inputs)
    return Signal(sum(p * s for p, s in parts) / weight, inputs)


def style(result: StyleResult | None, w: SignalWeights) -> Signal:
    """1 - issues per 100 lines / the 'bad' rate, floored at 0."""
    if result is None or not result.available:
        return Signal(None, result.as_dict() if result else {})
    rate = result.per_100_lines or 0.0
    return Signal(max(0.0, 1.0 - rate / max(w.style_issues_per_100_bad, 1e-9)), result.as_dict())


def overall(signals: Mapping[str, Signal], w: SignalWeights) -> float | None:
    """The weighted mean of the available dimensions (weights renormalised)."""
    parts = [(w.overall.get(d, 0.0), s.score) for d, s in signals.items() if s.score is not None]
    weight = sum(p for p, _ in parts)
    if weight == 0:
        return None
    return sum(p * (s or 0.0) for p, s in parts) / weight


def pair_signals(
    runs: Mapping[ResponseKey, TestRun | None],
    findings: Mapping[ResponseKey, Sequence[Finding] | None],
    metrics: Mapping[ResponseKey, CodeMetrics | None],
    styles: Mapping[ResponseKey, StyleResult | None],
    w: SignalWeights | None = None,
) -> dict[ResponseKey, dict[str, Signal]]:
    """The five signals for both responses of a task (efficiency compares the two)."""
    w = w or SignalWeights()
    out: dict[ResponseKey, dict[str, Signal]] = {}
    for key in RESPONSE_KEYS:
        other: ResponseKey = "b" if key == "a" else "a"
        out[key] = {
            "correctness": correctness(runs.get(key), w, findings.get(key)),
            "security": security(findings.get(key), w),
            "readability": readability(metrics.get(key), w),
            "efficiency": efficiency(runs.get(key), runs.get(other), metrics.get(key), w),
            "style": style(styles.get(key), w),
        }
    return out


def automatic_preference(
    a: float | None, b: float | None, w: SignalWeights | None = None
) -> str | None:
    """'A>B', 'B>A' or 'tie' from the overall scores (None when either is unknown)."""
    w = w or SignalWeights()
    if a is None or b is None:
        return None
    if abs(a - b) <= w.tie_margin:
        return "tie"
    return "A>B" if a > b else "B>A"
