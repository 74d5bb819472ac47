"""The contract between a language recipe and a sandbox backend.

A recipe knows one language: which files a response and its tests become, which shell
commands build and run them, and how to read the framework's output. A backend knows
one isolation technology (Docker, bubblewrap): how to run those commands under limits.
Neither knows the other's details, so ten languages times two backends stays twenty
small pieces instead of one tangle.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from coderlhf_tui.domain import Language, Response, Task, Verdict

StepKind = Literal["compile", "run"]


@dataclass(frozen=True, slots=True)
class Step:
    """One shell command run in the work dir (``/work``) of the sandbox.

    A failing ``compile`` step ends the run with COMPILE_ERROR; ``run`` steps are
    interpreted by the recipe. ``stdin`` is fed to the command (``io`` cases); None
    means stdin is closed. ``proof``: the step's program prints the completion record
    after its tests (``completion.py``); the backend hands it a fresh nonce on fd 9 and
    the step cannot pass without the record coming back.
    """

    name: str
    command: str
    kind: StepKind = "run"
    stdin: str | None = None
    proof: bool = False


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything a backend needs: the files to write and the steps to run in order."""

    files: Mapping[str, str]
    steps: Sequence[Step]


@dataclass(slots=True)
class StepResult:
    """What one step did, as the backend observed it."""

    step: Step
    exit_code: int | None
    stdout: str = ""
    stderr: str = ""
    duration_s: float = 0.0
    signal: int | None = None
    timed_out: bool = False
    oom_killed: bool = False
    output_truncated: bool = False
    peak_memory_mb: float | None = None
    """The sandbox's peak memory up to the end of this step, where the backend can measure it."""
    completed: bool = False
    """A ``proof`` step printed its completion record with the nonce it was given (the
    record is removed from ``stdout``)."""


@dataclass(slots=True)
class Outcome:
    """A recipe's reading of the run steps' results."""

    verdict: Verdict
    passed: int = 0
    failed: int = 0
    failing_tests: list[str] = field(default_factory=list)
    detail: str = ""
    proof: str = ""
    """For PASSED: what showed that every test ran and passed, beyond the exit status (the
    framework's counts, every io case's output). A PASSED without it, or with a ``proof``
    step that gave no completion record, becomes EXITED_EARLY (``verdicts.require_proof``)."""


class NoTests(Exception):
    """Raised by ``Recipe.plan`` when the task has nothing to run (verdict NO_TESTS)."""


class Recipe(Protocol):
    """How one language's responses and tests are built, run and read."""

    language: Language

    def plan(self, task: Task, response: Response) -> Plan:
        """The files and steps for this response; raises NoTests when there is nothing to run."""
        ...

    def interpret(self, task: Task, results: Sequence[StepResult]) -> Outcome:
        """The verdict from the run steps (compile failures and limits are decided before)."""
        ...
