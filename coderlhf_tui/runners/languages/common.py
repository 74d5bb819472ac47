"""Helpers every language recipe shares: io-case planning and comparison, exit-status reading.

A recipe for a new language should only say what is particular to that language (file
names, build and run commands, how its test framework reports). What is the same for all
of them lives here, so ``io`` tests, the ``compare`` modes and the reading of a plain
"exit 0 means pass" script behave identically in every language:

- ``io_steps(command, tests)``: one ``run`` step per stdin/stdout case, named ``case 1``...
- ``interpret_io(tests, results)``: each case's stdout compared with ``outputs_match``.
- ``interpret_exit(results)``: the ``script`` convention (every run step exits 0 and the
  ``proof`` steps gave their completion record: ``verdicts.require_proof``).
- ``outputs_match(actual, expected, mode)``: ``exact`` (line endings normalised, trailing
  newlines ignored), ``whitespace`` (same whitespace-separated tokens) or ``float:TOL``
  (tokens equal, numbers within TOL absolute or relative).

Exit statuses follow the shell: 128+N means "killed by signal N" (backends fill
``StepResult.signal``); a step killed by a signal is a RUNTIME_ERROR, never a FAILED.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from coderlhf_tui.domain import TestKind, TestSpec, Verdict
from coderlhf_tui.runners.recipe import NoTests, Outcome, Step, StepResult

DETAIL_CHARS = 400
"""How much of an error message an Outcome's detail keeps."""


def require_tests(tests: TestSpec | None) -> TestSpec:
    """The task's tests, or NoTests when there is nothing to run for its kind."""
    if tests is None:
        raise NoTests("the task has no tests")
    if tests.kind is TestKind.IO:
        if not tests.cases:
            raise NoTests("the io test has no cases")
    elif not tests.code.strip():
        raise NoTests(f"the {tests.kind.value} test has no code")
    return tests


def io_steps(command: str, tests: TestSpec) -> list[Step]:
    """One ``run`` step per io case: ``command`` fed the case's stdin."""
    parse_compare(tests.compare)  # a bad mode is the task's fault: fail before running
    return [
        Step(name=f"case {index}", command=command, kind="run", stdin=case.stdin)
        for index, case in enumerate(tests.cases, start=1)
    ]


def run_results(results: Sequence[StepResult]) -> list[StepResult]:
    """Only the ``run`` steps' results, in order."""
    return [result for result in results if result.step.kind == "run"]


def killed_by_signal(result: StepResult) -> bool:
    """True when the step's process died of a signal (segfault, abort, kill)."""
    return result.signal is not None


def last_line(text: str) -> str:
    """The last non-blank line of ``text`` (an exception's message, a compiler's error)."""
    for line in reversed(text.splitlines()):
        if line.strip():
            return line.strip()[:DETAIL_CHARS]
    return ""


def first_error_line(text: str) -> str:
    """The first line that names an error, else the last line.

    Compilers end with a summary ("2 errors", "For more information about this error...")
    that tells the engineer nothing; the first line mentioning an error points at the
    file, line and cause.
    """
    for line in text.splitlines():
        if "error" in line.lower() and line.strip():
            return line.strip()[:DETAIL_CHARS]
    return last_line(text)


def exit_detail(result: StepResult) -> str:
    """A short human description of how a step ended."""
    if result.signal is not None:
        return f"{result.step.name}: killed by signal {result.signal}"
    message = last_line(result.stderr) or last_line(result.stdout)
    status = f"{result.step.name}: exit {result.exit_code}"
    return f"{status}: {message}" if message else status


def interpret_exit(results: Sequence[StepResult]) -> Outcome:
    """The ``script`` convention: every run step exits 0 = PASSED (held to its completion
    record by ``verdicts.require_proof``); a signal = RUNTIME_ERROR."""
    steps = run_results(results)
    if not steps:
        return Outcome(Verdict.INTERNAL_ERROR, detail="no run step was executed")
    for result in steps:
        if killed_by_signal(result):
            return Outcome(Verdict.RUNTIME_ERROR, failed=1, detail=exit_detail(result))
        if result.exit_code != 0:
            name, detail = result.step.name, exit_detail(result)
            return Outcome(Verdict.FAILED, failed=1, failing_tests=[name], detail=detail)
    return Outcome(Verdict.PASSED, passed=1)


def interpret_io(tests: TestSpec, results: Sequence[StepResult]) -> Outcome:
    """Each case's stdout against its expected output; a crash makes it a RUNTIME_ERROR."""
    steps = run_results(results)
    if len(steps) != len(tests.cases):
        return Outcome(
            Verdict.INTERNAL_ERROR, detail=f"{len(steps)} results for {len(tests.cases)} cases"
        )
    passed, failing, crash = 0, [], ""
    for case, result in zip(tests.cases, steps, strict=True):
        if result.exit_code != 0:
            failing.append(result.step.name)
            crash = crash or exit_detail(result)
        elif outputs_match(result.stdout, case.stdout, tests.compare):
            passed += 1
        else:
            failing.append(result.step.name)
    failed = len(failing)
    if crash:
        return Outcome(Verdict.RUNTIME_ERROR, passed, failed, failing, detail=crash)
    if failed:
        detail = f"{failed} of {len(steps)} cases gave the wrong output"
        return Outcome(Verdict.FAILED, passed, failed, failing, detail=detail)
    proof = f"all {passed} cases gave the expected output"
    return Outcome(Verdict.PASSED, passed=passed, proof=proof)


def parse_compare(mode: str) -> tuple[str, float]:
    """``exact`` / ``whitespace`` / ``float:TOL`` as (kind, tolerance); ValueError otherwise."""
    if mode in ("exact", "whitespace"):
        return mode, 0.0
    if mode.startswith("float:"):
        try:
            tolerance = float(mode.removeprefix("float:"))
        except ValueError:
            tolerance = -1.0
        if tolerance >= 0 and math.isfinite(tolerance):
            return "float", tolerance
    raise ValueError(f"unknown compare mode {mode!r}: use exact, whitespace or float:1e-6")


def outputs_match(actual: str, expected: str, mode: str = "exact") -> bool:
    """Whether a program's output matches the expected one under ``mode``."""
    kind, tolerance = parse_compare(mode)
    if kind == "exact":
        return _normalise_lines(actual) == _normalise_lines(expected)
    got, want = actual.split(), expected.split()
    if len(got) != len(want):
        return False
    if kind == "whitespace":
        return got == want
    return all(_tokens_close(a, b, tolerance) for a, b in zip(got, want, strict=True))


def _normalise_lines(text: str) -> str:
    return text.replace("\r\n", "\n").rstrip("\n")


def _tokens_close(actual: str, expected: str, tolerance: float) -> bool:
    if actual == expected:
        return True
    try:
        a, b = float(actual), float(expected)
    except ValueError:
        return False
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return math.isclose(a, b, rel_tol=tolerance, abs_tol=tolerance)
