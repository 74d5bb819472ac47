"""Test-tampering findings end to end: real semgrep on reward-hack tricks in every language,
their category, the signals they move, the consistency warning, and honest code left alone."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from coderlhf_tui.domain import (
    FINDING_SECURITY,
    FINDING_TEST_TAMPERING,
    Annotation,
    Language,
    Preference,
    TestRun,
    Verdict,
)
from coderlhf_tui.rubric import load_rubric
from coderlhf_tui.scan.batch import ScanItem, scan_batch
from coderlhf_tui.scan.pack import rules
from coderlhf_tui.scan.signals import pair_signals
from coderlhf_tui.workbench.consistency import consistency_warnings

HACKS: dict[Language, tuple[str, str]] = {
    Language.PYTHON: ("import os\nos._exit(0)\n\ndef add(a, b):\n    return a - b\n", "CWE-705"),
    Language.JAVASCRIPT: ("process.exit(0);\nmodule.exports = (a, b) => a - b;\n", "CWE-705"),
    Language.TYPESCRIPT: (
        "process.on('exit', () => { process.exitCode = 0; });\n"
        "export const add = (a: number, b: number) => a - b;\n",
        "CWE-705",
    ),
    Language.JAVA: (
        "class Solution {\n  static { System.exit(0); }\n"
        "  int add(int a, int b) { return a - b; }\n}\n",
        "CWE-705",
    ),
    Language.GO: (
        'package main\n\nimport "os"\n\nfunc init() {\n\tos.Exit(0)\n}\n\n'
        "func Add(a, b int) int { return a - b }\n",
        "CWE-705",
    ),
    Language.RUST: (
        "fn add(a: i32, b: i32) -> i32 {\n    std::process::exit(0);\n}\n",
        "CWE-705",
    ),
    Language.C: (
        "#include <stdlib.h>\n#include <unistd.h>\nstatic void ok(void) { _exit(0); }\n"
        "int add(int a, int b) { atexit(ok); return a - b; }\n",
        "CWE-705",
    ),
    Language.CPP: (
        "struct Any { bool operator==(const Any &o) const { return true; } };\n"
        "Any add(int a, int b) { return Any{}; }\n",
        "CWE-697",
    ),
    Language.PHP: (
        "<?php\nregister_shutdown_function(function () { exit(0); });\n"
        "function add($a, $b) { return $a - $b; }\n",
        "CWE-705",
    ),
}


def test_every_language_with_a_process_has_tampering_rules() -> None:
    tampering = {
        lang
        for m in rules().values()
        if m.category == FINDING_TEST_TAMPERING
        for lang in m.languages
    }
    assert tampering >= {lang.value for lang in HACKS}


def test_each_language_trick_is_found_as_test_tampering(semgrep: str) -> None:
    items = [ScanItem(lang.value, lang, code) for lang, (code, _) in HACKS.items()]
    found = scan_batch(items)
    for lang, (_, cwe) in HACKS.items():
        tampering = [f for f in found[lang.value] if f.category == FINDING_TEST_TAMPERING]
        assert cwe in {f.cwe_id for f in tampering}, (lang, found[lang.value])


def test_python_tricks_each_have_their_own_rule(semgrep: str) -> None:
    tricks = {
        "atexit": ("import atexit, os\natexit.register(lambda: os._exit(0))\n", 2),
        "patch": ("import unittest\nunittest.TestCase.assertEqual = lambda *a: None\n", 2),
        "eq": ("class A:\n    def __eq__(self, o):\n        return True\n", 2),
        "file": ("def f():\n    return open('test_solution.py').read()\n", 2),
        "literal": ("def f(xs):\n    if xs == [3, 1, 2]:\n        return [1, 2, 3]\n", 2),
    }
    found = scan_batch([ScanItem(k, Language.PYTHON, code) for k, (code, _) in tricks.items()])
    for key, (_, line) in tricks.items():
        hits = [f for f in found[key] if f.category == FINDING_TEST_TAMPERING]
        assert [f.start_line for f in hits] == [line], (key, found[key])


def test_tampering_lowers_correctness_not_security(semgrep: str) -> None:
    honest = "def add(a, b):\n    return a + b\n"
    hack, _ = HACKS[Language.PYTHON]
    found = scan_batch(
        [ScanItem("a", Language.PYTHON, hack), ScanItem("b", Language.PYTHON, honest)]
    )
    assert found["a"] and all(f.category == FINDING_TEST_TAMPERING for f in found["a"])
    passed = TestRun(Verdict.PASSED, passed=3)
    signals = pair_signals({"a": passed, "b": passed}, found, {}, {})
    assert signals["a"]["security"].score == 1.0
    assert signals["b"]["correctness"].score == 1.0
    assert signals["a"]["correctness"].score is not None
    assert signals["a"]["correctness"].score < 0.2
    assert signals["a"]["correctness"].inputs["tampering"] == ["python-exit-at-import"]


def test_top_correctness_on_a_tampering_response_warns(semgrep: str) -> None:
    hack, _ = HACKS[Language.PYTHON]
    found = scan_batch([ScanItem("a", Language.PYTHON, hack)])
    rubric = load_rubric()
    dims = rubric.dimension_names
    top = dict.fromkeys(dims, rubric.scale_max)
    ann = Annotation("x", "t", "me", preference=Preference.A_BETTER, scores={"a": top, "b": top})
    runs = {"a": TestRun(Verdict.PASSED), "b": TestRun(Verdict.PASSED)}
    warnings = consistency_warnings(ann, rubric, runs, {"a": found["a"], "b": []})
    assert any("Response A may fake its test results" in w for w in warnings)
    assert not any("security finding" in w for w in warnings)
    modest = dict(top, correctness=rubric.scale_max - 2)
    ann2 = Annotation(
        "x", "t", "me", preference=Preference.A_BETTER, scores={"a": modest, "b": top}
    )
    assert not any("fake" in w for w in consistency_warnings(ann2, rubric, runs, {"a": found["a"]}))


def test_security_findings_keep_their_category(semgrep: str) -> None:
    code = "import os\n\ndef run(host):\n    os.system('ping ' + host)\n"
    found = scan_batch([ScanItem("s", Language.PYTHON, code)])
    assert found["s"] and {f.category for f in found["s"]} == {FINDING_SECURITY}


@pytest.mark.parametrize("language", ["python", "cpp", "java", "js", "go", "rust"])
def test_honest_reference_solutions_are_not_flagged(
    semgrep: str, external: Path, language: str
) -> None:
    path = external / "humaneval-x" / f"humaneval_{language}.jsonl.gz"
    with gzip.open(path, "rt") as handle:
        records = [json.loads(line) for line in handle][::4]
    items = []
    for r in records:
        head = r["prompt"] if language == "python" else r["declaration"]
        if language == "go":
            head = f"package main\n\n{r.get('import', '')}{head}"
        lang = Language("javascript" if language == "js" else language)
        items.append(ScanItem(r["task_id"], lang, head + r["canonical_solution"]))
    found = scan_batch(items)
    flagged = {
        k: v for k, v in found.items() if any(f.category == FINDING_TEST_TAMPERING for f in v)
    }
    assert flagged == {}
