"""Per-annotator statistics: volume, time on task, position bias and gold accuracy.

Position bias is the share of an annotator's non-tie preferences that chose the response
shown on the left (``shown_order`` "ab" puts A on the left); an unbiased annotator sits
near 0.5 because the app randomises the order. Gold accuracy compares preferences on
gold tasks with the known answer. Both get a Wilson 95% interval, and annotators beyond
the configured thresholds are flagged, with the reason.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from coderlhf_tui.quality.frame import MISSING, AnnotationFrame
from coderlhf_tui.quality.settings import QualitySettings


@dataclass(frozen=True, slots=True)
class AnnotatorStats:
    """One annotator's figures; rates are None when there is nothing to rate."""

    annotator: str
    annotations: int
    languages: list[str]
    ties: int
    left_preferred: int
    non_tie: int
    position_bias: float | None
    position_bias_ci95: tuple[float, float] | None
    time_median_s: float | None
    time_mean_s: float | None
    time_p90_s: float | None
    gold_tasks: int
    gold_correct: int
    gold_accuracy: float | None
    gold_accuracy_ci95: tuple[float, float] | None
    flags: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (intervals as lists)."""
        out = asdict(self)
        for key in ("position_bias_ci95", "gold_accuracy_ci95"):
            out[key] = list(out[key]) if out[key] is not None else None
        return out


def wilson_interval(
    successes: int, trials: int, z: float = 1.959963984540054
) -> tuple[float, float]:
    """The Wilson score interval of a proportion (sensible for small counts and 0 or 1)."""
    if trials == 0:
        return (math.nan, math.nan)
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


def gold_correct(frame: AnnotationFrame, match: str) -> np.ndarray:
    """Per row: 1 when the preference matches the gold answer, 0 when not, -1 for no gold."""
    has = (frame.gold != MISSING) & (frame.preference != MISSING)
    if match == "exact":
        right = frame.preference == frame.gold
    else:
        right = np.sign(frame.preference) == np.sign(frame.gold)
    return np.where(has, right.astype(np.int64), -1)


def annotator_stats(frame: AnnotationFrame, settings: QualitySettings) -> list[AnnotatorStats]:
    """The figures of every annotator in the frame, in name order."""
    n = len(frame.annotators)
    who = frame.annotator
    pref = frame.preference
    has_pref = pref != MISSING
    non_tie = has_pref & (pref != 0)
    left_won = non_tie & ((pref < 0) == frame.left_is_a)
    counts = np.bincount(who, minlength=n)
    ties = np.bincount(who, weights=has_pref & (pref == 0), minlength=n)
    non_ties = np.bincount(who, weights=non_tie, minlength=n)
    lefts = np.bincount(who, weights=left_won, minlength=n)
    gold = gold_correct(frame, settings.gold_match)
    gold_n = np.bincount(who, weights=gold >= 0, minlength=n)
    gold_ok = np.bincount(who, weights=gold == 1, minlength=n)
    order = np.argsort(who, kind="stable")
    bounds = np.searchsorted(who[order], np.arange(n + 1))
    out = []
    for code, name in enumerate(frame.annotators):
        rows = order[bounds[code] : bounds[code + 1]]
        times = frame.time_s[rows]
        times = times[times > 0]
        stats = AnnotatorStats(
            annotator=name,
            annotations=int(counts[code]),
            languages=sorted({frame.languages[i] for i in np.unique(frame.language[rows])}),
            ties=int(ties[code]),
            left_preferred=int(lefts[code]),
            non_tie=int(non_ties[code]),
            position_bias=_share(lefts[code], non_ties[code]),
            position_bias_ci95=_interval(lefts[code], non_ties[code]),
            time_median_s=float(np.median(times)) if times.size else None,
            time_mean_s=float(times.mean()) if times.size else None,
            time_p90_s=float(np.percentile(times, 90)) if times.size else None,
            gold_tasks=int(gold_n[code]),
            gold_correct=int(gold_ok[code]),
            gold_accuracy=_share(gold_ok[code], gold_n[code]),
            gold_accuracy_ci95=_interval(gold_ok[code], gold_n[code]),
        )
        stats.flags.extend(flags_for(stats, settings))
        out.append(stats)
    return out


def flags_for(stats: AnnotatorStats, settings: QualitySettings) -> list[str]:
    """Why an annotator needs a lead's attention (empty when they do not)."""
    flags = []
    if (
        stats.gold_accuracy is not None
        and stats.gold_tasks >= settings.gold_min_tasks
        and stats.gold_accuracy < settings.gold_threshold
    ):
        flags.append(
            f"gold accuracy {stats.gold_accuracy:.0%} < {settings.gold_threshold:.0%}"
            f" on {stats.gold_tasks} gold tasks"
        )
    if (
        stats.position_bias is not None
        and stats.non_tie >= settings.position_bias_min
        and abs(stats.position_bias - 0.5) > settings.position_bias_threshold - 0.5
    ):
        flags.append(
            f"position bias: left preferred {stats.position_bias:.0%} of {stats.non_tie} times"
        )
    return flags


def _share(part: float, whole: float) -> float | None:
    return float(part / whole) if whole else None


def _interval(part: float, whole: float) -> tuple[float, float] | None:
    return wilson_interval(int(part), int(whole)) if whole else None
