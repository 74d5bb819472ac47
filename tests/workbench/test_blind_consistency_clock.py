"""Blind order, consistency warnings and active-time accounting (pure logic)."""

from __future__ import annotations

from collections import Counter

from coderlhf_tui.domain import (
    Annotation,
    Confidence,
    Finding,
    Preference,
    Severity,
    TestRun,
    Verdict,
)
from coderlhf_tui.rubric import load_rubric
from coderlhf_tui.workbench.blind import SideMap, blind_order
from coderlhf_tui.workbench.clock import ActiveClock
from coderlhf_tui.workbench.consistency import consistency_warnings

DIMS = ("correctness", "security", "readability", "efficiency", "style")


def test_blind_order_is_stable_and_balanced() -> None:
    assert blind_order("ak", "t1") == blind_order("ak", "t1")
    orders = Counter(blind_order("ak", f"task-{i}") for i in range(2000))
    assert set(orders) == {"ab", "ba"}
    assert 900 < orders["ab"] < 1100
    per_annotator = {blind_order(name, "same-task") for name in ("a", "b", "c", "d", "e", "f")}
    assert per_annotator == {"ab", "ba"}


def test_side_map_translates_both_ways() -> None:
    swapped = SideMap("ba")
    assert swapped.key("left") == "b" and swapped.key("right") == "a"
    assert swapped.side("a") == "right"
    # "left much better" on a swapped screen means B much better in task terms
    assert swapped.to_task(-2) is Preference.B_MUCH_BETTER
    assert swapped.to_screen(Preference.B_MUCH_BETTER) == -2
    straight = SideMap("ab")
    assert straight.to_task(1) is Preference.A_BETTER.mirrored()
    for ordinal in range(-2, 3):
        assert swapped.to_screen(swapped.to_task(ordinal)) == ordinal


def _ann(pref: Preference, a: dict[str, int], b: dict[str, int]) -> Annotation:
    return Annotation(id="x", task_id="t", annotator="ak", preference=pref, scores={"a": a, "b": b})


def _finding(severity: Severity) -> Finding:
    return Finding("r", "CWE-89", "SQL Injection", severity, 3, 3, "m", Confidence.HIGH)


def test_preference_against_scores_warns_both_ways() -> None:
    rubric = load_rubric()
    even = dict.fromkeys(DIMS, 3)
    better = dict.fromkeys(DIMS, 4)
    warnings = consistency_warnings(_ann(Preference.B_BETTER, better, even), rubric, {}, {})
    assert warnings and "B is preferred" in warnings[0]
    mirror = consistency_warnings(_ann(Preference.A_MUCH_BETTER, even, better), rubric, {}, {})
    assert mirror and "A is preferred" in mirror[0]
    assert consistency_warnings(_ann(Preference.A_BETTER, better, even), rubric, {}, {}) == []
    # equal on every dimension still warns: nothing supports the preference
    assert consistency_warnings(_ann(Preference.B_BETTER, even, even), rubric, {}, {})
    assert consistency_warnings(_ann(Preference.TIE, better, even), rubric, {}, {}) == []


def test_evidence_warnings() -> None:
    rubric = load_rubric()
    top = dict.fromkeys(DIMS, 5)
    low = dict.fromkeys(DIMS, 2)
    ann = _ann(Preference.A_BETTER, top, low)
    runs = {"a": TestRun(Verdict.FAILED, failed=1), "b": None}
    findings = {"a": [_finding(Severity.HIGH)], "b": [_finding(Severity.CRITICAL)]}
    warnings = consistency_warnings(ann, rubric, runs, findings)
    assert any("A fails its tests" in w for w in warnings)
    assert any("A has a HIGH security finding" in w for w in warnings)
    assert not any("Response B" in w for w in warnings)  # B was not scored top
    medium = {"a": [_finding(Severity.MEDIUM)]}
    passing = {"a": TestRun(Verdict.PASSED), "b": TestRun(Verdict.NO_TESTS)}
    assert consistency_warnings(ann, rubric, passing, medium) == []


def test_active_clock_caps_idle_gaps() -> None:
    clock = ActiveClock(base_s=10.0, started_at=100.0, idle_cap_s=60.0)
    clock.touch(130.0)  # 30 s of work
    clock.touch(1130.0)  # away for 1000 s: counts 60
    assert clock.total(1130.0) == 100.0
    clock.pause(1140.0)  # 10 more
    assert clock.total(5000.0) == 110.0  # paused: nothing accrues
    clock.touch(6000.0)  # resuming does not count the pause
    assert clock.total(6005.0) == 115.0
