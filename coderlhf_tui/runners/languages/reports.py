"""Reading test frameworks' reports, and the failure-or-crash reading of test scripts.

``common.py`` holds what every recipe shares (io cases, exit statuses); this module holds
what several compiled and scripted languages share on top of it: parsers for the reports
their native test frameworks print (TAP from ``node --test`` and from C/C++/PHP test mains,
the JUnit console launcher's tree and summary, ``go test -v`` lines, Rust's libtest) and one
rule for ``script`` tests, which only have an exit status and an error message:

- an assertion message in the output (the language's ``assertion`` pattern) is FAILED;
- otherwise a signal or the language's ``crash`` pattern (an engine error such as a
  TypeError, a Go runtime panic, an AddressSanitizer report) is RUNTIME_ERROR;
- otherwise a non-zero exit is FAILED: the test said no.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from coderlhf_tui.domain import TestKind, TestSpec, Verdict
from coderlhf_tui.runners.languages.common import (
    DETAIL_CHARS,
    exit_detail,
    interpret_io,
    killed_by_signal,
    run_results,
)
from coderlhf_tui.runners.recipe import Outcome, StepResult


@dataclass(frozen=True, slots=True)
class Report:
    """What a test framework said: counts, failing names, and whether it said anything.

    ``collected``: how many tests the framework found before running them (None when its
    report does not say); ``finished``: it printed its end-of-run summary. Together they
    are the proof that a run ended because the tests were over (``counted_proof``).
    """

    passed: int = 0
    failed: int = 0
    failing: list[str] = field(default_factory=list)
    found: bool = False
    collected: int | None = None
    finished: bool = False


_TAP_LINE = re.compile(r"^(not ok|ok)\b(?:\s+\d+)?(?:\s*-)?\s*([^#\n]*?)\s*(#.*)?$")
_TAP_COUNT = re.compile(r"^# (pass|fail) (\d+)\s*$", re.MULTILINE)
_TAP_TESTS = re.compile(r"^# tests (\d+)\s*$", re.MULTILINE)
_TAP_PLAN = re.compile(r"^1\.\.(\d+)\s*$", re.MULTILINE)


def parse_tap(text: str) -> Report:
    """TAP (``ok 1 - name`` / ``not ok 2 - name``), top-level lines only.

    ``node --test`` nests subtests by indentation and ends with ``# pass N`` / ``# fail N``;
    those totals win when present. ``# SKIP`` and ``# TODO`` lines count as neither.
    """
    passed, failing = 0, list[str]()
    for line in text.splitlines():
        match = _TAP_LINE.match(line)
        if match is None:
            continue
        status, name, directive = match.groups()
        if directive and directive[1:].strip().upper().startswith(("SKIP", "TODO")):
            continue
        if status == "ok":
            passed += 1
        else:
            failing.append(name or f"test {passed + len(failing) + 1}")
    totals = dict(_TAP_COUNT.findall(text))
    found = bool(passed or failing or totals)
    if totals:
        planned = _TAP_TESTS.findall(text)
        return Report(
            int(totals.get("pass", 0)),
            int(totals.get("fail", 0)),
            failing,
            found,
            collected=int(planned[-1]) if planned else None,
            finished=bool(planned),
        )
    plan = _TAP_PLAN.findall(text)
    collected = int(plan[-1]) if plan else None
    return Report(passed, len(failing), failing, found, collected, finished=bool(plan))


_JUNIT_SUMMARY = re.compile(
    r"^\[\s*(\d+) tests (successful|failed|found|aborted|skipped)\s*\]", re.MULTILINE
)
_JUNIT_FAILURE = re.compile(r"^  JUnit [\w ]+?:(\S.*)$", re.MULTILINE)


def parse_junit_console(text: str) -> Report:
    """The JUnit Platform console launcher: its ``[ N tests failed ]`` summary and failures."""
    counts = {label: int(number) for number, label in _JUNIT_SUMMARY.findall(text)}
    failures_at = text.find("Failures (")
    names = []
    if failures_at >= 0:
        names = [m.replace(":", ".") for m in _JUNIT_FAILURE.findall(text[failures_at:])]
    return Report(
        passed=counts.get("successful", 0),
        failed=counts.get("failed", 0),
        failing=names,
        found=bool(counts),
        collected=counts.get("found"),
        finished="successful" in counts and "failed" in counts,
    )


_GO_RESULT = re.compile(r"^\s*--- (PASS|FAIL|SKIP): (\S+)", re.MULTILINE)
_GO_RUN = re.compile(r"^=== RUN\s+(\S+)", re.MULTILINE)
_GO_END = re.compile(r"^(?:PASS|FAIL)\s*$", re.MULTILINE)


def parse_go_test(text: str) -> Report:
    """``go test -v`` output: top-level ``--- PASS: TestX`` / ``--- FAIL: TestX`` lines;
    ``=== RUN TestX`` lines count what was started, the closing ``PASS``/``FAIL`` line
    that testing prints after the last test is its summary."""
    passed, failing = 0, list[str]()
    for status, name in _GO_RESULT.findall(text):
        if "/" in name:  # a subtest; its parent carries the verdict
            continue
        if status == "PASS":
            passed += 1
        elif status == "FAIL":
            failing.append(name)
    started = {name for name in _GO_RUN.findall(text) if "/" not in name}
    found = bool(passed or failing) or "no tests to run" in text
    finished = _GO_END.search(text) is not None
    return Report(passed, len(failing), failing, found, len(started), finished)


_LIBTEST_LINE = re.compile(r"^test (\S+) \.\.\. (ok|FAILED|ignored)", re.MULTILINE)
_LIBTEST_SUMMARY = re.compile(r"^test result: \w+\. (\d+) passed; (\d+) failed", re.MULTILINE)
_LIBTEST_RUNNING = re.compile(r"^running (\d+) tests?$", re.MULTILINE)


def parse_libtest(text: str) -> Report:
    """Rust's libtest: ``test tests::x ... FAILED`` lines and ``test result:`` totals."""
    lines = _LIBTEST_LINE.findall(text)
    failing = [name for name, status in lines if status == "FAILED"]
    summary = _LIBTEST_SUMMARY.search(text)
    running = _LIBTEST_RUNNING.search(text)
    collected = int(running.group(1)) if running else None
    if summary:
        passed, failed = int(summary.group(1)), int(summary.group(2))
        return Report(passed, failed, failing, True, collected, finished=True)
    passed = sum(1 for _, status in lines if status == "ok")
    return Report(passed, len(failing), failing, bool(lines), collected)


