"""The preference scale's arithmetic that every layer relies on."""

from __future__ import annotations

from coderlhf_tui.domain import Preference, Severity, Verdict


def test_preference_ordinals_strength_and_winner() -> None:
    assert [p.ordinal for p in Preference] == [-2, -1, 0, 1, 2]
    assert Preference("B>>A").strength == 2 and Preference("B>>A").winner == "b"
    assert Preference("A>B").winner == "a" and Preference("tie").winner == "tie"


def test_mirroring_swaps_a_and_b() -> None:
    assert Preference("A>>B").mirrored() is Preference.B_MUCH_BETTER
    assert Preference("tie").mirrored() is Preference.TIE
    for p in Preference:
        assert p.mirrored().mirrored() is p


def test_verdict_and_severity_helpers() -> None:
    assert Verdict.PASSED.is_pass and not Verdict.NO_TESTS.is_failure
    assert Verdict.TIME_LIMIT.is_failure and not Verdict.INTERNAL_ERROR.is_failure
    assert Severity.CRITICAL.rank > Severity.HIGH.rank > Severity.INFO.rank
