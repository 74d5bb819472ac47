"""The one loop that runs a plan's steps: their time budgets and when to stop.

Every backend runs steps the same way, so a run means the same thing whichever ran it:
run steps share ``limits.timeout_s`` (each one spends what it took), each compile step
gets ``compile_timeout_s``, a step whose budget is already spent is a TIME_LIMIT without
running, and the run stops after a step that hit a limit, a failing compile step, or a step
that left no exit status. How one step runs is the backend's: a fresh container's exec, a
bubblewrap sandbox, or, for a batch worker, reading the result the worker already reported
(the worker applies the same rules inside the container, where this module cannot go).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from coderlhf_tui.domain import Limits
from coderlhf_tui.runners.errors import SandboxError
from coderlhf_tui.runners.recipe import Step, StepResult

MIN_BUDGET_S = 0.05
"""A step left with less time than this is not started: it is a TIME_LIMIT at once."""

RunOne = Callable[[int, Step, float], StepResult | None]
"""Runs step ``index`` with ``budget`` seconds; None when there is no result for it (a batch
worker that stopped reporting)."""


def run_steps(
    steps: Sequence[Step],
    limits: Limits,
    compile_timeout_s: float,
    run_one: RunOne,
    interrupted: Callable[[], bool] = lambda: False,
) -> list[StepResult]:
    """The steps in order under their budgets, until one stops the run."""
    results: list[StepResult] = []
    run_budget = limits.timeout_s
    for index, step in enumerate(steps):
        if interrupted():
            raise SandboxError("interrupted")
        budget = compile_timeout_s if step.kind == "compile" else run_budget
        if budget <= MIN_BUDGET_S:
            results.append(StepResult(step, None, timed_out=True))
            break
        result = run_one(index, step, budget)
        if result is None:
            break
        results.append(result)
        if step.kind == "run":
            run_budget -= result.duration_s
        if stops_the_run(result):
            break
    return results


def stops_the_run(result: StepResult) -> bool:
    """A limit was hit, a compile step failed, or the step ended without an exit status."""
    limit = result.timed_out or result.oom_killed or result.output_truncated
    failed_build = result.step.kind == "compile" and result.exit_code != 0
    return limit or failed_build or result.exit_code is None
