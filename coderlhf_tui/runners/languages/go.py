"""The Go recipe: Go 1.19 in GOPATH mode, with Debian's testify for HumanEval-X's tests.

Files and commands (docs/languages.md repeats this for people):

- Every file is in one package (``main`` unless the tests name another). A response
  without a ``package`` clause gets the tests' one on its first line (so compiler line
  numbers stay right); a response whose clause differs gets it renamed on that line.
- ``script``: ``solution.go`` and ``check.go`` (the test code, with a ``func main``), built
  with ``go build -o prog .`` and run as ``./prog``. The test's ``func main`` is renamed
  ``coderlhfTestMain`` and ``coderlhf_done.go`` brings a ``main`` that calls it and then
  prints the completion record. Exit 0 with the record passes (an ``os.Exit(0)`` in an
  ``init`` or in the solution: EXITED_EARLY); a runtime panic is a RUNTIME_ERROR, any other
  non-zero exit (a ``panic`` of the test's own, ``os.Exit(1)``) FAILED.
- ``unit``: ``solution.go`` and ``solution_test.go``, compiled with
  ``go test -c -vet=off -o solution.test .`` and run as
  ``./solution.test -test.v -test.count=1``; counts and names from the ``--- PASS/FAIL`` lines;
  a pass needs a ``--- PASS`` for every top-level ``=== RUN`` and testing's closing
  ``PASS`` line.
- ``io``: ``main.go``, built with ``go build -o prog .``, run once per case as ``./prog``.

GOPATH mode (``GO111MODULE=off``) with ``GOPATH=/usr/share/gocode`` lets tests import
``github.com/stretchr/testify`` from Debian's golang-github-stretchr-testify-dev with no
module download (``GOPROXY=off``); the build cache is in the work dir. ``go vet`` is off:
over testify it costs about 3 s a run (on one CPU) and finds style problems, which the
static scan reports anyway.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from coderlhf_tui.domain import Language, Response, Task, TestKind
from coderlhf_tui.runners.completion import PROOF_FD, RECORD
from coderlhf_tui.runners.languages.common import io_steps, require_tests
from coderlhf_tui.runners.languages.reports import interpret_by_kind, parse_go_test
from coderlhf_tui.runners.recipe import Outcome, Plan, Step, StepResult

ENV = (
    "GO111MODULE=off GOPATH=/usr/share/gocode GOPROXY=off GOFLAGS= GOTOOLCHAIN=local"
    " GOCACHE=/work/.cache/go"
)
BUILD = Step(name="go build", command=f"{ENV} go build -o prog .", kind="compile")
TEST_BUILD = Step(
    name="go test -c", command=f"{ENV} go test -c -vet=off -o solution.test .", kind="compile"
)

ASSERTION = re.compile(r"^panic: (?!runtime error)", re.M)
"""Go has no assert: a script's own ``panic`` (or ``os.Exit(1)``) is its failed check."""
CRASH = re.compile(r"^panic: runtime error|^fatal error:|^panic: .*\[recovered\]", re.M)
_PACKAGE = re.compile(r"^package\s+(\w+)", re.M)
_MAIN = re.compile(r"(?<![\w.])func\s+main\s*\(\s*\)")
DONE = f"""package main

import (
\t"bytes"
\t"os"
)

// main runs the test's own main (renamed coderlhfTestMain), then prints the completion
// record: an os.Exit or a panic anywhere before never reaches it.
func main() {{
\tcoderlhfTestMain()
\tnonce := make([]byte, 64)
\tn, _ := os.NewFile({PROOF_FD}, "proof").Read(nonce)
\tos.Stdout.WriteString("\\n{RECORD}" + string(bytes.TrimSpace(nonce[:n])) + "\\n")
}}
"""


def package_of(code: str, default: str = "main") -> str:
    """The package ``code`` declares, else ``default``."""
    match = _PACKAGE.search(code)
    return match.group(1) if match else default


def in_package(code: str, package: str) -> str:
    """``code`` declaring ``package``: the clause added on line 1, or the old name replaced."""
    match = _PACKAGE.search(code)
    if match is None:
        return f"package {package}; {code}"
    if match.group(1) == package:
        return code
    return f"{code[: match.start(1)]}{package}{code[match.end(1) :]}"


class GoRecipe:
    """Go 1.19 (Debian's golang-go) with testify (golang-github-stretchr-testify-dev)."""

    language = Language.GO

    def plan(self, task: Task, response: Response) -> Plan:
        """The files and steps for one response (NoTests when the task has nothing to run)."""
        tests = require_tests(task.tests)
        if tests.kind is TestKind.SCRIPT:
            files = {
                "solution.go": in_package(response.code, "main"),
                "check.go": _MAIN.sub("func coderlhfTestMain()", in_package(tests.code, "main"), 1),
                "coderlhf_done.go": DONE,
            }
            run = Step(name="script", command="./prog", proof=True)
            return Plan(files=files, steps=[BUILD, run])
        if tests.kind is TestKind.UNIT:
            package = package_of(tests.code)
            files = {
                "solution.go": in_package(response.code, package),
                "solution_test.go": in_package(tests.code, package),
            }
            run = Step(name="go test", command="./solution.test -test.v -test.count=1")
            return Plan(files=files, steps=[TEST_BUILD, run])
        files = {"main.go": in_package(response.code, "main")}
        return Plan(files=files, steps=[BUILD, *io_steps("./prog", tests)])

    def interpret(self, task: Task, results: Sequence[StepResult]) -> Outcome:
        """The verdict from the run steps (compile failures and limits are decided before)."""
        return interpret_by_kind(
            require_tests(task.tests), results, ASSERTION, CRASH, parse_go_test
        )


RECIPE = GoRecipe()
