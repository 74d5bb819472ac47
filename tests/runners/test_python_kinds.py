"""The Python recipe's three test kinds, run for real in the Docker sandbox."""

from __future__ import annotations

from dataclasses import replace

import pytest

from coderlhf_tui.domain import IoCase, TestKind, Verdict
from coderlhf_tui.runners.base import run_response
from coderlhf_tui.runners.docker_backend import DockerBackend
from coderlhf_tui.runners.languages.python import RECIPE, TAIL
from coderlhf_tui.runners.settings import RunnerSettings
from tests.runners.helpers import python_task

CHECK = "def check(candidate):\n    assert candidate(2) == 3\n    assert candidate(5) == 6\n"
UNIT = (
    "from solution import inc\n\n"
    "def test_small():\n    assert inc(1) == 2\n\n"
    "def test_big():\n    assert inc(10**6) == 10**6 + 1\n\n"
    "def test_negative():\n    assert inc(-1) == 0\n"
)


def run(task, backend: DockerBackend, settings: RunnerSettings):  # type: ignore[no-untyped-def]
    return run_response(task, "a", backend=backend, settings=settings)


@pytest.mark.parametrize(
    ("code", "verdict"),
    [
        ("def inc(x):\n    return x + 1\n", Verdict.PASSED),
        ("def inc(x):\n    return x + 2\n", Verdict.FAILED),
        ("def inc(x):\n    return undefined_name\n", Verdict.RUNTIME_ERROR),
        ("def inc(x)\n    return x + 1\n", Verdict.COMPILE_ERROR),
    ],
)
def test_script_humaneval_convention(
    code: str, verdict: Verdict, backend: DockerBackend, settings: RunnerSettings
) -> None:
    run_ = run(python_task(code, CHECK, entry_point="inc"), backend, settings)
    assert run_.verdict is verdict, run_.detail
    assert run_.isolation == "docker" and run_.image == settings.image
    assert run_.limits == settings.limits and run_.content_hash


def test_script_calls_check_once_when_the_test_already_does() -> None:
    task = python_task("def inc(x): return x + 1", CHECK + "check(inc)\n", entry_point="inc")
    plan = RECIPE.plan(task, task.response("a"))
    assert plan.files["program.py"].count("check(inc)") == 1
    task = python_task("def inc(x): return x + 1", CHECK, entry_point="inc")
    plan = RECIPE.plan(task, task.response("a"))
    assert plan.files["program.py"].removesuffix(TAIL).rstrip().endswith("check(inc)")


def test_unit_reports_each_test(backend: DockerBackend, settings: RunnerSettings) -> None:
    code = "def inc(x):\n    return x + 1 if x < 100 else x\n"
    run_ = run(python_task(code, UNIT, kind=TestKind.UNIT), backend, settings)
    assert run_.verdict is Verdict.FAILED
    assert (run_.passed, run_.failed) == (2, 1)
    assert run_.failing_tests == ["test_solution.py::test_big"]
    assert run_.peak_memory_mb is not None and run_.peak_memory_mb > 1


def test_unit_pass_and_no_tests(backend: DockerBackend, settings: RunnerSettings) -> None:
    good = run(python_task("def inc(x): return x + 1", UNIT, kind=TestKind.UNIT), backend, settings)
    assert good.verdict is Verdict.PASSED and good.passed == 3
    empty = python_task("def inc(x): return x + 1", "import solution\n", kind=TestKind.UNIT)
    assert run(empty, backend, settings).verdict is Verdict.NO_TESTS


def test_unit_import_error_is_a_runtime_error(
    backend: DockerBackend, settings: RunnerSettings
) -> None:
    task = python_task("import not_a_module\n", UNIT, kind=TestKind.UNIT)
    assert run(task, backend, settings).verdict is Verdict.RUNTIME_ERROR


@pytest.mark.parametrize(
    ("code", "compare", "verdict", "passed"),
    [
        ("print(int(input()) * 2)", "exact", Verdict.PASSED, 3),
        ("print(int(input()) * 2, ' ')", "exact", Verdict.FAILED, 0),
        ("print(' ', int(input()) * 2, ' ')", "whitespace", Verdict.PASSED, 3),
        ("print(int(input()) * 2 + 1e-9)", "float:1e-6", Verdict.PASSED, 3),
        ("print(int(input()) * 2 + 1e-3)", "float:1e-6", Verdict.FAILED, 0),
        ("x = int(input())\nprint(x * 2 if x < 10 else 1 / 0)", "exact", Verdict.RUNTIME_ERROR, 2),
    ],
)
def test_io_cases(
    code: str,
    compare: str,
    verdict: Verdict,
    passed: int,
    backend: DockerBackend,
    settings: RunnerSettings,
) -> None:
    cases = (IoCase("1\n", "2\n"), IoCase("4", "8"), IoCase("50\n", "100\n"))
    task = python_task(code, kind=TestKind.IO, cases=cases, compare=compare)
    run_ = run(task, backend, settings)
    assert run_.verdict is verdict, run_.detail
    assert run_.passed == passed


def test_no_tests_needs_no_sandbox(settings: RunnerSettings, backend: DockerBackend) -> None:
    task = python_task("print(1)", "", kind=TestKind.UNIT)
    run_ = run(task, backend, settings)
    assert run_.verdict is Verdict.NO_TESTS
    no_spec = replace(python_task("print(1)"), tests=None)
    assert run(no_spec, backend, settings).verdict is Verdict.NO_TESTS
