"""The verdicts every language shares, decided from the backend's step results alone.

Order matters and is the same for every recipe: a limit that was hit explains everything
after it, so TIME_LIMIT, MEMORY_LIMIT and OUTPUT_LIMIT come first; then a failing compile
step is a COMPILE_ERROR; only a run that got that far is handed to the recipe's
``interpret``. ``build_test_run`` folds an Outcome and the step results into a TestRun.

No proof, no pass (``require_proof``): the recipe's PASSED stands only with positive
evidence that the tests ran to their end - the recipe's own ``Outcome.proof`` (a
framework's report counting every collected test as passed, each io case's output) or,
failing that, the completion record of every ``proof`` step (``completion.py``; a test
``main`` that prints a full TAP report and then calls ``exit`` itself has the report).
Exit status 0 without it is EXITED_EARLY. The rule lives here, once, for every language: a
recipe only says what counts as proof for its framework, so a new language cannot forget
it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from coderlhf_tui.domain import Limits, Task, TestRun, Verdict
from coderlhf_tui.runners.languages.common import (
    DETAIL_CHARS,
    exit_detail,
    first_error_line,
)
from coderlhf_tui.runners.recipe import Outcome, Recipe, StepResult


def generic_outcome(results: Sequence[StepResult], limits: Limits) -> Outcome | None:
    """The verdict when a limit or a compile step decided it; None to ask the recipe."""
    if not results:
        return Outcome(Verdict.INTERNAL_ERROR, detail="the sandbox ran no step")
    for result in results:
        if result.timed_out:
            return Outcome(
                Verdict.TIME_LIMIT,
                detail=f"{result.step.name}: killed after the {limits.timeout_s:g} s time limit",
            )
    for result in results:
        if result.oom_killed:
            return Outcome(
                Verdict.MEMORY_LIMIT,
                detail=f"{result.step.name}: killed at the {limits.memory_mb} MB memory limit",
            )
    for result in results:
        if result.output_truncated:
            return Outcome(
                Verdict.OUTPUT_LIMIT,
                detail=f"{result.step.name}: wrote more than {limits.output_bytes} bytes",
            )
    for result in results:
        if result.step.kind == "compile" and result.exit_code != 0:
            message = (
                first_error_line(result.stderr)
                or first_error_line(result.stdout)
                or exit_detail(result)
            )
            return Outcome(Verdict.COMPILE_ERROR, detail=f"{result.step.name}: {message}")
    return None


def decide(recipe: Recipe, task: Task, results: Sequence[StepResult], limits: Limits) -> Outcome:
    """The verdict of a run that got its step results: limits and compile errors first,
    then the recipe's reading, held to the proof rule."""
    return generic_outcome(results, limits) or require_proof(
        recipe.interpret(task, results), results
    )


def require_proof(outcome: Outcome, results: Sequence[StepResult]) -> Outcome:
    """``outcome`` unless it is a PASSED without proof of completion: then EXITED_EARLY."""
    if outcome.verdict is not Verdict.PASSED or outcome.proof:
        return outcome  # a framework's report that counts every test run is proof enough
    missing = next((r for r in results if r.step.proof and not r.completed), None)
    if missing is not None:
        detail = (
            f"{missing.step.name}: exited with status {missing.exit_code} before the"
            " completion record after the tests (the process ended early)"
        )
        return _exited_early(outcome, detail)
    if any(r.step.proof for r in results):  # the completion records are the proof
        return replace(outcome, detail="", proof="the completion record after the tests")
    detail = outcome.detail or "exit status 0 without proof that the tests ran to their end"
    return _exited_early(outcome, detail)


def _exited_early(outcome: Outcome, detail: str) -> Outcome:
    return Outcome(Verdict.EXITED_EARLY, passed=outcome.passed, detail=detail)


def deciding_step(results: Sequence[StepResult]) -> StepResult | None:
    """The step whose output explains the verdict: the first that went wrong, else the last."""
    for result in results:
        bad = result.timed_out or result.oom_killed or result.output_truncated
        if bad or result.exit_code != 0:
            return result
    return results[-1] if results else None


def cap_text(text: str, limit: int) -> str:
    """Keep the head and tail of long output, with a marker where the middle was cut."""
    if len(text) <= limit:
        return text
    half = max(limit // 2, 1)
    cut = len(text) - 2 * half
    return f"{text[:half]}\n[... {cut} characters cut ...]\n{text[-half:]}"


def build_test_run(
    outcome: Outcome,
    results: Sequence[StepResult],
    *,
    content_hash: str,
    image: str,
    limits: Limits,
    isolation: str,
    stored_output_chars: int,
) -> TestRun:
    """A TestRun from an Outcome and the step results that led to it."""
    step = deciding_step(results)
    peaks = [r.peak_memory_mb for r in results if r.peak_memory_mb is not None]
    return TestRun(
        verdict=outcome.verdict,
        content_hash=content_hash,
        passed=outcome.passed,
        failed=outcome.failed,
        failing_tests=list(outcome.failing_tests),
        duration_s=round(sum(r.duration_s for r in results), 4),
        peak_memory_mb=round(max(peaks), 2) if peaks else None,
        exit_code=step.exit_code if step is not None else None,
        signal=step.signal if step is not None else None,
        stdout=cap_text(step.stdout, stored_output_chars) if step is not None else "",
        stderr=cap_text(step.stderr, stored_output_chars) if step is not None else "",
        image=image,
        limits=limits,
        isolation=isolation,
        detail=outcome.detail[: DETAIL_CHARS * 2],
    )
