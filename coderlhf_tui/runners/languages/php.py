"""The PHP recipe: PHP 8.2's command line, tests written with ``assert``.

Files and commands (docs/languages.md repeats this for people):

- Each file gets ``<?php`` at the start of its first line when it has no opening tag
  (models often leave it out; line numbers stay as shown).
- ``script``: ``solution.php`` and ``test.php``; both checked with ``php -l``, then
  ``php <ASSERTS> -d auto_prepend_file=/work/solution.php test.php``: the solution is loaded
  before the test code, as if appended, and ``-d auto_append_file=/work/coderlhf_done.php``
  prints the completion record after it (PHP skips the appended file after ``exit()`` or an
  uncaught error). Exit 0 with the record passes (an ``exit(0)`` in the solution:
  EXITED_EARLY); an uncaught AssertionError or an
  exception thrown by the test is FAILED; an engine ``Error`` (TypeError, calling a member of
  null, division by zero) is a RUNTIME_ERROR.
- ``unit``: ``solution.php`` and ``test_solution.php`` (which may ``require_once
  __DIR__ . '/solution.php'``; it is prepended either way), run the same way; a test that
  prints TAP lines gets per-test counts and names; the completion record as for a script.
- ``io``: ``solution.php``, run once per case with ``php solution.php``.

``<ASSERTS>`` is ``-d zend.assertions=1 -d assert.exception=1 -d display_errors=stderr
-d log_errors=0``: assertions are compiled in and throw, errors go to stderr once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from coderlhf_tui.domain import Language, Response, Task, TestKind
from coderlhf_tui.runners.completion import PROOF_FD, RECORD
from coderlhf_tui.runners.languages.common import io_steps, require_tests
from coderlhf_tui.runners.languages.reports import interpret_by_kind
from coderlhf_tui.runners.recipe import Outcome, Plan, Step, StepResult

PHP = "php -d zend.assertions=1 -d assert.exception=1 -d display_errors=stderr -d log_errors=0"
WITH_SOLUTION = f"{PHP} -d auto_prepend_file=/work/solution.php"

DONE_FILE = "coderlhf_done.php"
DONE = (
    "<?php // coderlhf: the completion record (auto_append_file: skipped after exit()"
    " or an uncaught error)\n"
    "fflush(STDOUT);\n"
    f'echo "\\n{RECORD}", trim((string) file_get_contents(\'php://fd/{PROOF_FD}\')), "\\n";\n'
)

ASSERTION = re.compile(r"Uncaught (?:AssertionError|Exception)\b")
CRASH = re.compile(r"(?:Fatal error|Uncaught \w*Error)\b")
_OPEN_TAG = re.compile(r"^\s*(?:#![^\n]*\n\s*)?<\?(?:php\b|=)?")


def with_open_tag(code: str) -> str:
    """``code`` starting in PHP mode: ``<?php`` added on line 1 when there is no opening tag."""
    return code if _OPEN_TAG.match(code) else f"<?php {code}"


def _lint(*paths: str) -> Step:
    command = " && ".join(f"php -l {path} >/dev/null" for path in paths)
    return Step(name="php -l", command=command, kind="compile")


class PhpRecipe:
    """PHP 8.2 (Debian's php-cli)."""

    language = Language.PHP

    def plan(self, task: Task, response: Response) -> Plan:
        """The files and steps for one response (NoTests when the task has nothing to run)."""
        tests = require_tests(task.tests)
        solution = with_open_tag(response.code)
        if tests.kind is TestKind.IO:
            steps = [_lint("solution.php"), *io_steps(f"{PHP} solution.php", tests)]
            return Plan(files={"solution.php": solution}, steps=steps)
        test_file = "test.php" if tests.kind is TestKind.SCRIPT else "test_solution.php"
        files = {"solution.php": solution, test_file: with_open_tag(tests.code), DONE_FILE: DONE}
        command = f"{WITH_SOLUTION} -d auto_append_file=/work/{DONE_FILE} {test_file}"
        run = Step(name=tests.kind.value, command=command, proof=True)
        return Plan(files=files, steps=[_lint("solution.php", test_file), run])

    def interpret(self, task: Task, results: Sequence[StepResult]) -> Outcome:
        """The verdict from the run steps (compile failures and limits are decided before)."""
        return interpret_by_kind(require_tests(task.tests), results, ASSERTION, CRASH)


RECIPE = PhpRecipe()
