"""Inter-annotator agreement of a body of annotations, sliced the way buyers ask for it.

For the preference (five ordered levels, one item per task) and for each rubric dimension
(one item per task-response), this computes Cohen's kappa (unweighted and quadratic,
pooled over annotator pairs and per pair), Fleiss' kappa, Krippendorff's alpha (ordinal)
and percent agreement, overall and per language, per task type and per annotator, each
slice with seeded 95% bootstrap intervals (see ``measure``). The result is plain data
(``AgreementReport.to_dict``) for the report, the data card and the export.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from coderlhf_tui.quality.bootstrap import BootstrapTarget, bootstrap_intervals
from coderlhf_tui.quality.frame import MISSING, AnnotationFrame
from coderlhf_tui.quality.measure import STATISTICS, SliceAgreement, from_patterns
from coderlhf_tui.quality.patterns import Ratings, build_patterns

PREFERENCE = "preference"
"""The target name of the preference, beside the dimension names."""

OVERALL = "__overall__"
"""The bootstrap's key for the whole body of annotations."""


@dataclass(frozen=True, slots=True)
class AgreementSettings:
    """How agreement is computed: bootstrap size and seed, and the pair threshold."""

    bootstrap: int = 1000
    seed: int = 0
    min_shared: int = 10
    """A rater pair is listed on its own when it shares at least this many items."""


@dataclass(slots=True)
class AgreementReport:
    """Every slice: ``slices[group][name][target]``; group is overall, language or task type."""

    settings: AgreementSettings
    annotators: list[str]
    targets: list[str]
    overall: dict[str, SliceAgreement] = field(default_factory=dict)
    by_language: dict[str, dict[str, SliceAgreement]] = field(default_factory=dict)
    by_task_type: dict[str, dict[str, SliceAgreement]] = field(default_factory=dict)

    def by_annotator(self) -> dict[str, dict[str, dict[str, float]]]:
        """Each annotator's pooled agreement with the others, per target (overall slice)."""
        out: dict[str, dict[str, dict[str, float]]] = {}
        for target, result in self.overall.items():
            for code, figures in result.per_rater.items():
                out.setdefault(self.annotators[code], {})[target] = figures
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: NaN becomes None; intervals are [low, high] lists."""
        return {
            "settings": {
                "bootstrap": self.settings.bootstrap,
                "seed": self.settings.seed,
                "min_shared": self.settings.min_shared,
                "confidence": 0.95,
                "pooled_cohen": "shared-item-weighted mean of pair disagreements (De Vries 2008)",
            },
            "targets": list(self.targets),
            "overall": self._targets_dict(self.overall),
            "by_language": {k: self._targets_dict(v) for k, v in self.by_language.items()},
            "by_task_type": {k: self._targets_dict(v) for k, v in self.by_task_type.items()},
            "by_annotator": {
                name: {t: {k: _clean(v) for k, v in figs.items()} for t, figs in targets.items()}
                for name, targets in self.by_annotator().items()
            },
        }

    def _targets_dict(self, slices: dict[str, SliceAgreement]) -> dict[str, Any]:
        return {target: self._slice_dict(result) for target, result in slices.items()}

    def _slice_dict(self, result: SliceAgreement) -> dict[str, Any]:
        out: dict[str, Any] = {name: _clean(result.figures.get(name)) for name in STATISTICS}
        out.update(
            n_items=result.n_items,
            n_ratings=result.n_ratings,
            n_annotators=result.n_raters,
            ci95={k: [_clean(lo), _clean(hi)] for k, (lo, hi) in result.ci95.items()},
            pairs=[
                {
                    "annotators": [self.annotators[p.rater_a], self.annotators[p.rater_b]],
                    "shared": p.shared,
                    "cohen_kappa": _clean(p.cohen_kappa),
                    "cohen_kappa_quadratic": _clean(p.cohen_kappa_quadratic),
                    "percent_agreement": _clean(p.percent_agreement),
                }
                for p in result.pairs
            ],
        )
        return out


def _clean(value: float | None) -> float | None:
    """A float for JSON: None for NaN or a missing value, rounded to 6 places."""
    if value is None or math.isnan(value):
        return None
    return round(float(value), 6)


def target_ratings(
    frame: AnnotationFrame, target: str, mask: NDArray[np.bool_], by: str = "language"
) -> Ratings:
    """The ratings of one target within the rows selected by ``mask``, stratified ``by``
    language or task type (patterns never mix strata, so slices are pattern subsets).

    The preference: item = task, value = ordinal + 2 (0..4). A dimension: item = task x
    response (2 per task), value = level - scale minimum.
    """
    strata = frame.task_type if by == "task_type" else frame.language
    if target == PREFERENCE:
        keep = mask & (frame.preference != MISSING)
        return Ratings(
            item=frame.task[keep],
            rater=frame.annotator[keep],
            value=frame.preference[keep] + 2,
            k=5,
            stratum=strata[keep],
        )
    column = frame.dimensions.index(target)
    levels = frame.scores[:, :, column]
    keep = mask[:, None] & (levels != MISSING)
    rows, side = np.nonzero(keep)
    return Ratings(
        item=frame.task[rows] * 2 + side,
        rater=frame.annotator[rows],
        value=np.clip(levels[rows, side] - frame.scale_min, 0, frame.levels - 1),
        k=frame.levels,
        stratum=strata[rows],
    )


@dataclass(slots=True)
class _TargetFigures:
    """One target's point figures in every slice, and its bootstrap input."""

    overall: SliceAgreement
    by_language: dict[str, SliceAgreement]
    by_task_type: dict[str, SliceAgreement]
    boot: BootstrapTarget


