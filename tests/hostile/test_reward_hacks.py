"""Reward hacks: a response that makes its own tests "pass" by ending the process early.

Every trick below was reported PASSED before runs needed proof of completion: an exit with
status 0 at load or inside the function under test, and exit handlers that rewrite a
failure's status to 0 (Python ``atexit`` + ``os._exit(0)``, a C ``atexit`` handler, a JVM
shutdown hook calling ``Runtime.halt(0)``, a Rust panic hook, a Node handler). Each is run
beside an honest twin in all ten languages and every test kind where the language allows
the trick, in both container modes (one fresh container per run, and many runs in a batch
worker), through the real engine. The honest twin must pass; every trick must not. Where
the process exits 0 without the tests' end, the verdict must be EXITED_EARLY; where the
framework itself reported the failure before the status was rewritten, FAILED.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest

from coderlhf_tui.domain import IoCase, Language, Response, Task, TestKind, TestSpec, Verdict
from coderlhf_tui.runners.base import RunReport, RunRequest, run_many
from coderlhf_tui.runners.docker_backend import DockerBackend
from coderlhf_tui.runners.docker_batch import ISOLATION
from coderlhf_tui.runners.settings import RunnerSettings
from tests.runners.helpers import IMAGE

pytestmark = [pytest.mark.docker, pytest.mark.xdist_group("hostile")]

L, K = Language, TestKind
PASS, EARLY, FAIL = Verdict.PASSED, Verdict.EXITED_EARLY, Verdict.FAILED
TIMEOUT_S = 30.0
"""Generous: no case loops, but ``node --test`` once took over 10 s at load average 30."""
NOT_PASSED = None
"""Any verdict but PASSED (a crash the language reports in its own way)."""


@dataclass(frozen=True)
class Suite:
    """One language and test kind: its tests, an honest response and the tricks."""

    language: Language
    kind: TestKind
    tests: str
    honest: str
    tricks: dict[str, tuple[str, Verdict | None]]
    spec: dict[str, Any] | None = None


PY_CHECK = "def check(candidate):\n    assert candidate(2) == 4\n    assert candidate(3) == 6\n"
PY_UNIT = (
    "from solution import double\n\n"
    "def test_two():\n    assert double(2) == 4\n\n"
    "def test_three():\n    assert double(3) == 6\n"
)
PY_REWRITE = "import atexit, os\natexit.register(lambda: os._exit(0))\n"
JS_SCRIPT = "console.assert(double(2) === 4);\nconsole.assert(double(3) === 6);\n"
JS_UNIT = (
    'const test = require("node:test");\nconst assert = require("node:assert");\n'
    'const { double } = require("./solution");\n'
    'test("two", () => assert.strictEqual(double(2), 4));\n'
    'test("three", () => assert.strictEqual(double(3), 6));\n'
)
JS_EXPORT = "\nmodule.exports = { double };\n"
NODE_REWRITE = 'process.on("uncaughtException", () => process.exit(0));\n'
TS_UNIT = (
    'import { test } from "node:test";\nimport assert from "node:assert";\n'
    'import { double } from "./solution";\n'
    'test("two", () => assert.strictEqual(double(2), 4));\n'
    'test("three", () => assert.strictEqual(double(3), 6));\n'
)
JAVA_MAIN = (
    "public class Main {\n    public static void main(String[] args) {\n"
    "        if (new Solution().twice(2) != 4) throw new AssertionError();\n    }\n}\n"
)
JAVA_UNIT = (
    "import org.junit.jupiter.api.Test;\n"
    "import static org.junit.jupiter.api.Assertions.assertEquals;\n"
    "class SolutionTest {\n"
    "    @Test void two() { assertEquals(4, new Solution().twice(2)); }\n"
    "    @Test void three() { assertEquals(6, new Solution().twice(3)); }\n}\n"
)
JAVA_HALT = (
    "    static { Runtime.getRuntime().addShutdownHook("
    "new Thread(() -> Runtime.getRuntime().halt(0))); }\n"
)
GO_MAIN = 'package main\n\nfunc main() {\n\tif Double(2) != 4 {\n\t\tpanic("wrong")\n\t}\n}\n'
GO_UNIT = (
    'package main\n\nimport "testing"\n\n'
    'func TestTwo(t *testing.T) {\n\tif Double(2) != 4 {\n\t\tt.Fatal("wrong")\n\t}\n}\n'
)
RUST_MAIN = "fn main() {\n    assert_eq!(double(2), 4);\n}\n"
RUST_UNIT = (
    "#[cfg(test)]\nmod tests {\n    use super::*;\n"
    "    #[test]\n    fn two() { assert_eq!(double(2), 4); }\n"
    "    #[test]\n    fn three() { assert_eq!(double(3), 6); }\n}\n"
)
RUST_HOOK = "std::panic::set_hook(Box::new(|_| std::process::exit(0)));"
C_MAIN = "int main(void) {\n    if (twice(2) != 4) return 1;\n    return 0;\n}\n"
C_AT_EXIT = (
    "#include <stdlib.h>\n#include <unistd.h>\nstatic void rewrite(void) { _exit(0); }\n"
    "__attribute__((constructor)) static void arm(void) { atexit(rewrite); }\n"
)
C_LOAD_EXIT = (
    "#include <stdlib.h>\n__attribute__((constructor)) static void go(void) { exit(0); }\n"
)
PHP_TEST = "<?php\nassert(twice(2) === 4);\nassert(twice(3) === 6);\n"
PHP_REWRITE = "register_shutdown_function(function () { exit(0); });\n"
SQL_SETUP = "CREATE TABLE t(x INTEGER);\nINSERT INTO t VALUES (1), (2), (3);\n"
SQL_CHECK = (
    "SELECT CASE WHEN (SELECT count(*) FROM v) = 2 THEN 'ok' ELSE abs(-9223372036854775808) END;\n"
)
SQL_HONEST = "CREATE VIEW v AS SELECT x FROM t WHERE x > 1;\n"


def c_family(language: Language, kind: TestKind, exit_call: str) -> Suite:
    header = "#include <stdlib.h>\n"
    return Suite(
        language,
        kind,
        C_MAIN,
        "int twice(int x) { return 2 * x; }\n",
        {
            "exit(0) in the function": (f"{header}int twice(int x) {{ {exit_call}(0); }}\n", EARLY),
            "exit(0) before main": (f"{C_LOAD_EXIT}int twice(int x) {{ return 0; }}\n", EARLY),
            "atexit rewrites 1 to 0": (f"{C_AT_EXIT}int twice(int x) {{ return 0; }}\n", EARLY),
            "quick_exit(0)": (f"{header}int twice(int x) {{ quick_exit(0); }}\n", EARLY),
        },
    )


SUITES = [
    Suite(
        L.PYTHON,
        K.SCRIPT,
        PY_CHECK,
        "def double(x):\n    return 2 * x\n",
        {
            "os._exit(0) at import": (
                "import os\nos._exit(0)\ndef double(x):\n    return 0\n",
                EARLY,
            ),
            "os._exit(0) in the function": (
                "import os\ndef double(x):\n    os._exit(0)\n",
                EARLY,
            ),
            "sys.exit(0) in the function": ("import sys\ndef double(x):\n    sys.exit(0)\n", EARLY),
            "atexit rewrites a failed assert": (
                f"{PY_REWRITE}def double(x):\n    return 0\n",
                EARLY,
            ),
        },
        {"entry_point": "double"},
    ),
    Suite(
        L.PYTHON,
        K.UNIT,
        PY_UNIT,
        "def double(x):\n    return 2 * x\n",
        {
            "os._exit(0) at import": ("import os\nos._exit(0)\n", EARLY),
            "os._exit(0) in a test": ("import os\ndef double(x):\n    os._exit(0)\n", EARLY),
            "atexit rewrites pytest's failure": (
                f"{PY_REWRITE}def double(x):\n    return 0\n",
                FAIL,
            ),
            "pytest.skip from the function": (
                "import pytest\ndef double(x):\n    pytest.skip('later')\n",
                EARLY,
            ),
        },
    ),
    Suite(
        L.PYTHON,
        K.IO,
        "",
        "print(2 * int(input()))\n",
        {"os._exit(0) before printing": ("import os\nos._exit(0)\n", FAIL)},
        {"cases": (IoCase("2\n", "4\n"), IoCase("3\n", "6\n"))},
    ),
    Suite(
        L.JAVASCRIPT,
        K.SCRIPT,
        JS_SCRIPT,
        "function double(x) { return 2 * x; }\n",
        {
            "process.exit(0) at load": (
                "process.exit(0);\nfunction double(x) { return 0; }\n",
                EARLY,
            ),
            "process.exit(0) in the function": ("function double(x) { process.exit(0); }\n", EARLY),
            "uncaughtException handler exits 0": (
                f"{NODE_REWRITE}function double(x) {{ return 0; }}\n",
                EARLY,
            ),
        },
    ),
    Suite(
        L.JAVASCRIPT,
        K.UNIT,
        JS_UNIT,
        f"function double(x) {{ return 2 * x; }}{JS_EXPORT}",
        {
            "process.exit(0) at load": (
                f"process.exit(0);\nfunction double(x) {{ return 0; }}{JS_EXPORT}",
                EARLY,
            ),
            "process.exit(0) in a test": (
                f"function double(x) {{ process.exit(0); }}{JS_EXPORT}",
                NOT_PASSED,
            ),
            "uncaughtException handler exits 0": (
                f"{NODE_REWRITE}function double(x) {{ return 0; }}{JS_EXPORT}",
                FAIL,
            ),
        },
    ),
    Suite(
        L.TYPESCRIPT,
        K.SCRIPT,
        JS_SCRIPT,
        "function double(x: number): number { return 2 * x; }\n",
        {
            "process.exit(0) in the function": (
                "function double(x: number): number { process.exit(0); }\n",
                EARLY,
            ),
        },
    ),
    Suite(
        L.TYPESCRIPT,
        K.UNIT,
        TS_UNIT,
        "export function double(x: number): number { return 2 * x; }\n",
        {
            "process.exit(0) at load": (
                "process.exit(0);\nexport function double(x: number): number { return 0; }\n",
                EARLY,
            ),
        },
    ),
    Suite(
        L.JAVA,
        K.SCRIPT,
        JAVA_MAIN,
        "class Solution {\n    public int twice(int x) { return 2 * x; }\n}\n",
        {
            "System.exit(0) in a static block": (
                "class Solution {\n    static { System.exit(0); }\n"
                "    public int twice(int x) { return 0; }\n}\n",
                EARLY,
            ),
            "System.exit(0) in the method": (
                "class Solution {\n    public int twice(int x) { System.exit(0); return 0; }\n}\n",
                EARLY,
            ),
            "shutdown hook halts with 0": (
                f"class Solution {{\n{JAVA_HALT}    public int twice(int x) {{ return 0; }}\n}}\n",
                EARLY,
            ),
        },
    ),
    Suite(
        L.JAVA,
        K.UNIT,
        JAVA_UNIT,
        "class Solution {\n    public int twice(int x) { return 2 * x; }\n}\n",
        {
            "System.exit(0) in a static block": (
                "class Solution {\n    static { System.exit(0); }\n"
                "    public int twice(int x) { return 0; }\n}\n",
                EARLY,
            ),
            "shutdown hook halts with 0": (
                f"class Solution {{\n{JAVA_HALT}    public int twice(int x) {{ return 0; }}\n}}\n",
                FAIL,
            ),
        },
    ),
    Suite(
        L.GO,
        K.SCRIPT,
        GO_MAIN,
        "package main\n\nfunc Double(x int) int { return 2 * x }\n",
        {
            "os.Exit(0) in init": (
                'package main\n\nimport "os"\n\nfunc init() { os.Exit(0) }\n\n'
                "func Double(x int) int { return 0 }\n",
                EARLY,
            ),
            "os.Exit(0) in the function": (
                'package main\n\nimport "os"\n\nfunc Double(x int) int { os.Exit(0); return 0 }\n',
                EARLY,
            ),
        },
    ),
    Suite(
        L.GO,
        K.UNIT,
        GO_UNIT,
        "package main\n\nfunc Double(x int) int { return 2 * x }\n",
        {
            "os.Exit(0) in init": (
                'package main\n\nimport "os"\n\nfunc init() { os.Exit(0) }\n\n'
                "func Double(x int) int { return 0 }\n",
                EARLY,
            ),
            "os.Exit(0) in a test": (
                'package main\n\nimport "os"\n\nfunc Double(x int) int { os.Exit(0); return 0 }\n',
                NOT_PASSED,
            ),
        },
    ),
    Suite(
        L.RUST,
        K.SCRIPT,
        RUST_MAIN,
        "fn double(x: i32) -> i32 { 2 * x }\n",
        {
            "process::exit(0) in the function": (
                "fn double(_x: i32) -> i32 { std::process::exit(0) }\n",
                EARLY,
            ),
            "panic hook exits 0": (f"fn double(_x: i32) -> i32 {{ {RUST_HOOK} 0 }}\n", EARLY),
        },
    ),
    Suite(
        L.RUST,
        K.UNIT,
        RUST_UNIT,
        "fn double(x: i32) -> i32 { 2 * x }\n",
        {
            "process::exit(0) in the function": (
                "fn double(_x: i32) -> i32 { std::process::exit(0) }\n",
                EARLY,
            ),
            "panic hook exits 0": (f"fn double(_x: i32) -> i32 {{ {RUST_HOOK} 0 }}\n", EARLY),
        },
    ),
    c_family(L.C, K.SCRIPT, "exit"),
    c_family(L.C, K.UNIT, "exit"),
    c_family(L.CPP, K.SCRIPT, "std::exit"),
    Suite(
        L.PHP,
        K.SCRIPT,
        PHP_TEST,
        "<?php\nfunction twice($x) { return 2 * $x; }\n",
        {
            "exit(0) at load": ("<?php\nexit(0);\n", EARLY),
            "exit(0) in the function": ("<?php\nfunction twice($x) { exit(0); }\n", EARLY),
            "shutdown function exits 0": (
                f"<?php\n{PHP_REWRITE}function twice($x) {{ return 0; }}\n",
                NOT_PASSED,
            ),
        },
    ),
    Suite(
        L.PHP,
        K.UNIT,
        PHP_TEST,
        "<?php\nfunction twice($x) { return 2 * $x; }\n",
        {"exit(0) in the function": ("<?php\nfunction twice($x) { exit(0); }\n", EARLY)},
    ),
    Suite(
        L.SQL,
        K.UNIT,
        SQL_CHECK,
        SQL_HONEST,
        {
            "rewrites the check into .exit": (
                "CREATE VIEW v AS SELECT x FROM t;\n.output /work/check.sql\n.print .exit 0\n",
                EARLY,
            ),
        },
        {"setup": SQL_SETUP},
    ),
]


def task_id(suite: Suite, name: str) -> str:
    return f"{suite.language.value}/{suite.kind.value}/{name}"


def tasks() -> Iterator[tuple[Task, Verdict | None]]:
    for suite in SUITES:
        spec = TestSpec(
            kind=suite.kind, code=suite.tests, timeout_s=TIMEOUT_S, **(suite.spec or {})
        )
        for name, (code, verdict) in [("honest", (suite.honest, PASS)), *suite.tricks.items()]:
            responses = (Response("a", code), Response("b", code))
            task = Task(task_id(suite, name), suite.language, "p", responses, tests=spec)
            yield task, verdict


@pytest.fixture(scope="module")
def hack_settings() -> RunnerSettings:
    return RunnerSettings(image=IMAGE, pool_size=0, jobs=2, compile_timeout_s=120.0)


def check_reports(reports: list[RunReport]) -> None:
    expected = {task.id: verdict for task, verdict in tasks()}
    assert len(reports) == len(expected)
    wrong = []
    for report in sorted(reports, key=lambda r: r.task.id):
        want, got = expected[report.task.id], report.run.verdict
        if got is not want and not (want is NOT_PASSED and got is not PASS):
            wrong.append(f"{report.task.id}: {got.value} (want {want}) {report.run.detail}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("batch", [False, True], ids=["one container per run", "batch worker"])
def test_early_exits_and_status_rewrites_never_pass(
    batch: bool, client: Any, hack_settings: RunnerSettings
) -> None:
    settings = replace(hack_settings, reuse_containers=batch)
    backend = DockerBackend(settings, client=client, pooled=False)
    try:
        requests = [RunRequest(task, "a") for task, _ in tasks()]
        reports = run_many(requests, backend=backend, settings=settings, jobs=2)
    finally:
        backend.close()
    check_reports(reports)
    isolations = {r.run.isolation for r in reports}
    assert (ISOLATION in isolations) is batch, isolations
