"""The JavaScript recipe: Node 18, its built-in ``node:test`` runner, no npm packages.

Files and commands (docs/languages.md repeats this for people):

- ``script``: ``program.js`` = the response, then the test code; checked with
  ``node --check``, run with ``node --require ./coderlhf_assert.cjs program.js``. The
  preloaded file makes ``console.assert`` throw an AssertionError: HumanEval-X's JavaScript
  tests assert with ``console.assert``, which in plain Node only prints. The line after the
  test code asks the preloaded file for the completion record, printed when the event loop
  drains on its own (``beforeExit``, which ``process.exit`` skips). Exit 0 with the record
  passes; without it: EXITED_EARLY.
- ``unit``: ``solution.js`` and ``solution.test.js`` (which ``require('./solution')`` or
  ``import ... from './solution.js'``), run with ``node --test --test-reporter=tap``;
  counts and failing names come from the TAP report; a pass needs ``# pass N`` to equal
  ``# tests N``, and a test file that reported no test of its own (it exited while
  loading) is not a passed test.
- ``io``: ``solution.js``, run once per case with ``node solution.js``.

ES modules: a response written with ``import``/``export`` statements is run as an ES
module (``.mjs`` for a script, ``package.json`` ``{"type": "module"}`` for a unit test); an
ESM test beside a CommonJS solution becomes ``solution.test.mjs``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from coderlhf_tui.domain import Language, Response, Task, TestKind
from coderlhf_tui.runners.completion import PROOF_FD, RECORD
from coderlhf_tui.runners.languages.common import io_steps, require_tests
from coderlhf_tui.runners.languages.reports import Report, interpret_by_kind, parse_tap
from coderlhf_tui.runners.recipe import Outcome, Plan, Step, StepResult

ASSERT_HOOK_FILE = "coderlhf_assert.cjs"
ASSERT_HOOK = """\
// Preloaded by coderlhf: a failed console.assert throws, so it fails the test script.
"use strict";
const { AssertionError } = require("node:assert");
const { format } = require("node:util");
console.assert = (value, ...message) => {
  if (!value) {
    const text = message.length ? format(...message) : "console.assert failed";
    throw new AssertionError({ message: text });
  }
};
// Called by the line after the test code: the completion record, once the event loop has
// drained on its own ("beforeExit" never comes after process.exit or an uncaught error).
globalThis[Symbol.for("coderlhf.done")] = () => {
  process.once("beforeExit", () => {
    const fs = require("node:fs");
    const nonce = fs.readFileSync(PROOF_FD, "utf8").trim();
    fs.writeSync(1, "\\nRECORD" + nonce + "\\n");
  });
};
""".replace("PROOF_FD", str(PROOF_FD)).replace("RECORD", RECORD)
TAIL = '\n;globalThis[Symbol.for("coderlhf.done")]();\n'
"""The line after a script's test code (TypeScript compiles it unchanged)."""
NODE = "node"
NODE_TEST = f"{NODE} --test --test-reporter=tap"

ASSERTION = re.compile(r"^[ \t]*(?:Uncaught )?(?:AssertionError|AssertionFailedError)\b", re.M)
CRASH = re.compile(
    r"^[ \t]*(?:Uncaught )?(?:TypeError|ReferenceError|RangeError|SyntaxError|EvalError|URIError)\b"
    r"|^FATAL ERROR:",
    re.M,
)
_ESM = re.compile(
    r"^\s*(?:import\s+(?:[\w*{}\s,$]+\s+from\s+)?['\"]|export\s+(?:default\b|[{*]|"
    r"(?:async\s+)?function\b|class\b|const\b|let\b|var\b))",
    re.M,
)


def is_esm(code: str) -> bool:
    """Whether ``code`` uses ES module ``import``/``export`` statements."""
    return _ESM.search(code) is not None


def check_step(*paths: str) -> Step:
    """A compile step: ``node --check`` on each file (syntax errors become COMPILE_ERROR)."""
    command = " && ".join(f"node --check {path}" for path in paths)
    return Step(name="syntax check", command=command, kind="compile")


def interpret_node(task: Task, results: Sequence[StepResult]) -> Outcome:
    """The verdict of a Node run, shared with TypeScript (whose steps have the same names)."""
    return interpret_by_kind(require_tests(task.tests), results, ASSERTION, CRASH, parse_node_tap)


_FILE_ENTRY = re.compile(r"^ok \d+ - /\S+\.[cm]?js\s*$", re.M)


def parse_node_tap(text: str) -> Report:
    """``node --test``'s TAP, where a test file that reported no test of its own (it ended
    before its tests ran, e.g. ``process.exit(0)`` at load) shows as one passing entry named
    after the file: that entry is collected but not a passed test."""
    report = parse_tap(text)
    wholes = len(_FILE_ENTRY.findall(text))
    if not wholes:
        return report
    return replace(report, passed=max(report.passed - wholes, 0))


class JavaScriptRecipe:
    """Node.js 18 (Debian's nodejs)."""

    language = Language.JAVASCRIPT

    def plan(self, task: Task, response: Response) -> Plan:
        """The files and steps for one response (NoTests when the task has nothing to run)."""
        tests = require_tests(task.tests)
        code = response.code
        if tests.kind is TestKind.SCRIPT:
            program = "program.mjs" if is_esm(code) or is_esm(tests.code) else "program.js"
            files = {program: f"{code}\n\n{tests.code}\n{TAIL}", ASSERT_HOOK_FILE: ASSERT_HOOK}
            command = f"{NODE} --require ./{ASSERT_HOOK_FILE} {program}"
            run = Step(name="script", command=command, proof=True)
            return Plan(files=files, steps=[check_step(program), run])
        if tests.kind is TestKind.UNIT:
            files = {"solution.js": code}
            test_file = "solution.test.js"
            if is_esm(code):
                files["package.json"] = '{"type": "module"}\n'
            elif is_esm(tests.code):
                test_file = "solution.test.mjs"
            files[test_file] = tests.code
            run = Step(name="node --test", command=f"{NODE_TEST} {test_file}")
            return Plan(files=files, steps=[check_step("solution.js", test_file), run])
        program = "solution.mjs" if is_esm(code) else "solution.js"
        steps = [check_step(program), *io_steps(f"{NODE} {program}", tests)]
        return Plan(files={program: code}, steps=steps)

    def interpret(self, task: Task, results: Sequence[StepResult]) -> Outcome:
        """The verdict from the run steps (compile failures and limits are decided before)."""
        return interpret_node(task, results)


RECIPE = JavaScriptRecipe()
