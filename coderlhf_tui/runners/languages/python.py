"""The Python recipe: how a Python response and its tests become files, commands and a verdict.

Files and commands (docs/languages.md repeats this for people):

- ``script``: ``program.py`` = the response, then the test code, then ``check(<entry_point>)``
  when the test defines ``check`` and does not call it itself (the HumanEval convention),
  then the completion record (``TAIL``); run with ``python3 program.py``. Exit 0 with the
  record passes (without it: EXITED_EARLY); an ``AssertionError`` fails; any other
  uncaught exception or a signal is a RUNTIME_ERROR.
- ``unit``: ``solution.py`` (the response) and ``test_solution.py`` (the tests, which import
  from ``solution``); run with ``python3 -m pytest -p no:cacheprovider -rA``. Per-test
  names come from the ``-rA`` summary; a pass needs pytest's ``collected N items`` and its
  final ``N passed`` line to agree (a failure reported stays FAILED whatever the exit
  status); pytest's exit 5 (nothing collected) is NO_TESTS.
- ``io``: ``solution.py``, run once per case with ``python3 solution.py`` fed the case's stdin.

A ``SyntaxError`` in the response is reported as COMPILE_ERROR, without a separate compile
step, so a keypress costs one process start.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from coderlhf_tui.domain import Language, Response, Task, TestKind, Verdict
from coderlhf_tui.runners.completion import PROOF_FD, RECORD
from coderlhf_tui.runners.languages.common import (
    exit_detail,
    interpret_exit,
    interpret_io,
    io_steps,
    last_line,
    require_tests,
    run_results,
)
from coderlhf_tui.runners.languages.reports import Report, counted_proof
from coderlhf_tui.runners.recipe import Outcome, Plan, Step, StepResult

ENV = "PYTHONDONTWRITEBYTECODE=1 PYTHONHASHSEED=0 PYTHONIOENCODING=utf-8"
PYTEST = f"{ENV} python3 -m pytest -p no:cacheprovider -rA test_solution.py"
TAIL = (
    "\n\nimport os as _coderlhf_os, sys as _coderlhf_sys\n"
    "_coderlhf_sys.stdout.flush()\n"
    f"_coderlhf_os.write(1, b'\\n{RECORD}' + _coderlhf_os.read({PROOF_FD}, 64).strip() + b'\\n')\n"
)
"""The completion record, after the tests (completion.py): the nonce from fd 9."""

_CHECK_DEFINED = re.compile(r"^def check\s*\(", re.MULTILINE)
_CHECK_CALLED = re.compile(r"^check\s*\(", re.MULTILINE)
_SUMMARY_LINE = re.compile(r"^(PASSED|FAILED|ERROR) (\S+)", re.MULTILINE)
_COUNTS = re.compile(r"(\d+) (passed|failed|errors?)\b")
_FINAL = re.compile(r"^=* ?(?:\d+ \w+(?:, \d+ \w+)*|no tests ran) in \d+(?:\.\d+)?s\b")
_COLLECTED = re.compile(r"^collected (\d+) items?\b", re.MULTILINE)
_COMPILE_ERRORS = ("SyntaxError", "IndentationError", "TabError")


class PythonRecipe:
    """Python 3 with pytest (Debian's python3 and python3-pytest)."""

    language = Language.PYTHON

    def plan(self, task: Task, response: Response) -> Plan:
        """The files and steps for one response (NoTests when the task has nothing to run)."""
        tests = require_tests(task.tests)
        if tests.kind is TestKind.SCRIPT:
            program = f"{response.code}\n\n{tests.code}\n"
            entry = tests.entry_point
            if (
                entry
                and entry.isidentifier()
                and _CHECK_DEFINED.search(tests.code)
                and not _CHECK_CALLED.search(tests.code)
            ):
                program += f"\n\ncheck({entry})\n"
            step = Step(name="script", command=f"{ENV} python3 program.py", proof=True)
            return Plan(files={"program.py": program + TAIL}, steps=[step])
        if tests.kind is TestKind.UNIT:
            files = {"solution.py": response.code, "test_solution.py": tests.code}
            return Plan(files=files, steps=[Step(name="pytest", command=PYTEST)])
        steps = io_steps(f"{ENV} python3 solution.py", tests)
        return Plan(files={"solution.py": response.code}, steps=steps)

    def interpret(self, task: Task, results: Sequence[StepResult]) -> Outcome:
        """The verdict from the run steps (limits and compile steps are handled before)."""
        tests = require_tests(task.tests)
        steps = run_results(results)
        if tests.kind is TestKind.UNIT:
            return _interpret_pytest(steps)
        crashed = next((r for r in steps if r.exit_code != 0 and r.signal is None), None)
        if crashed is not None and _is_syntax_error(crashed.stderr):
            return Outcome(Verdict.COMPILE_ERROR, detail=last_line(crashed.stderr))
        if tests.kind is TestKind.IO:
            return interpret_io(tests, steps)
        return _interpret_script(steps)


def _is_syntax_error(stderr: str) -> bool:
    """A syntax error raised while compiling the file itself (no traceback of running code)."""
    return "Traceback (most recent call last)" not in stderr and last_line(stderr).startswith(
        _COMPILE_ERRORS
    )


def _interpret_script(steps: Sequence[StepResult]) -> Outcome:
    outcome = interpret_exit(steps)
    if outcome.verdict is not Verdict.FAILED:
        return outcome
    result = steps[-1]
    message = last_line(result.stderr)
    if message.startswith("AssertionError"):
        return Outcome(Verdict.FAILED, failed=1, failing_tests=["check"], detail=message)
    return Outcome(Verdict.RUNTIME_ERROR, failed=1, detail=exit_detail(result))


def _interpret_pytest(steps: Sequence[StepResult]) -> Outcome:
    if len(steps) != 1:
        return Outcome(Verdict.INTERNAL_ERROR, detail="expected one pytest step")
    result = steps[0]
    if result.signal is not None:
        return Outcome(Verdict.RUNTIME_ERROR, detail=exit_detail(result))
    output = result.stdout
    report = parse_pytest(output)
    passed, failed, failing = report.passed, report.failed, report.failing
    code = result.exit_code
    if failed and code in (0, 1):  # 0: a failure whose exit status was rewritten at exit
        detail = f"{failed} failed, {passed} passed"
        return Outcome(Verdict.FAILED, passed, failed, failing, detail=detail)
    if code == 0:
        proof, gap = counted_proof(report)
        return Outcome(Verdict.PASSED, passed=passed, detail=gap, proof=proof)
    if code == 5:
        return Outcome(Verdict.NO_TESTS, detail="pytest collected no tests")
    if any(marker in output for marker in _COMPILE_ERRORS) and "solution.py" in output:
        return Outcome(Verdict.COMPILE_ERROR, detail=_error_line(output))
    if code == 2:  # interrupted, typically an error while collecting (an import failed)
        return Outcome(Verdict.RUNTIME_ERROR, passed, failed, failing, detail=_error_line(output))
    return Outcome(Verdict.RUNTIME_ERROR, passed, failed, failing, detail=exit_detail(result))


def parse_pytest(output: str) -> Report:
    """pytest's report: ``collected N items`` from its header, per-test lines from the
    ``-rA`` summary, totals from the final ``N passed, M failed in 0.1s`` line."""
    names = _SUMMARY_LINE.findall(output)
    failing = [name for status, name in names if status != "PASSED"]
    counts = {"passed": 0, "failed": 0, "errors": 0}
    tail = output[-2000:].splitlines()
    summary = next((line for line in reversed(tail) if _FINAL.match(line)), "")
    for number, label in _COUNTS.findall(summary):
        counts["errors" if label.startswith("error") else label] += int(number)
    passed = counts["passed"] or sum(1 for status, _ in names if status == "PASSED")
    failed = counts["failed"] + counts["errors"] or len(failing)
    collected = _COLLECTED.search(output)
    return Report(
        passed,
        failed,
        failing,
        found=bool(summary or names),
        collected=int(collected.group(1)) if collected else None,
        finished=bool(summary),
    )


def _error_line(output: str) -> str:
    """The first ``E   ...`` line pytest printed (the error's own message)."""
    for line in output.splitlines():
        if line.startswith("E "):
            return line[1:].strip()
    return last_line(output)


RECIPE = PythonRecipe()