def _target_figures(
    frame: AnnotationFrame, target: str, settings: AgreementSettings
) -> _TargetFigures:
    everything = np.ones(frame.size, dtype=np.bool_)
    patterns = build_patterns(target_ratings(frame, target, everything))
    slices: dict[str, NDArray[np.bool_] | None] = {OVERALL: None}
    by_language = {}
    for code, language in enumerate(frame.languages):
        slices[language] = rows = patterns.stratum == code
        by_language[language] = from_patterns(patterns.subset(rows), min_shared=settings.min_shared)
    by_type = build_patterns(target_ratings(frame, target, everything, by="task_type"))
    by_task_type = {
        task_type: from_patterns(
            by_type.subset(by_type.stratum == code), min_shared=settings.min_shared
        )
        for code, task_type in enumerate(frame.task_types)
    }
    return _TargetFigures(
        overall=from_patterns(patterns, min_shared=settings.min_shared),
        by_language=by_language,
        by_task_type=by_task_type,
        boot=BootstrapTarget(patterns, 1 if target == PREFERENCE else 2, slices),
    )


def compute_agreement(
    frame: AnnotationFrame, settings: AgreementSettings | None = None
) -> AgreementReport:
    """Agreement overall, per language and per task type (and per annotator, derived).

    Overall and per-language slices get bootstrap intervals (``bootstrap``); task-type
    slices get point figures only. Targets are computed on as many threads as there are
    cores (numpy releases the GIL); the results do not depend on the thread count.
    """
    settings = settings or AgreementSettings()
    targets = [PREFERENCE, *frame.dimensions]
    report = AgreementReport(settings=settings, annotators=list(frame.annotators), targets=targets)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        computed = list(pool.map(lambda t: _target_figures(frame, t, settings), targets))
    for target, figures in zip(targets, computed, strict=True):
        report.overall[target] = figures.overall
        for language, result in figures.by_language.items():
            report.by_language.setdefault(language, {})[target] = result
        for task_type, result in figures.by_task_type.items():
            report.by_task_type.setdefault(task_type, {})[target] = result
    task_language = np.zeros(len(frame.tasks), dtype=np.int64)
    task_language[frame.task] = frame.language
    intervals = bootstrap_intervals(
        {target: figures.boot for target, figures in zip(targets, computed, strict=True)},
        task_language,
        replicates=settings.bootstrap,
        seed=settings.seed,
    )
    for target, per_slice in intervals.items():
        for key, ci in per_slice.items():
            result = report.overall[target] if key == OVERALL else report.by_language[key][target]
            result.ci95.update(ci)
    return report
