"""Taint findings carry their data flow: source line, intermediate lines, sink line, read
from the real semgrep-core and kept through the store's JSON, the CLI JSON and SARIF."""

from __future__ import annotations

from coderlhf_tui.domain import Language
from coderlhf_tui.scan.batch import ScanItem, scan_batch
from coderlhf_tui.scan.pack import rules
from coderlhf_tui.scan.sarif import SarifTarget, to_sarif
from coderlhf_tui.serialize import finding_from_dict, finding_to_dict
from coderlhf_tui.widgets.finding_detail import describe
from tests.scan.test_sarif import _validate

FLOW = """import os


def handler(request):
    name = request.args.get("name")
    command = "ls " + name
    os.system(command)
"""


def test_taint_finding_has_source_and_sink_lines(semgrep: str) -> None:
    found = scan_batch(
        [ScanItem("flow", Language.PYTHON, FLOW), ScanItem("plain", Language.PYTHON, "x = 1\n")]
    )
    flows = [f for f in found["flow"] if f.trace]
    assert flows, found["flow"]
    trace = flows[0].trace
    assert trace[0].role == "source" and trace[0].line in (4, 5)
    assert trace[-1].role == "sink" and trace[-1].line == 7
    assert "os.system" in trace[-1].text
    assert [s.line for s in trace] == sorted(s.line for s in trace)
    assert found["plain"] == []


def test_trace_survives_the_store_json_sarif_and_the_detail_line(semgrep: str) -> None:
    finding = next(f for f in scan_batch([ScanItem("k", Language.PYTHON, FLOW)])["k"] if f.trace)
    assert finding_from_dict(finding_to_dict(finding)) == finding
    sarif = to_sarif([SarifTarget("t/a.py", FLOW, [finding])])
    result = sarif["runs"][0]["results"][0]
    locations = result["codeFlows"][0]["threadFlows"][0]["locations"]
    lines = [loc["location"]["physicalLocation"]["region"]["startLine"] for loc in locations]
    assert lines == [step.line for step in finding.trace]
    assert locations[-1]["kinds"] == ["sink"]
    _validate(sarif)
    text = describe(finding)
    assert f"source L{finding.trace[0].line}" in text and "sink L7" in text


TAINT_FAMILIES = {
    "python": {"CWE-89", "CWE-78", "CWE-95", "CWE-22", "CWE-79", "CWE-918", "CWE-502"},
    "javascript": {"CWE-89", "CWE-78", "CWE-95", "CWE-22", "CWE-79", "CWE-918", "CWE-502"},
    "typescript": {"CWE-89", "CWE-78", "CWE-95", "CWE-22", "CWE-79", "CWE-918", "CWE-502"},
    "java": {"CWE-89", "CWE-78", "CWE-94", "CWE-22", "CWE-79", "CWE-918", "CWE-502"},
    "php": {"CWE-89", "CWE-78", "CWE-95", "CWE-22", "CWE-79", "CWE-918", "CWE-502"},
    "go": {"CWE-89", "CWE-78", "CWE-22", "CWE-79", "CWE-918"},
    "rust": {"CWE-89", "CWE-78", "CWE-22"},
    "c": {"CWE-78", "CWE-22"},
    "cpp": {"CWE-78", "CWE-22"},
}
"""The injection families each language has data-flow rules for (Go and Rust have no eval
and no code-running deserializer; C has no web framework to take requests from)."""


def test_each_language_has_taint_rules_for_its_injection_families() -> None:
    have: dict[str, set[str]] = {}
    for meta in rules().values():
        if meta.taint:
            for language in meta.languages:
                have.setdefault(language, set()).add(meta.cwe_id)
    missing = {lang: sorted(cwes - have.get(lang, set())) for lang, cwes in TAINT_FAMILIES.items()}
    assert {lang: m for lang, m in missing.items() if m} == {}
