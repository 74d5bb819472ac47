"""Per-annotator figures (position bias, time, gold), the disagreement queue and the
spot-check sample, on small bodies whose right answers are known by construction."""

from __future__ import annotations

from pathlib import Path

import pytest
from statsmodels.stats.proportion import proportion_confint

from coderlhf_tui.config import ConfigError
from coderlhf_tui.domain import Preference
from coderlhf_tui.quality.annotators import annotator_stats, wilson_interval
from coderlhf_tui.quality.disagreement import rank_disagreements
from coderlhf_tui.quality.frame import TaskInfo, build_frame
from coderlhf_tui.quality.settings import QualitySettings
from coderlhf_tui.quality.spotcheck import allocate, spot_check
from tests.quality.factories import DIMENSIONS, annotation, noisy_body

P = Preference


def test_position_bias_counts_the_left_shown_winner() -> None:
    infos = {f"t{i}": TaskInfo("python", "fix") for i in range(30)}
    anns = []
    for i in range(30):
        # "lefty" always picks whatever was on the left; A is on the left for even tasks
        order = "ab" if i % 2 == 0 else "ba"
        anns.append(
            annotation(
                f"t{i}", "lefty", P.A_BETTER if order == "ab" else P.B_BETTER, shown_order=order
            )
        )
        # "fair" always picks A, whatever side it was on
        anns.append(
            annotation(
                f"t{i}", "fair", P.A_MUCH_BETTER, shown_order=order, time_spent_s=10.0 * (i + 1)
            )
        )
    anns.append(annotation("t0", "tier", P.TIE))
    stats = {
        s.annotator: s
        for s in annotator_stats(build_frame(anns, infos, DIMENSIONS), QualitySettings())
    }
    assert stats["lefty"].position_bias == 1.0
    assert any("position bias" in f for f in stats["lefty"].flags)
    assert stats["fair"].position_bias == 0.5 and stats["fair"].flags == []
    assert stats["fair"].time_median_s == pytest.approx(155.0)
    assert stats["tier"].position_bias is None and stats["tier"].ties == 1


def test_gold_accuracy_and_flag_below_threshold() -> None:
    infos = {f"g{i}": TaskInfo("go", "fix", gold=P.B_BETTER.ordinal) for i in range(10)}
    anns = [annotation(f"g{i}", "good", P.B_MUCH_BETTER) for i in range(10)]
    anns += [annotation(f"g{i}", "poor", P.B_BETTER if i < 5 else P.A_BETTER) for i in range(10)]
    frame = build_frame(anns, infos, DIMENSIONS)
    direction = {s.annotator: s for s in annotator_stats(frame, QualitySettings())}
    assert direction["good"].gold_accuracy == 1.0 and direction["good"].flags == []
    assert direction["poor"].gold_accuracy == 0.5
    assert any("gold accuracy 50%" in f for f in direction["poor"].flags)
    exact = {s.annotator: s for s in annotator_stats(frame, QualitySettings(gold_match="exact"))}
    assert exact["good"].gold_accuracy == 0.0  # B>>A is not exactly B>A
    lenient = QualitySettings(gold_threshold=0.4)
    assert all(not s.flags for s in annotator_stats(frame, lenient))


def test_wilson_interval_matches_statsmodels() -> None:
    for successes, trials in [(0, 10), (7, 10), (45, 50), (10, 10)]:
        low, high = proportion_confint(successes, trials, method="wilson")
        assert wilson_interval(successes, trials) == pytest.approx((low, high))


def test_disagreement_ranking_puts_opposite_winners_first() -> None:
    infos = {t: TaskInfo("python", "fix") for t in ("agree", "mild", "opposed", "single")}
    same = {"a": dict.fromkeys(DIMENSIONS, 3), "b": dict.fromkeys(DIMENSIONS, 3)}
    apart = {"a": dict.fromkeys(DIMENSIONS, 1), "b": dict.fromkeys(DIMENSIONS, 5)}
    anns = [
        annotation("agree", "x", P.A_BETTER, same),
        annotation("agree", "y", P.A_BETTER, same),
        annotation("mild", "x", P.A_BETTER, same),
        annotation("mild", "y", P.A_MUCH_BETTER, apart),
        annotation("opposed", "x", P.A_MUCH_BETTER, same),
        annotation("opposed", "z", P.B_MUCH_BETTER, same),
        annotation("single", "x", P.B_BETTER, same),
    ]
    frame = build_frame(anns, infos, DIMENSIONS)
    ranked = rank_disagreements(frame)
    assert [d.task_id for d in ranked] == ["opposed", "mild", "agree"]
    assert ranked[0].winner_conflict and ranked[0].preference_range == 4
    assert ranked[1].spread["security"] == 2
    assert rank_disagreements(frame, dimension="style")[0].task_id == "mild"
    assert [d.task_id for d in rank_disagreements(frame, annotator="z")] == ["opposed"]
    assert [d.task_id for d in rank_disagreements(frame, exclude_tasks={"opposed"})] == [
        "mild",
        "agree",
    ]
    assert rank_disagreements(frame, language="go") == []


def test_spot_check_is_stratified_and_seeded() -> None:
    anns, infos = noisy_body(["python", "go"], 40, 3, seed=1)
    frame = build_frame(anns, infos, DIMENSIONS)
    sample = spot_check(frame, 12, seed=4)
    assert len(sample) == 12
    assert {(s.language, s.annotator) for s in sample} == {
        (a.split("-")[0], a) for a in frame.annotators
    }
    assert sample == spot_check(frame, 12, seed=4)
    assert sample != spot_check(frame, 12, seed=5)
    assert len(spot_check(frame, 10_000, seed=0)) == frame.size
    assert {s.language for s in spot_check(frame, 5, seed=0, language="go")} == {"go"}


def test_allocation_is_proportional_with_a_floor() -> None:
    assert allocate([90, 10], 10) == [9, 1]
    assert allocate([98, 1, 1], 5) == [3, 1, 1]
    assert allocate([5, 5], 100) == [5, 5]
    assert sum(allocate([7, 3, 0, 11], 9)) == 9


def test_quality_settings_from_config(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("quality: {gold_threshold: 0.8, bootstrap: 200}\n")
    settings = QualitySettings.from_config(path)
    assert settings.gold_threshold == 0.8 and settings.bootstrap == 200
    path.write_text("quality: {gold_treshold: 0.8}\n")
    with pytest.raises(ConfigError, match=r"quality\.gold_treshold: unknown setting"):
        QualitySettings.from_config(path)
    path.write_text("quality: {bootstrap: many}\n")
    with pytest.raises(ConfigError, match="expected int"):
        QualitySettings.from_config(path)
