"""What the corpus and demo tests share: a pooled backend and a parallel run of many tasks.

The corpus tests run hundreds of responses, so they use the warm pool and ``run_many`` with
two jobs (the suite's budget is two cores), and they report what disagreed so a failure
names the task, the response and the verdict.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from coderlhf_tui.domain import Limits, ResponseKey, Task
from coderlhf_tui.runners.base import RunReport, RunRequest, run_many
from coderlhf_tui.runners.docker_backend import DockerBackend
from coderlhf_tui.runners.settings import RunnerSettings
from tests.runners.helpers import IMAGE, docker_client

JOBS = 2
SEED = 20261126
COMPILE_TIMEOUT_S = 180.0
"""Generous: these tests check verdicts, not speed, and a loaded CI machine compiles slowly
(tsc once took over 60 s at a load average of 28 on two cores)."""


@contextmanager
def pooled_backend(timeout_s: float = 10.0) -> Iterator[tuple[DockerBackend, RunnerSettings]]:
    """A Docker backend with a warm pool of two, closed (containers removed) afterwards."""
    settings = RunnerSettings(
        image=IMAGE,
        pool_size=JOBS,
        jobs=JOBS,
        limits=Limits(timeout_s=timeout_s),
        compile_timeout_s=COMPILE_TIMEOUT_S,
    )
    backend = DockerBackend(settings, client=docker_client())
    try:
        yield backend, settings
    finally:
        backend.close()


def run_all(
    tasks: Sequence[Task], keys: Sequence[ResponseKey] = ("a", "b"), timeout_s: float = 10.0
) -> list[RunReport]:
    """Every (task, key) run once, two at a time, in task order (``timeout_s``: run steps'
    default time limit; a task's own ``tests.timeout_s`` still wins)."""
    requests = [RunRequest(task, key) for task in tasks for key in keys]
    with pooled_backend(timeout_s) as (backend, settings):
        reports = run_many(requests, backend=backend, settings=settings, jobs=JOBS)
    order = {(r.task.id, r.key): i for i, r in enumerate(requests)}
    return sorted(reports, key=lambda report: order[(report.task.id, report.key)])


def sample(tasks: Sequence[Task], size: int, seed: int = SEED) -> list[Task]:
    """A fixed random sample (the same tasks on every run and machine)."""
    chosen = list(tasks)
    random.Random(seed).shuffle(chosen)
    return sorted(chosen[:size], key=lambda task: task.id)


def describe(report: RunReport) -> str:
    """One line naming a run and what it gave."""
    run = report.run
    return f"{report.task.id} {report.key}: {run.verdict.value} {run.detail[:160]}"
