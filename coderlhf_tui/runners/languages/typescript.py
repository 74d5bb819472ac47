"""The TypeScript recipe: ``tsc`` 4.8 compiles to CommonJS, then Node runs it as JavaScript.

Files and commands (docs/languages.md repeats this for people):

- ``script``: ``program.ts`` = the response, then the test code; compiled by ``tsc`` into
  ``out/program.js``, run with ``node --require ./coderlhf_assert.cjs out/program.js``
  (``console.assert`` throws, as for JavaScript); the completion record as for JavaScript.
- ``unit``: ``solution.ts`` and ``solution.test.ts`` (``import { test } from "node:test"``,
  ``import ... from "./solution"``), compiled together, run with
  ``node --test --test-reporter=tap out/solution.test.js``.
- ``io``: ``solution.ts`` compiled to ``out/solution.js``, run once per case.

``tsc`` runs with its default checks (not ``--strict``: an implicit ``any`` is not a
defect the prompt asked about) plus ``--noEmitOnError``, so a type error is a
COMPILE_ERROR. Node's own type declarations come from Debian's ``@types/node``.
"""

from __future__ import annotations

from collections.abc import Sequence

from coderlhf_tui.domain import Language, Response, Task, TestKind
from coderlhf_tui.runners.languages.common import io_steps, require_tests
from coderlhf_tui.runners.languages.javascript import (
    ASSERT_HOOK,
    ASSERT_HOOK_FILE,
    NODE,
    NODE_TEST,
    TAIL,
    interpret_node,
)
from coderlhf_tui.runners.recipe import Outcome, Plan, Step, StepResult

TSC = (
    "tsc --target es2020 --module commonjs --esModuleInterop --skipLibCheck --noEmitOnError"
    " --pretty false --typeRoots /usr/share/nodejs/@types --types node --outDir out"
)


def _compile(*paths: str) -> Step:
    return Step(name="tsc", command=f"{TSC} {' '.join(paths)}", kind="compile")


class TypeScriptRecipe:
    """TypeScript 4.8 (Debian's node-typescript) on Node.js 18."""

    language = Language.TYPESCRIPT

    def plan(self, task: Task, response: Response) -> Plan:
        """The files and steps for one response (NoTests when the task has nothing to run)."""
        tests = require_tests(task.tests)
        if tests.kind is TestKind.SCRIPT:
            files = {
                "program.ts": f"{response.code}\n\n{tests.code}\n{TAIL}",
                ASSERT_HOOK_FILE: ASSERT_HOOK,
            }
            command = f"{NODE} --require ./{ASSERT_HOOK_FILE} out/program.js"
            run = Step("script", command, proof=True)
            return Plan(files=files, steps=[_compile("program.ts"), run])
        if tests.kind is TestKind.UNIT:
            files = {"solution.ts": response.code, "solution.test.ts": tests.code}
            run = Step(name="node --test", command=f"{NODE_TEST} out/solution.test.js")
            return Plan(files=files, steps=[_compile("solution.ts", "solution.test.ts"), run])
        steps = [_compile("solution.ts"), *io_steps(f"{NODE} out/solution.js", tests)]
        return Plan(files={"solution.ts": response.code}, steps=steps)

    def interpret(self, task: Task, results: Sequence[StepResult]) -> Outcome:
        """The verdict from the run steps (compile failures and limits are decided before)."""
        return interpret_node(task, results)


RECIPE = TypeScriptRecipe()
