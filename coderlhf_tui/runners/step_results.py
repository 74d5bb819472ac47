"""How one observed exec (exit code, output, duration, kills) becomes a StepResult.

Shared by the single-run Docker backend and the batch worker's host side, so a step means
the same thing whichever container mode ran it: exit status 137 (SIGKILL) or no status at
all is a time limit when the budget was spent, a memory limit when the OOM counter grew;
a ``proof`` step's completion record is checked against its nonce and taken out of stdout.
"""

from __future__ import annotations

from coderlhf_tui.runners.completion import take_record
from coderlhf_tui.runners.docker_sandbox import ExecResult
from coderlhf_tui.runners.recipe import Step, StepResult

SIGKILL_STATUS = 137


def step_result(
    step: Step,
    raw: ExecResult,
    budget: float,
    *,
    oom: bool,
    peak: float | None,
    nonce: str | None = None,
) -> StepResult:
    """``nonce``: the one a ``proof`` step was given; its record is checked and removed."""
    code = raw.exit_code
    stdout, completed = take_record(raw.stdout, nonce)
    killed_status = code == SIGKILL_STATUS or code is None
    timed_out = raw.killed or (killed_status and not oom and raw.duration_s >= budget)
    signal = code - 128 if code is not None and 128 < code <= 128 + 64 else None
    return StepResult(
        step=step,
        exit_code=code,
        stdout=stdout,
        stderr=raw.stderr,
        duration_s=round(raw.duration_s, 4),
        signal=signal,
        timed_out=timed_out and not raw.output_truncated,
        oom_killed=oom and killed_status,
        output_truncated=raw.output_truncated,
        peak_memory_mb=peak,
        completed=completed,
    )
