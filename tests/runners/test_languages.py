"""Each language recipe, run for real in the Docker sandbox: the paths the demo tasks miss.

The demo tasks (test_demo_verdicts.py) already show passing, failing, crashing and slow
responses in every language; here are the rest: a compile error in each compiled
language, ES modules, MultiPL-E-style Java, Go's missing package clause, a C test that
includes the solution, PHP without an opening tag, SQL parse and setup errors, and
NO_TESTS.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from coderlhf_tui.domain import IoCase, Language, Response, Task, TestKind, TestSpec, Verdict
from coderlhf_tui.runners.base import run_response
from coderlhf_tui.runners.docker_backend import DockerBackend
from coderlhf_tui.runners.settings import RunnerSettings


@dataclass(frozen=True)
class Case:
    name: str
    language: Language
    kind: TestKind
    code: str
    tests: str = ""
    verdict: Verdict = Verdict.PASSED
    counts: tuple[int, int] | None = None
    spec: dict[str, Any] = field(default_factory=dict)


L, K, V = Language, TestKind, Verdict
JS_UNIT = (
    'import { test } from "node:test";\nimport assert from "node:assert/strict";\n'
    'import { add } from "./solution.js";\n'
    'test("small", () => assert.equal(add(1, 2), 3));\n'
    'test("big", () => assert.equal(add(2, 2), 4));\n'
)
GO_TESTIFY = (
    'package main\n\nimport (\n    "testing"\n    "github.com/stretchr/testify/assert"\n)\n\n'
    "func TestAdd(t *testing.T) {\n    assert.Equal(t, 3, Add(1, 2))\n}\n"
)
C_MAIN = "#include <assert.h>\nint main(void) { assert(add(1, 2) == 3); return 0; }\n"

CASES = [
    Case(
        "js esm unit",
        L.JAVASCRIPT,
        K.UNIT,
        "export const add = (a, b) => a + b;\n",
        JS_UNIT,
        counts=(2, 0),
    ),
    Case(
        "js esm test, cjs solution",
        L.JAVASCRIPT,
        K.UNIT,
        "exports.add = (a, b) => a - b;\n",
        JS_UNIT,
        V.FAILED,
        counts=(0, 2),
    ),
    Case(
        "js syntax error",
        L.JAVASCRIPT,
        K.SCRIPT,
        "function add(a, b) {\n",
        "add(1, 2);\n",
        V.COMPILE_ERROR,
    ),
    Case("js no test code", L.JAVASCRIPT, K.SCRIPT, "const x = 1;\n", "  \n", V.NO_TESTS),
    Case(
        "ts type error in unit",
        L.TYPESCRIPT,
        K.UNIT,
        "export function add(a: number, b: number): number { return a + b; }\n",
        JS_UNIT.replace("./solution.js", "./solution").replace("add(1, 2)", 'add("1", 2)'),
        V.COMPILE_ERROR,
    ),
    Case(
        "ts io",
        L.TYPESCRIPT,
        K.IO,
        'const text: string = require("fs").readFileSync(0, "utf8");\n'
        "console.log(text.trim().split(/\\s+/).map(Number).reduce((a, b) => a + b, 0));\n",
        spec={"cases": (IoCase("1 2 3\n", "6\n"),)},
    ),
    Case(
        "java multipl-e continuation",
        L.JAVA,
        K.SCRIPT,
        "import java.util.*;\nclass Problem {\n    public static int add(int a, int b) {\n"
        "        return a + b;\n    }\n",
        "    public static void main(String[] args) {\n"
        "        assert(add(1, 2) == 3);\n        assert(add(2, 2) == 5);\n    }\n}\n",
        V.FAILED,
    ),
    Case(
        "java compile error",
        L.JAVA,
        K.SCRIPT,
        "class Solution { int add(int a, int b) { return a + b } }\n",
        "public class Main { public static void main(String[] a) { } }\n",
        V.COMPILE_ERROR,
    ),
    Case(
        "java junit no tests",
        L.JAVA,
        K.UNIT,
        "class Solution { int add(int a, int b) { return a + b; } }\n",
        "class SolutionTest { void notATest() { } }\n",
        V.NO_TESTS,
    ),
    Case(
        "go testify, no package clause",
        L.GO,
        K.UNIT,
        "func Add(a, b int) int { return a + b }\n",
        GO_TESTIFY,
        counts=(1, 0),
    ),
    Case(
        "go no tests",
        L.GO,
        K.UNIT,
        "func Add(a, b int) int { return a + b }\n",
        "package main\n",
        V.NO_TESTS,
    ),
    Case(
        "go compile error",
        L.GO,
        K.UNIT,
        "func Add(a, b int) int { return a + c }\n",
        GO_TESTIFY,
        V.COMPILE_ERROR,
    ),
    Case(
        "go runtime panic in a script",
        L.GO,
        K.SCRIPT,
        "func Add(a, b int) int { var s []int; return s[a+b] }\n",
        'func main() { if Add(1, 2) != 3 { panic("wrong") } }\n',
        V.RUNTIME_ERROR,
    ),
    Case(
        "rust compile error",
        L.RUST,
        K.UNIT,
        "fn add(a: i32, b: i32) -> i32 { a + c }\n",
        "#[cfg(test)]\nmod tests {\n    use super::*;\n    #[test]\n"
        "    fn adds() { assert_eq!(add(1, 2), 3); }\n}\n",
        V.COMPILE_ERROR,
    ),
    Case(
        "c unit includes the solution",
        L.C,
        K.UNIT,
        "int add(int a, int b) { return a + b; }\n",
        '#include "solution.c"\n' + C_MAIN,
    ),
    Case(
        "c unit, assertion without TAP",
        L.C,
        K.UNIT,
        "int add(int a, int b) { return a - b; }\n",
        "int add(int a, int b);\n" + C_MAIN,
        V.FAILED,
    ),
    Case(
        "c compile error",
        L.C,
        K.SCRIPT,
        "int add(int a, int b) { return a + ; }\n",
        C_MAIN,
        V.COMPILE_ERROR,
    ),
    Case(
        "cpp use after free",
        L.CPP,
        K.SCRIPT,
        "int add(int a, int b) { int *p = new int(a + b); delete p; return *p; }\n",
        C_MAIN,
        V.RUNTIME_ERROR,
    ),
    Case(
        "php without an opening tag",
        L.PHP,
        K.SCRIPT,
        "function add($a, $b) { return $a + $b; }\n",
        "assert(add(1, 2) === 3);\n",
    ),
    Case(
        "php engine error",
        L.PHP,
        K.SCRIPT,
        "function add($a, $b) { return intdiv($a, 0); }\n",
        "assert(add(1, 2) === 3);\n",
        V.RUNTIME_ERROR,
    ),
    Case(
        "php parse error",
        L.PHP,
        K.IO,
        "<?php echo 1 +;\n",
        "",
        V.COMPILE_ERROR,
        spec={"cases": (IoCase("", "1\n"),)},
    ),
    Case(
        "sql parse error",
        L.SQL,
        K.UNIT,
        "SELEC 1;",
        "",
        V.COMPILE_ERROR,
        spec={"expected_rows": ((1,),)},
    ),
    Case(
        "sql missing column",
        L.SQL,
        K.UNIT,
        "SELECT nope FROM t;",
        "",
        V.COMPILE_ERROR,
        spec={"setup": "CREATE TABLE t(x);", "expected_rows": ()},
    ),
    Case(
        "sql broken setup",
        L.SQL,
        K.UNIT,
        "SELECT 1;",
        "",
        V.RUNTIME_ERROR,
        spec={"setup": "CREATE TABLE;", "expected_rows": ((1,),)},
    ),
    Case(
        "sql unordered rows, duplicate column names",
        L.SQL,
        K.UNIT,
        "SELECT a.x, b.x FROM t a JOIN t b ON b.x = a.x + 1 ORDER BY a.x DESC;",
        "",
        spec={
            "setup": "CREATE TABLE t(x); INSERT INTO t VALUES (1), (2), (3);",
            "expected_rows": ((1, 2), (2, 3)),
            "ordered": False,
        },
    ),
    Case(
        "sql check without expected rows",
        L.SQL,
        K.SCRIPT,
        "CREATE VIEW adults AS SELECT * FROM people WHERE age >= 18;",
        "SELECT count(*) FROM adults;",
        spec={"setup": "CREATE TABLE people(age);"},
    ),
    Case("sql nothing to check", L.SQL, K.UNIT, "SELECT 1;", "", V.NO_TESTS),
]


def task_of(case: Case) -> Task:
    spec = TestSpec(kind=case.kind, code=case.tests, **case.spec)
    response = Response("a", case.code)
    return Task("t", case.language, "p", (response, Response("b", "")), tests=spec)


@pytest.mark.docker
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_language_case(case: Case, backend: DockerBackend, settings: RunnerSettings) -> None:
    run = run_response(task_of(case), "a", backend=backend, settings=settings)
    assert run.verdict is case.verdict, f"{run.detail}\n{run.stdout}\n{run.stderr}"
    if case.counts is not None:
        assert (run.passed, run.failed) == case.counts


COMPILE_ERRORS = [
    (L.JAVA, 'public class Solution { int f() { return "x"; } }\n', "error: incompatible types"),
    (L.RUST, 'fn add(a: i32) -> i32 { a + "x" }\n', "error[E0277]"),
    (L.C, "int add(int a, int b) { return a + ; }\n", "error: expected expression"),
]


@pytest.mark.docker
@pytest.mark.parametrize(
    ("language", "code", "expected"), COMPILE_ERRORS, ids=[c[0].value for c in COMPILE_ERRORS]
)
def test_compile_error_detail_names_the_first_error(
    language: Language, code: str, expected: str, backend: DockerBackend, settings: RunnerSettings
) -> None:
    """The detail shows the compiler's first error, not its closing summary line."""
    tests = {L.JAVA: "public class Main { public static void main(String[] a) {} }\n"}.get(
        language, C_MAIN if language is L.C else "fn main() {}\n"
    )
    case = Case("compile", language, K.SCRIPT, code, tests, V.COMPILE_ERROR)
    run = run_response(task_of(case), "a", backend=backend, settings=settings)
    assert run.verdict is Verdict.COMPILE_ERROR, f"{run.detail}\n{run.stderr}"
    assert expected in run.detail, run.detail


@pytest.mark.docker
def test_go_testify_comes_precompiled(client: Any, settings: RunnerSettings) -> None:
    """The toolbox's testify archives are current for the Go recipe's own environment, so
    a unit build links them instead of compiling them on every run (images.PREPARE)."""
    from coderlhf_tui.runners.docker_sandbox import Sandbox
    from coderlhf_tui.runners.languages.go import ENV

    packages = "github.com/stretchr/testify/assert github.com/stretchr/testify/require"
    sandbox = Sandbox.start(client, settings.image, settings.limits)
    try:
        command = f"{ENV} go list -f '{{{{.ImportPath}}}} {{{{.Stale}}}}' -deps {packages}"
        result = sandbox.run_step(command, None, 60.0, 100_000)
    finally:
        sandbox.destroy()
    assert result.exit_code == 0, result.stderr
    stale = [line for line in result.stdout.splitlines() if line.endswith(" true")]
    assert "github.com/stretchr/testify/assert false" in result.stdout
    assert stale == [], stale
