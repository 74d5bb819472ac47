"""Sliced agreement of real annotations: figures per language match the references, the
intervals are seeded and sensible, and only submitted annotations count."""

from __future__ import annotations

from collections.abc import Callable

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from coderlhf_tui.domain import Annotation, AnnotationStatus, Preference
from coderlhf_tui.quality.agreement import PREFERENCE, AgreementSettings, compute_agreement
from coderlhf_tui.quality.frame import TaskInfo, build_frame
from tests.quality.factories import DIMENSIONS, annotation, noisy_body


def matrix(
    frame_annotations: list[Annotation],
    task_ids: list[str],
    raters: list[str],
    value: Callable[[Annotation], float],
) -> np.ndarray:
    """``[raters, tasks]`` of ``value(annotation)``, NaN where a rater did not annotate."""
    out = np.full((len(raters), len(task_ids)), np.nan)
    for ann in frame_annotations:
        if ann.task_id in task_ids and ann.annotator in raters:
            out[raters.index(ann.annotator), task_ids.index(ann.task_id)] = value(ann)
    return out


def test_per_language_figures_match_the_reference_libraries() -> None:
    anns, infos = noisy_body(["python", "go"], 80, 2, seed=3)
    frame = build_frame(anns, infos, DIMENSIONS)
    report = compute_agreement(frame, AgreementSettings(bootstrap=200, seed=1))
    for language in ("python", "go"):
        raters = [f"{language}-r0", f"{language}-r1"]
        task_ids = [t for t, info in infos.items() if info.language == language]
        pref = matrix(
            anns, task_ids, raters, lambda a: a.preference.ordinal if a.preference else np.nan
        )
        figures = report.by_language[language][PREFERENCE].figures
        assert figures["cohen_kappa"] == pytest.approx(
            cohen_kappa_score(pref[0], pref[1], labels=range(-2, 3))
        )
        assert figures["cohen_kappa_quadratic"] == pytest.approx(
            cohen_kappa_score(pref[0], pref[1], labels=range(-2, 3), weights="quadratic")
        )
        assert figures["krippendorff_alpha_ordinal"] == pytest.approx(
            krippendorff.alpha(reliability_data=pref, level_of_measurement="ordinal")
        )
        # a dimension: every task-response is an item
        for dim in DIMENSIONS:
            both = np.concatenate(
                [
                    matrix(anns, task_ids, raters, lambda a, k=key, d=dim: a.scores[k][d])
                    for key in "ab"
                ],
                axis=1,
            )
            result = report.by_language[language][dim]
            assert result.n_items == 2 * len(task_ids)
            assert result.figures["cohen_kappa_quadratic"] == pytest.approx(
                cohen_kappa_score(both[0], both[1], labels=range(1, 6), weights="quadratic")
            )
            assert result.figures["krippendorff_alpha_ordinal"] == pytest.approx(
                krippendorff.alpha(reliability_data=both, level_of_measurement="ordinal")
            )


def test_intervals_are_seeded_and_contain_the_estimate() -> None:
    anns, infos = noisy_body(["python", "rust"], 60, 3, seed=8)
    frame = build_frame(anns, infos, DIMENSIONS)
    first = compute_agreement(frame, AgreementSettings(bootstrap=300, seed=5))
    again = compute_agreement(frame, AgreementSettings(bootstrap=300, seed=5))
    other = compute_agreement(frame, AgreementSettings(bootstrap=300, seed=6))
    assert first.to_dict() == again.to_dict()
    assert first.to_dict() != other.to_dict()
    for result in [first.overall[PREFERENCE], first.by_language["rust"]["security"]]:
        for stat, (low, high) in result.ci95.items():
            assert low <= result.figures[stat] <= high, stat
            assert high - low > 0.0


def test_interval_width_shrinks_with_more_tasks() -> None:
    small = build_frame(*noisy_body(["python"], 40, 2, seed=2), DIMENSIONS)
    large = build_frame(*noisy_body(["python"], 640, 2, seed=2), DIMENSIONS)
    settings = AgreementSettings(bootstrap=400, seed=0)
    width = [
        np.subtract(*compute_agreement(f, settings).overall[PREFERENCE].ci95["cohen_kappa"])
        for f in (small, large)
    ]
    assert abs(width[1]) < abs(width[0]) / 2.5  # ~1/sqrt(16) = 1/4 in theory


def test_only_submitted_highest_revision_counts() -> None:
    infos = {"t1": TaskInfo("python", "fix"), "t2": TaskInfo("python", "fix")}
    anns = [
        annotation("t1", "x", Preference.A_BETTER),
        annotation("t1", "y", Preference.A_BETTER),
        annotation("t2", "x", Preference.B_BETTER, revision=1),
        annotation("t2", "x", Preference.A_BETTER, revision=2),
        annotation("t2", "y", Preference.A_BETTER),
        annotation("t2", "z", Preference.B_MUCH_BETTER, status=AnnotationStatus.IN_PROGRESS),
    ]
    frame = build_frame(anns, infos, DIMENSIONS)
    assert frame.size == 4
    report = compute_agreement(frame, AgreementSettings(bootstrap=0))
    assert report.overall[PREFERENCE].figures["percent_agreement"] == 1.0


def test_json_shape_has_the_documented_keys() -> None:
    anns, infos = noisy_body(["python"], 30, 2, seed=4)
    data = compute_agreement(
        build_frame(anns, infos, DIMENSIONS), AgreementSettings(bootstrap=50)
    ).to_dict()
    pref = data["by_language"]["python"]["preference"]
    for key in (
        "cohen_kappa",
        "cohen_kappa_quadratic",
        "krippendorff_alpha_ordinal",
        "percent_agreement",
    ):
        assert isinstance(pref[key], float)
    for dim in DIMENSIONS:
        entry = data["by_language"]["python"][dim]
        assert isinstance(entry["cohen_kappa_quadratic"], float)
        assert isinstance(entry["krippendorff_alpha_ordinal"], float)
    assert set(data["by_annotator"]) == {"python-r0", "python-r1"}
    assert data["by_task_type"]["fix"]["preference"]["n_items"] == 15
