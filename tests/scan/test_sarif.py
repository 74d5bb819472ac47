"""SARIF output, validated against the SARIF 2.1.0 JSON schema (a local copy, no network)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from coderlhf_tui.domain import Language
from coderlhf_tui.scan.batch import ScanItem, scan_batch
from coderlhf_tui.scan.sarif import FINGERPRINT_KEY, SarifTarget, cwe_tag, to_sarif, write_sarif

SCHEMA = Path(__file__).parent / "fixtures" / "sarif-schema-2.1.0.json"

PY = (
    "import hashlib, os\n\ndef f(cmd, data):\n"
    "    os.system('x ' + cmd)\n    return hashlib.md5(data)\n"
)
C = "#include <stdio.h>\nvoid g(char *b) {\n  gets(b);\n}\n"


def _validate(log: dict[str, object]) -> None:
    schema = json.loads(SCHEMA.read_text())
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    errors = sorted(validator_class(schema).iter_errors(log), key=lambda e: list(e.path))
    assert [f"{list(e.path)}: {e.message}" for e in errors] == []


def _targets(py: str = PY) -> list[SarifTarget]:
    found = scan_batch([ScanItem("p", Language.PYTHON, py), ScanItem("c", Language.C, C)])
    return [
        SarifTarget("t1/a.py", py, found["p"], {"taskId": "t1", "responseId": "a"}),
        SarifTarget("t1/b.c", C, found["c"], {"taskId": "t1", "responseId": "b"}),
        SarifTarget("t2/a.py", "x = 1\n", []),
    ]


def test_sarif_log_is_valid_and_carries_cwe_severity_precision(
    semgrep: str, tmp_path: Path
) -> None:
    path = write_sarif(_targets(), tmp_path / "scan.sarif")
    log = json.loads(path.read_text())
    _validate(log)
    run = log["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert set(rules) == {r["ruleId"] for r in run["results"]}
    cmd = rules["python-os-command-non-literal"]["properties"]
    assert "external/cwe/cwe-078" in cmd["tags"] and "security" in cmd["tags"]
    assert cmd["security-severity"] == "9.5" and cmd["precision"] == "high"
    gets = next(r for r in run["results"] if r["ruleId"] == "c-gets")
    assert gets["level"] == "error"
    assert gets["locations"][0]["physicalLocation"]["region"]["startLine"] == 3
    assert gets["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "t1/b.c"
    assert run["tool"]["driver"]["rules"][gets["ruleIndex"]]["id"] == "c-gets"
    assert gets["properties"]["cwe"] == "CWE-242"


def test_fingerprints_survive_lines_moving(semgrep: str) -> None:
    before = to_sarif(_targets())
    after = to_sarif(_targets("# a comment added on top\n\n" + PY))
    prints = [
        {
            (r["ruleId"], r["partialFingerprints"][FINGERPRINT_KEY])
            for r in log["runs"][0]["results"]
        }
        for log in (before, after)
    ]
    assert prints[0] == prints[1]
    lines = [
        sorted(
            r["locations"][0]["physicalLocation"]["region"]["startLine"]
            for r in log["runs"][0]["results"]
        )
        for log in (before, after)
    ]
    assert lines[0] != lines[1]


def test_cwe_tags_are_zero_padded() -> None:
    assert cwe_tag("CWE-89") == "external/cwe/cwe-089"
    assert cwe_tag("CWE-1321") == "external/cwe/cwe-1321"


def test_an_empty_scan_is_a_valid_log() -> None:
    _validate(to_sarif([]))
