"""The signal weights and thresholds, read from rubric.yaml's optional ``signals:`` section.

Every key is optional; an unknown key or a value of the wrong type is an error naming the
key, because a silently ignored weight would skew every automatic score without notice.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from coderlhf_tui.domain import Severity


class SignalWeightsError(ValueError):
    """The ``signals`` section of the rubric is malformed; the message names the key."""


def _severity_defaults() -> dict[str, float]:
    return {"CRITICAL": 1.0, "HIGH": 0.8, "MEDIUM": 0.4, "LOW": 0.15, "INFO": 0.0}


def _confidence_defaults() -> dict[str, float]:
    return {"HIGH": 1.0, "MEDIUM": 0.8, "LOW": 0.5}


def _overall_defaults() -> dict[str, float]:
    return {
        "correctness": 0.4,
        "security": 0.25,
        "readability": 0.1,
        "efficiency": 0.15,
        "style": 0.1,
    }


@dataclass(frozen=True, slots=True)
class SignalWeights:
    """Everything the formulas of docs/signals.md leave to configuration."""

    severity: dict[str, float] = field(default_factory=_severity_defaults)
    confidence: dict[str, float] = field(default_factory=_confidence_defaults)
    overall: dict[str, float] = field(default_factory=_overall_defaults)
    failed_partial_credit: float = 0.8
    crashed_credit: float = 0.1
    ccn_ok: float = 10.0
    ccn_bad: float = 30.0
    nloc_ok: float = 40.0
    nloc_bad: float = 120.0
    nesting_ok: float = 3.0
    nesting_bad: float = 7.0
    readability_complexity: float = 0.4
    readability_length: float = 0.3
    readability_nesting: float = 0.3
    efficiency_time: float = 0.5
    efficiency_memory: float = 0.3
    efficiency_complexity: float = 0.2
    time_floor_s: float = 0.05
    memory_floor_mb: float = 8.0
    style_issues_per_100_bad: float = 20.0
    tie_margin: float = 0.05

    def severity_weight(self, severity: Severity) -> float:
        """The penalty one finding of this severity adds (before confidence)."""
        return self.severity.get(severity.value, 0.0)

    @classmethod
    def from_mapping(cls, raw: dict[str, Any] | None, source: str = "rubric.yaml") -> SignalWeights:
        """Defaults overridden by ``raw`` (the rubric's ``signals`` mapping)."""
        if not raw:
            return cls()
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in raw.items():
            where = f"{source}: signals.{key}"
            if key not in known:
                raise SignalWeightsError(f"{where}: unknown key (known: {', '.join(known)})")
            default = getattr(cls(), key)
            if isinstance(default, dict):
                if not isinstance(value, dict):
                    raise SignalWeightsError(f"{where}: expected a mapping")
                unknown = set(value) - set(default)
                if unknown:
                    raise SignalWeightsError(f"{where}: unknown entries {sorted(unknown)}")
                given = {k: _number(v, f"{where}.{k}") for k, v in value.items()}
                values[key] = {**default, **given}
            else:
                values[key] = _number(value, where)
        return cls(**values)


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise SignalWeightsError(f"{where}: expected a number >= 0, got {value!r}")
    return float(value)