def interpret_by_kind(
    tests: TestSpec,
    results: Sequence[StepResult],
    assertion: re.Pattern[str],
    crash: re.Pattern[str],
    parse: Callable[[str], Report] | None = None,
) -> Outcome:
    """The usual ``interpret``: io cases compared, ``unit`` read with the framework's
    ``parse`` (or, with none, as a test ``main`` that may print TAP), ``script`` by the
    script rule."""
    if tests.kind is TestKind.IO:
        return interpret_io(tests, results)
    if tests.kind is TestKind.UNIT:
        if parse is None:
            return interpret_test_main(results, assertion, crash)
        return interpret_framework(results, parse, crash)
    return interpret_script(results, assertion, crash)


def interpret_framework(
    results: Sequence[StepResult], parse: Callable[[str], Report], crash: re.Pattern[str]
) -> Outcome:
    """The verdict of a test framework's run: its last run step's report (stdout, then
    stderr: ``go test`` warns there) and exit."""
    steps = run_results(results)
    if not steps:
        return Outcome(Verdict.INTERNAL_ERROR, detail="no run step was executed")
    step = steps[-1]
    return report_outcome(parse(f"{step.stdout}\n{step.stderr}"), step, crash)


def interpret_test_main(
    results: Sequence[StepResult], assertion: re.Pattern[str], crash: re.Pattern[str]
) -> Outcome:
    """A hand-written test ``main``: its TAP lines when it prints some, else the script rule."""
    steps = run_results(results)
    if steps and parse_tap(steps[-1].stdout).found:
        return interpret_framework(results, parse_tap, crash)
    return interpret_script(results, assertion, crash)


