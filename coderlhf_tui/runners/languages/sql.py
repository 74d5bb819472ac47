"""The SQL recipe: SQLite 3.40's command-line shell, one database file per run.

How the three test kinds map to SQL (docs/languages.md repeats this for people):

- ``unit`` and ``script`` both run, in one database ``/work/db.sqlite``: the task's
  ``setup`` (schema + seed, ``setup.sql``), then the response (``solution.sql``), then the
  test ``code`` when there is some (``check.sql``). With ``expected_rows``, the last result
  set of the check (or of the response, when there is no check) must equal them, in order
  when ``ordered`` is true, as a multiset otherwise. Without ``expected_rows`` the test
  passes when every statement ran (exit 0): the check can fail on purpose, e.g. a
  ``SELECT`` on a missing table. The check is read with ``coderlhf_done.sql`` after it, in
  one sqlite3 process, which prints the completion record: a check ended early (say, a
  response that rewrote ``check.sql`` into ``.exit``) cannot pass. Matching
  ``expected_rows`` is itself the proof. ``unit`` is the usual "query" task (the response is the
  query); ``script`` suits a response that changes the database (DDL, DML, a trigger)
  followed by a checking query.
- ``io``: each case starts a fresh database: ``setup``, then the case's stdin as extra SQL
  (a data set), then the response with SQLite's default list output (``a|b`` a row),
  compared with the case's stdout under ``compare``.

Each file runs with ``sqlite3 -bail`` (stops at the first error). Result sets are read as
JSON (``-json``), so values keep their types; numbers compare within 1e-9. A ``Parse
error`` in the response (bad syntax, a missing table or column) is a COMPILE_ERROR, a
``Runtime error`` a RUNTIME_ERROR; a failing ``setup`` is the task's fault, reported as a
RUNTIME_ERROR that says so.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

from coderlhf_tui.domain import Language, Response, Task, TestKind, TestSpec, Verdict
from coderlhf_tui.runners.completion import PROOF_FD, RECORD
from coderlhf_tui.runners.languages.common import (
    exit_detail,
    interpret_io,
    io_steps,
    last_line,
    parse_compare,
    run_results,
)
from coderlhf_tui.runners.recipe import NoTests, Outcome, Plan, Step, StepResult

DB = "/work/db.sqlite"
SQLITE = f"sqlite3 -bail {DB}"
TOLERANCE = 1e-9
DONE_FILE = "coderlhf_done.sql"
DONE = f"""
.shell printf '%s ' {RECORD.strip()} ; cat <&{PROOF_FD}
"""
"""Read after the check's own statements, in the same sqlite3 process: the completion record
(a ``.exit`` or ``.quit`` the check was made to run ends the process before it)."""


def sql_tests(tests: TestSpec | None) -> TestSpec:
    """The task's tests when they check something; NoTests otherwise."""
    if tests is None:
        raise NoTests("the task has no tests")
    if tests.kind is TestKind.IO:
        if not tests.cases:
            raise NoTests("the io test has no cases")
    elif tests.expected_rows is None and not tests.code.strip():
        raise NoTests("the SQL test has neither expected_rows nor checking code")
    return tests


