"""The signal formulas on real evidence: real lizard, real ruff, real runs' shapes."""

from __future__ import annotations

import pytest

from coderlhf_tui.domain import Confidence, Finding, Language, Severity, TestRun, Verdict
from coderlhf_tui.rubric import load_rubric
from coderlhf_tui.scan.signals import SignalWeights, SignalWeightsError, pair_signals
from coderlhf_tui.scan.signals.compute import (
    automatic_preference,
    correctness,
    efficiency,
    overall,
    readability,
    security,
)
from coderlhf_tui.scan.signals.metrics import code_metrics
from coderlhf_tui.scan.signals.style import ruff_style, style_of

W = SignalWeights()

FLAT = "def total(xs):\n    return sum(xs)\n"
TANGLED = (
    "def f(a, b, c, d):\n"
    + "".join("    " * (i + 1) + f"if a > {i} and b < {i} or c == {i}:\n" for i in range(9))
    + "    " * 10
    + "return d\n"
    + "    return 0\n"
)


def run(
    verdict: Verdict, passed: int = 0, failed: int = 0, s: float = 0.2, mb: float = 20
) -> TestRun:
    return TestRun(verdict, passed=passed, failed=failed, duration_s=s, peak_memory_mb=mb)


def finding(severity: Severity, confidence: Confidence = Confidence.HIGH) -> Finding:
    return Finding("r", "CWE-89", "t", severity, 1, 1, "m", confidence=confidence)


def test_correctness_from_verdicts() -> None:
    assert correctness(run(Verdict.PASSED, 4), W).score == 1.0
    assert correctness(run(Verdict.FAILED, 3, 1), W).score == pytest.approx(0.6)
    assert correctness(run(Verdict.COMPILE_ERROR), W).score == 0.0
    assert correctness(run(Verdict.TIME_LIMIT), W).score == W.crashed_credit
    assert correctness(run(Verdict.NO_TESTS), W).score is None
    assert correctness(None, W).level() is None
    assert correctness(run(Verdict.PASSED), W).level() == 5


def test_security_weights_severity_and_confidence() -> None:
    assert security([], W).score == 1.0
    assert security([finding(Severity.CRITICAL)], W).level() == 1
    medium = security([finding(Severity.MEDIUM)], W)
    assert medium.score == pytest.approx(0.6) and medium.inputs["by_severity"] == {"MEDIUM": 1}
    unsure = security([finding(Severity.HIGH, Confidence.LOW)], W).score
    sure = security([finding(Severity.HIGH, Confidence.HIGH)], W).score
    assert unsure is not None and sure is not None and unsure > sure
    assert security([finding(Severity.INFO)], W).score == 1.0
    assert security(None, W).score is None


def test_readability_and_complexity_from_lizard() -> None:
    flat = code_metrics(Language.PYTHON, FLAT)
    tangled = code_metrics(Language.PYTHON, TANGLED)
    assert flat is not None and tangled is not None
    assert tangled.max_ccn > 15 and tangled.max_nesting >= 5
    assert readability(flat, W).score == 1.0
    score = readability(tangled, W).score
    assert score is not None and score < 0.75
    assert code_metrics(Language.SQL, "SELECT 1;") is None
    go = code_metrics(
        Language.GO,
        "package m\nfunc f(x int) int {\n\tif x > 0 {\n\t\treturn 1\n\t}\n\treturn 0\n}\n",
    )
    assert go is not None and go.functions == 1 and go.max_ccn == 2


def test_efficiency_is_relative_to_the_other_response() -> None:
    fast, slow = run(Verdict.PASSED, s=0.2, mb=20), run(Verdict.PASSED, s=2.0, mb=200)
    metrics = code_metrics(Language.PYTHON, FLAT)
    a = efficiency(fast, slow, metrics, W).score
    b = efficiency(slow, fast, metrics, W).score
    assert a == 1.0 and b is not None and b < 0.5
    assert efficiency(run(Verdict.TIME_LIMIT), fast, metrics, W).score == 0.0
    alone = efficiency(run(Verdict.COMPILE_ERROR), fast, None, W)
    assert alone.score is None


def test_style_counts_ruff_issues_per_100_lines() -> None:
    clean = ruff_style("def total(xs: list[int]) -> int:\n    return sum(xs)\n")
    messy = ruff_style("import os,sys\ndef F( x ):\n  l=[i for i in x]\n  return l==None\n")
    assert clean.available and clean.issues == 0
    assert messy.available and messy.issues >= 3 and (messy.per_100_lines or 0) > 50
    assert not style_of(Language.JAVA, "class A {}").available
    assert not style_of(Language.GO, "package m", backend=None).available


def test_pair_signals_overall_and_automatic_preference() -> None:
    metrics = code_metrics(Language.PYTHON, FLAT)
    signals = pair_signals(
        runs={"a": run(Verdict.PASSED, 3), "b": run(Verdict.FAILED, 1, 2)},
        findings={"a": [], "b": [finding(Severity.CRITICAL)]},
        metrics={"a": metrics, "b": metrics},
        styles={"a": None, "b": None},
    )
    a, b = overall(signals["a"], W), overall(signals["b"], W)
    assert a is not None and b is not None and a > b
    assert signals["a"]["style"].score is None  # unavailable dimensions are left out
    assert automatic_preference(a, b) == "A>B"
    assert automatic_preference(0.5, 0.52) == "tie"
    assert automatic_preference(None, 0.5) is None


def test_weights_come_from_the_rubric_and_bad_keys_are_named() -> None:
    weights = SignalWeights.from_mapping(load_rubric(None).signals)
    assert weights.overall["correctness"] == 0.4
    custom = SignalWeights.from_mapping({"severity": {"LOW": 0.5}, "ccn_ok": 5})
    assert custom.severity["LOW"] == 0.5 and custom.severity["HIGH"] == 0.8
    assert custom.ccn_ok == 5.0
    with pytest.raises(SignalWeightsError, match=r"signals\.colour: unknown key"):
        SignalWeights.from_mapping({"colour": 1})
    with pytest.raises(SignalWeightsError, match=r"signals\.severity: unknown entries"):
        SignalWeights.from_mapping({"severity": {"SEVERE": 1}})
    with pytest.raises(SignalWeightsError, match="expected a number"):
        SignalWeights.from_mapping({"tie_margin": "small"})
