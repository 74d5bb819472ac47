"""The test-report parsers and the script rule, on output the real tools printed.

Each sample below was captured from the toolbox image (Node 18, JUnit console launcher
1.9, Go 1.19, rustc 1.63); the Docker tests in test_languages.py run the same tools live.
"""

from __future__ import annotations

import re

from coderlhf_tui.domain import Verdict
from coderlhf_tui.runners.languages import c, java, javascript, rust
from coderlhf_tui.runners.languages.reports import (
    interpret_script,
    parse_go_test,
    parse_junit_console,
    parse_libtest,
    parse_tap,
    report_outcome,
)
from coderlhf_tui.runners.recipe import Step, StepResult

NODE_TAP = """\
TAP version 13
# Subtest: adds
ok 1 - adds
  ---
  duration_ms: 1.038095
  ...
# Subtest: fails
not ok 2 - fails
  ---
  error: |-
    Expected values to be strictly equal:
  ...
1..2
# tests 2
# pass 1
# fail 1
# cancelled 0
"""

JUNIT = """\
.
+-- JUnit Jupiter [OK]
| '-- SolutionTest [OK]
|   +-- throwsNpe() [X] Cannot invoke "String.length()" because "<local1>" is null
|   +-- adds() [OK]
|   '-- fails() [X] expected: <4> but was: <3>
'-- JUnit Vintage [OK]

Failures (2):
  JUnit Jupiter:SolutionTest:throwsNpe()
    MethodSource [className = 'SolutionTest', methodName = 'throwsNpe']
    => java.lang.NullPointerException: Cannot invoke "String.length()"
  JUnit Jupiter:SolutionTest:fails()
    => org.opentest4j.AssertionFailedError: expected: <4> but was: <3>

Test run finished after 55 ms
[         3 tests found           ]
[         1 tests successful      ]
[         2 tests failed          ]
"""

GO_TEST = """\
=== RUN   TestAdd
--- PASS: TestAdd (0.00s)
=== RUN   TestBad
    solution_test.go:13: want 4
--- FAIL: TestBad (0.00s)
=== RUN   TestTable
=== RUN   TestTable/zero
    --- FAIL: TestTable/zero (0.00s)
--- FAIL: TestTable (0.00s)
FAIL
"""

LIBTEST = """\
running 3 tests
test tests::adds ... ok
test tests::fails ... FAILED
test tests::oob ... FAILED

failures:
    tests::fails
    tests::oob

test result: FAILED. 1 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s
"""


def result(stdout: str = "", stderr: str = "", exit_code: int = 0, signal: int | None = None):  # type: ignore[no-untyped-def]
    return StepResult(Step("run", "x"), exit_code, stdout, stderr, signal=signal)


def test_tap_uses_node_totals_and_top_level_names() -> None:
    report = parse_tap(NODE_TAP)
    assert (report.passed, report.failed, report.failing, report.found) == (1, 1, ["fails"], True)


def test_tap_without_totals_counts_lines_and_skips_directives() -> None:
    text = "ok 1 - a\nnot ok 2 - b\nok 3 - c # SKIP no network\nnot ok - d # TODO later\n1..4\n"
    report = parse_tap(text)
    assert (report.passed, report.failed, report.failing) == (1, 1, ["b"])
    assert not parse_tap("hello\nworld\n").found


def test_junit_console_summary_and_failure_names() -> None:
    report = parse_junit_console(JUNIT)
    assert (report.passed, report.failed) == (1, 2)
    assert report.failing == ["SolutionTest.throwsNpe()", "SolutionTest.fails()"]


def test_go_test_counts_top_level_tests_only() -> None:
    report = parse_go_test(GO_TEST)
    assert (report.passed, report.failed, report.failing) == (1, 2, ["TestBad", "TestTable"])


def test_libtest_summary_and_names() -> None:
    report = parse_libtest(LIBTEST)
    assert (report.passed, report.failed) == (1, 2)
    assert report.failing == ["tests::fails", "tests::oob"]


def test_report_outcome_tells_failures_crashes_and_empty_runs_apart() -> None:
    crash = re.compile("panicked")
    failed = report_outcome(parse_libtest(LIBTEST), result(LIBTEST, exit_code=101), crash)
    assert failed.verdict is Verdict.FAILED and failed.failed == 2
    empty = report_outcome(parse_tap("# pass 0\n# fail 0\n"), result(exit_code=0), crash)
    assert empty.verdict is Verdict.NO_TESTS
    died = report_outcome(parse_libtest(""), result(stderr="thread panicked", exit_code=134), crash)
    assert died.verdict is Verdict.RUNTIME_ERROR and "panicked" in died.detail


def test_script_rule_per_language() -> None:
    js_assert = result(
        stderr="\nAssertionError [ERR_ASSERTION]: console.assert failed\n", exit_code=1
    )
    js_type = result(stderr="\nTypeError: x is not a function\n\nNode.js v18.20.4\n", exit_code=1)
    js_own = result(stderr="Error: wrong answer\n", exit_code=1)
    assert interpret_script([js_assert], javascript.ASSERTION, javascript.CRASH).verdict is (
        Verdict.FAILED
    )
    crashed = interpret_script([js_type], javascript.ASSERTION, javascript.CRASH)
    assert crashed.verdict is Verdict.RUNTIME_ERROR and crashed.detail.endswith("not a function")
    assert interpret_script([js_own], javascript.ASSERTION, javascript.CRASH).verdict is (
        Verdict.FAILED
    )
    abort = result(stderr="prog: main.c:5: main: Assertion `add(1, 2) == 3' failed.\n", signal=6)
    assert interpret_script([abort], c.ASSERTION, c.CRASH).verdict is Verdict.FAILED
    asan = result(stderr="==41==ERROR: AddressSanitizer: stack-buffer-overflow\n", exit_code=1)
    assert interpret_script([asan], c.ASSERTION, c.CRASH).verdict is Verdict.RUNTIME_ERROR
    npe = result(stderr='Exception in thread "main" java.lang.NullPointerException\n', exit_code=1)
    assert interpret_script([npe], java.ASSERTION, java.CRASH).verdict is Verdict.RUNTIME_ERROR
    overflow = result(
        stderr="thread 'main' panicked at 'attempt to add with overflow'", exit_code=101
    )
    assert interpret_script([overflow], rust.ASSERTION, rust.CRASH).verdict is Verdict.RUNTIME_ERROR
    assert interpret_script([result()], rust.ASSERTION, rust.CRASH).verdict is Verdict.PASSED
