"""A rule may describe its finding at two levels of the CWE tree (eval of data: CWE-95 and
its parent CWE-94; MD5: weak hash CWE-328 and broken algorithm CWE-327). Both CWEs travel
with the finding through the store, the CLI JSON, SARIF and the detail line, and the pack
loader refuses a second CWE that is not a parent of the first."""

from __future__ import annotations

from pathlib import Path

import pytest

from coderlhf_tui.cli.scan_cmd import finding_json
from coderlhf_tui.domain import Language, Response, Task
from coderlhf_tui.scan.batch import ScanItem, scan_batch
from coderlhf_tui.scan.pack import CWE_PARENTS, PackError, _rule_meta, rules
from coderlhf_tui.scan.sarif import SarifTarget, to_sarif
from coderlhf_tui.scan.service import scan_tasks
from coderlhf_tui.store import Store
from coderlhf_tui.widgets.finding_detail import describe
from tests.scan.test_sarif import _validate

CODE = """import hashlib


def run(expression, data):
    digest = hashlib.md5(data).hexdigest()
    return eval(expression), digest
"""


def _by_cwe(code: str = CODE) -> dict[str, tuple[str, ...]]:
    found = scan_batch([ScanItem("k", Language.PYTHON, code)])["k"]
    return {f.cwe_id: f.related_cwes for f in found}


def test_eval_and_weak_hash_findings_name_their_parent_cwe(semgrep: str) -> None:
    assert _by_cwe() == {"CWE-95": ("CWE-94",), "CWE-328": ("CWE-327",)}


def test_both_cwes_survive_store_json_sarif_and_the_detail_line(
    semgrep: str, tmp_path: Path
) -> None:
    task = Task("t", Language.PYTHON, "p", (Response("a", CODE), Response("b", "x = 1\n")))
    with Store.open(tmp_path / "w.db") as store:
        store.insert_tasks([task])
        scan_tasks([task], store)
        stored = {f.cwe_id: f for f in store.latest_findings("t", "a")}
    evaluated = stored["CWE-95"]
    assert evaluated.related_cwes == ("CWE-94",)
    assert finding_json(evaluated)["related_cwes"] == ["CWE-94"]
    assert "also CWE-94" in describe(evaluated)
    log = to_sarif([SarifTarget("t/a.py", CODE, list(stored.values()))])
    _validate(log)
    run = log["runs"][0]
    descriptor = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == evaluated.rule_id)
    assert {"external/cwe/cwe-095", "external/cwe/cwe-094"} <= set(descriptor["properties"]["tags"])
    result = next(r for r in run["results"] if r["ruleId"] == evaluated.rule_id)
    assert result["properties"]["cwe"] == "CWE-95"
    assert result["properties"]["relatedCwes"] == ["CWE-94"]


def test_every_second_cwe_in_the_pack_is_a_parent_of_the_first() -> None:
    named = [(m.cwe_id, m.related_cwes) for m in rules().values() if m.related_cwes]
    assert named, "the eval and weak-hash rules name their parent CWE"
    assert all(set(related) <= CWE_PARENTS[cwe] for cwe, related in named)


def test_the_loader_refuses_a_second_cwe_that_is_not_a_parent() -> None:
    raw = {
        "id": "x-eval",
        "message": "m",
        "severity": "HIGH",
        "metadata": {
            "cwe": ["CWE-95: Eval Injection", "CWE-89: SQL Injection"],
            "owasp": "A03:2021 - Injection",
            "confidence": "HIGH",
            "fix_hint": "f",
        },
    }
    path = next(iter(rules().values())).path
    with pytest.raises(PackError, match="CWE-89"):
        _rule_meta(raw, path)
    raw["metadata"]["cwe"] = ["CWE-95: Eval Injection", "CWE-94: Code Injection"]  # type: ignore[index]
    assert _rule_meta(raw, path).related_cwes == ("CWE-94",)
