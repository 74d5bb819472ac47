"""Taint findings carry their data flow: source line, intermediate lines, sink line, read
from the real semgrep-core and kept through the store's JSON, the CLI JSON and SARIF."""

from __future__ import annotations

from coderlhf_tui.domain import Language
from coderlhf_tui.scan.batch import ScanItem, scan_batch
from coderlhf_tui.scan.sarif import SarifTarget, to_sarif
from coderlhf_tui.serialize import finding_from_dict, finding_to_dict
from coderlhf_tui.widgets.finding_detail import describe

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
    text = describe(finding)
    assert f"source L{finding.trace[0].line}" in text and "sink L7" in text
