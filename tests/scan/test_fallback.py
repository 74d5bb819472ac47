"""Which regex fallback findings survive: only in unparsed regions, never duplicating."""

from __future__ import annotations

from coderlhf_tui.domain import Confidence, Finding, Severity
from coderlhf_tui.scan.fallback import WHOLE_FILE, dedupe, keep_fallback, unparsed_regions


def finding(
    line: int,
    cwe: str = "CWE-78",
    severity: Severity = Severity.HIGH,
    rule: str = "r",
    confidence: Confidence = Confidence.MEDIUM,
) -> Finding:
    return Finding(rule, cwe, "t", severity, line, line, "m", confidence=confidence)


def test_partial_parsing_spans_become_line_ranges() -> None:
    errors = [
        {
            "path": "r000001/response.py",
            "type": ["PartialParsing", [{}]],
            "spans": [{"start": {"line": 3}, "end": {"line": 7}}],
        },
        {"path": "r000002/response.js", "type": "Syntax error", "spans": []},
        {"level": "warn", "message": "no path"},
    ]
    regions = unparsed_regions(errors)
    assert regions == {"r000001/response.py": [(3, 7)], "r000002/response.js": [WHOLE_FILE]}


def test_fallback_kept_only_inside_regions_and_not_twice() -> None:
    precise = [finding(4)]
    fallback = [finding(2), finding(4), finding(5), finding(9)]
    kept = keep_fallback(fallback, precise, [(3, 7)])
    assert [f.start_line for f in kept] == [5]
    assert keep_fallback(fallback, precise, []) == []


def test_dedupe_keeps_the_most_severe_rule_per_line_and_cwe() -> None:
    info = finding(3, "CWE-338", Severity.INFO, "generic", Confidence.LOW)
    high = finding(3, "CWE-338", Severity.HIGH, "secret")
    other = finding(3, "CWE-328", Severity.MEDIUM, "hash")
    assert dedupe([info, high, other]) == [high, other]