class SqlRecipe:
    """SQLite 3.40 (Debian's sqlite3)."""

    language = Language.SQL

    def plan(self, task: Task, response: Response) -> Plan:
        """The files and steps for one response (NoTests when the task has nothing to run)."""
        tests = sql_tests(task.tests)
        files = {"setup.sql": tests.setup or "", "solution.sql": response.code}
        setup = Step(name="setup", command=f"{SQLITE} < setup.sql")
        if tests.kind is TestKind.IO:
            parse_compare(tests.compare)
            command = (
                f"rm -f {DB} && {SQLITE} < setup.sql && {SQLITE} > /dev/null"
                f" && {SQLITE} < solution.sql"
            )
            return Plan(files=files, steps=io_steps(command, tests))
        steps = [setup, Step(name="solution", command=f"{SQLITE} -json < solution.sql")]
        if tests.code.strip():
            files["check.sql"] = tests.code
            files[DONE_FILE] = DONE
            command = f"cat check.sql {DONE_FILE} | {SQLITE} -json"
            steps.append(Step(name="check", command=command, proof=True))
        return Plan(files=files, steps=steps)

    def interpret(self, task: Task, results: Sequence[StepResult]) -> Outcome:
        """The verdict from the run steps (limits are decided before)."""
        tests = sql_tests(task.tests)
        steps = run_results(results)
        if tests.kind is TestKind.IO:
            for result in steps:
                if result.exit_code != 0 and "Parse error" in result.stderr:
                    return Outcome(Verdict.COMPILE_ERROR, detail=_error(result))
            return interpret_io(tests, steps)
        for result in steps:
            if result.exit_code == 0 and result.signal is None:
                continue
            if result.step.name == "setup":
                detail = f"the task's setup script failed: {_error(result)}"
                return Outcome(Verdict.RUNTIME_ERROR, detail=detail)
            if result.step.name == "solution" and "Parse error" in result.stderr:
                return Outcome(Verdict.COMPILE_ERROR, detail=_error(result))
            if result.step.name == "check":
                name, detail = "check", _error(result)
                return Outcome(Verdict.FAILED, failed=1, failing_tests=[name], detail=detail)
            return Outcome(Verdict.RUNTIME_ERROR, detail=_error(result))
        if tests.expected_rows is None:  # the check's completion record is the proof
            return Outcome(Verdict.PASSED, passed=1)
        try:
            rows = last_result_set(steps[-1].stdout)
        except ValueError as exc:
            return Outcome(Verdict.INTERNAL_ERROR, detail=f"unreadable sqlite3 output: {exc}")
        expected = [list(row) for row in tests.expected_rows]
        problem = rows_difference(rows, expected, ordered=tests.ordered)
        if problem:
            return Outcome(Verdict.FAILED, failed=1, failing_tests=["rows"], detail=problem)
        return Outcome(Verdict.PASSED, passed=1, proof=f"the {len(rows)} expected rows")


def last_result_set(output: str) -> list[list[Any]]:
    """The rows of the last result set ``sqlite3 -json`` printed (none printed: no rows).

    Each statement's rows come as one JSON array of objects; columns keep their order and
    duplicate names (``SELECT a.id, b.id``) are kept, so rows are lists of values.
    """
    decoder = json.JSONDecoder(object_pairs_hook=lambda pairs: [value for _, value in pairs])
    text, index, last = output.strip(), 0, []
    while index < len(text):
        value, index = decoder.raw_decode(text, index)
        while index < len(text) and text[index].isspace():
            index += 1
        if not isinstance(value, list):
            raise ValueError("expected a JSON array of rows")
        last = value
    return [list(row) for row in last]


def rows_difference(actual: list[list[Any]], expected: list[list[Any]], *, ordered: bool) -> str:
    """Why ``actual`` does not match ``expected`` ("" when it does)."""
    if len(actual) != len(expected):
        return f"expected {len(expected)} rows, got {len(actual)}"
    if not ordered:
        actual, expected = sorted(actual, key=_row_key), sorted(expected, key=_row_key)
    for number, (got, want) in enumerate(zip(actual, expected, strict=True), start=1):
        if not _rows_equal(got, want):
            return f"row {number}: expected {want!r}, got {got!r}"
    return ""


def _rows_equal(got: list[Any], want: list[Any]) -> bool:
    return len(got) == len(want) and all(
        _values_equal(a, b) for a, b in zip(got, want, strict=True)
    )


def _values_equal(got: Any, want: Any) -> bool:
    if isinstance(got, int | float) and isinstance(want, int | float):
        return math.isclose(got, want, rel_tol=TOLERANCE, abs_tol=TOLERANCE)
    return bool(got == want)


def _row_key(row: list[Any]) -> list[tuple[int, Any]]:
    """A sort key that orders mixed SQLite values: NULL, numbers, text, then the rest."""
    key: list[tuple[int, Any]] = []
    for value in row:
        if value is None:
            key.append((0, 0))
        elif isinstance(value, int | float):
            key.append((1, round(float(value), 9)))
        elif isinstance(value, str):
            key.append((2, value))
        else:
            key.append((3, json.dumps(value, sort_keys=True)))
    return key


def _error(result: StepResult) -> str:
    for line in result.stderr.splitlines():
        if "error" in line.lower():
            return f"{result.step.name}: {line.strip()}"
    return last_line(result.stderr) or exit_detail(result)


RECIPE = SqlRecipe()