def report_outcome(report: Report, result: StepResult, crash: re.Pattern[str]) -> Outcome:
    """The verdict of one test-framework step from its report and its exit.

    Failing tests reported make it FAILED (a test that threw counts as failing, as in
    pytest), whatever the exit status; a report of zero tests is NO_TESTS; exit 0 is a
    PASSED carrying the report's proof (``counted_proof``; without one it becomes
    EXITED_EARLY); a non-zero exit with no failure reported means the process died on its
    own: RUNTIME_ERROR.
    """
    if report.failed:
        detail = f"{report.failed} failed, {report.passed} passed"
        return Outcome(Verdict.FAILED, report.passed, report.failed, report.failing, detail)
    if report.found and report.passed == 0 and not report.collected:
        return Outcome(Verdict.NO_TESTS, detail="the test framework found no tests")
    if result.exit_code == 0 and not killed_by_signal(result):
        proof, gap = counted_proof(report)
        return Outcome(Verdict.PASSED, passed=report.passed, detail=gap, proof=proof)
    text = result.stderr + "\n" + result.stdout
    return Outcome(Verdict.RUNTIME_ERROR, report.passed, detail=_crash_detail(result, text, crash))


def counted_proof(report: Report) -> tuple[str, str]:
    """(proof, "") when the framework's report shows every collected test run and passed,
    else ("", why not): its summary is missing (the process ended before the framework's
    end of run) or fewer tests passed than were collected (skipped, aborted, cut short)."""
    if not report.found or not report.finished:
        return "", "the test framework's end-of-run summary is missing: the run ended early"
    if report.collected is None:
        return "", "the test framework's report does not say how many tests it collected"
    if report.failed or report.passed != report.collected:
        return "", f"{report.collected} tests collected, {report.passed} reported passed"
    return f"{report.passed} of {report.collected} collected tests passed", ""


def interpret_script(
    results: Sequence[StepResult], assertion: re.Pattern[str], crash: re.Pattern[str]
) -> Outcome:
    """The ``script`` convention (exit 0 = pass), telling a failed assertion from a crash."""
    steps = run_results(results)
    if not steps:
        return Outcome(Verdict.INTERNAL_ERROR, detail="no run step was executed")
    failed = next((r for r in steps if r.exit_code != 0 or killed_by_signal(r)), None)
    if failed is None:
        return Outcome(Verdict.PASSED, passed=len(steps))
    return script_failure(failed, assertion, crash)


def script_failure(
    result: StepResult, assertion: re.Pattern[str], crash: re.Pattern[str]
) -> Outcome:
    """FAILED or RUNTIME_ERROR for one step that did not exit 0 (see the module docstring)."""
    text = result.stderr + "\n" + result.stdout
    name = result.step.name
    match = assertion.search(text)
    if match is not None:
        detail = _line_at(text, match.start())
        return Outcome(Verdict.FAILED, failed=1, failing_tests=[name], detail=detail)
    if killed_by_signal(result) or crash.search(text):
        return Outcome(Verdict.RUNTIME_ERROR, failed=1, detail=_crash_detail(result, text, crash))
    return Outcome(Verdict.FAILED, failed=1, failing_tests=[name], detail=exit_detail(result))


def _crash_detail(result: StepResult, text: str, crash: re.Pattern[str]) -> str:
    match = crash.search(text)
    if match is None:
        return exit_detail(result)
    return f"{result.step.name}: {_line_at(text, match.start())}"


def _line_at(text: str, index: int) -> str:
    """The whole line of ``text`` that contains ``index``, trimmed."""
    start = text.rfind("\n", 0, index) + 1
    end = text.find("\n", index)
    return text[start : end if end >= 0 else len(text)].strip()[:DETAIL_CHARS]
