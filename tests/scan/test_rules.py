"""The rule pack: semgrep's own test runner over every rule, and the metadata contract."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from coderlhf_tui.domain import Language
from coderlhf_tui.scan.pack import RULES_DIR, covered_cwes, pack_version, rules
from coderlhf_tui.scan.semgrep import run_semgrep_test

REQUIRED_CWES = {
    "CWE-89", "CWE-78", "CWE-94", "CWE-95", "CWE-22", "CWE-79", "CWE-918", "CWE-502",
    "CWE-327", "CWE-328", "CWE-330", "CWE-338", "CWE-798", "CWE-295", "CWE-611", "CWE-120",
    "CWE-242", "CWE-676", "CWE-787", "CWE-134", "CWE-98", "CWE-347", "CWE-269", "CWE-400",
}  # fmt: skip
"""The weaknesses issue 4 lists; the pack must report each in at least one language."""

ANNOTATION = re.compile(r"\b(ruleid|ok):\s*([\w\-, ]+)")


@pytest.mark.xdist_group("semgrep-test")
def test_semgrep_test_passes_for_every_rule(semgrep: str) -> None:
    result = run_semgrep_test(RULES_DIR)
    assert result["config_with_errors"] == []
    assert result["config_missing_tests"] == []
    failed = {
        rule_id: check["matches"]
        for checks in result["results"].values()
        for rule_id, check in checks["checks"].items()
        if not check["passed"]
    }
    assert failed == {}
    tested = {rule_id for checks in result["results"].values() for rule_id in checks["checks"]}
    assert tested == set(rules())


def test_every_rule_has_positive_and_negative_cases() -> None:
    cases: dict[str, set[str]] = defaultdict(set)
    for path in RULES_DIR.glob("*/*"):
        if path.suffix == ".yaml" or not path.is_file():
            continue
        for kind, ids in ANNOTATION.findall(path.read_text(encoding="utf-8")):
            for rule_id in ids.split(","):
                cases[rule_id.strip().split()[0]].add(kind)
    missing = {
        rule_id: sorted({"ruleid", "ok"} - cases[rule_id])
        for rule_id, meta in rules().items()
        if not meta.fallback and {"ruleid", "ok"} - cases[rule_id]
    }
    assert missing == {}
    fallback_without_case = [
        r for r, m in rules().items() if m.fallback and "ruleid" not in cases[r]
    ]
    assert fallback_without_case == []


def test_metadata_is_complete_for_every_rule() -> None:
    pack = rules()
    assert len(pack) >= 100
    for meta in pack.values():
        assert re.fullmatch(r"CWE-\d+", meta.cwe_id), meta.id
        assert len(meta.cwe_title) > 8, meta.id
        assert re.match(r"A\d\d:2021 - ", meta.owasp), meta.id
        assert meta.message and meta.fix_hint, meta.id
        assert meta.languages, meta.id


def test_each_cwe_has_one_title_across_the_pack() -> None:
    titles: dict[str, set[str]] = defaultdict(set)
    for meta in rules().values():
        titles[meta.cwe_id].add(meta.cwe_title)
    assert {cwe: t for cwe, t in titles.items() if len(t) > 1} == {}


def test_pack_covers_all_languages_and_the_required_cwes() -> None:
    for language in Language:
        assert covered_cwes(language.value), language
    assert covered_cwes() >= REQUIRED_CWES
    sql_rules = [m for m in rules().values() if m.languages == ("sql",)]
    assert {m.cwe_id for m in sql_rules} >= {"CWE-89", "CWE-269"}


def test_pack_version_names_semgrep_and_hashes_the_rules() -> None:
    version = pack_version()
    assert re.fullmatch(r"[\w.]+\+[0-9a-f]{12}", version)
