"""The one step loop every backend uses: budgets and stopping rules, and what the bubblewrap
backend needs (not the Docker SDK). The backends themselves run it for real in the other
runner tests; here are its rules in isolation, with steps that take a given time."""

from __future__ import annotations

import subprocess
import sys

from coderlhf_tui.domain import Limits
from coderlhf_tui.runners.recipe import Step, StepResult
from coderlhf_tui.runners.step_loop import RunOne, run_steps

BUILD = Step("build", "make", kind="compile")
RUN = Step("run", "./prog")


def timed(durations: dict[int, tuple[float, int | None]]) -> tuple[list[float], RunOne]:
    budgets: list[float] = []

    def run_one(index: int, step: Step, budget: float) -> StepResult:
        budgets.append(budget)
        took, code = durations[index]
        return StepResult(step, code, duration_s=took, timed_out=code is None)

    return budgets, run_one


def test_run_steps_share_the_time_limit_and_compile_steps_have_their_own() -> None:
    budgets, run_one = timed({0: (20.0, 0), 1: (4.0, 0), 2: (5.0, 0), 3: (1.0, 0)})
    steps = [BUILD, RUN, RUN, RUN]
    results = run_steps(steps, Limits(timeout_s=9.0), 60.0, run_one)
    assert budgets == [60.0, 9.0, 5.0]  # the last run step had nothing left: not started
    assert [r.timed_out for r in results] == [False, False, False, True]


def test_a_failed_build_or_a_limit_stops_the_run() -> None:
    _, run_one = timed({0: (1.0, 1), 1: (0.1, 0)})
    assert len(run_steps([BUILD, RUN], Limits(), 60.0, run_one)) == 1
    _, run_one = timed({0: (1.0, 0), 1: (10.0, None), 2: (0.1, 0)})
    assert len(run_steps([BUILD, RUN, RUN], Limits(), 60.0, run_one)) == 2


def test_the_bubblewrap_backend_does_not_import_the_docker_sdk() -> None:
    code = (
        "import sys\nimport coderlhf_tui.runners.bwrap_backend, coderlhf_tui.runners.base\n"
        "found = sorted(m for m in sys.modules if m == 'docker' or m.startswith('docker.'))\n"
        "sys.exit(f'imported {found}' if found else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
