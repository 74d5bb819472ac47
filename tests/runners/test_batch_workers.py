"""Batch mode: many runs one after another in each worker container (docker_batch).

What must hold: every language's cases give the verdicts a fresh container gives; runs
really share containers (that is the point) yet see fresh-container state; a run that
kills or freezes the worker gets its verdict from a container of its own and the chunk
goes on; cancelling mid-batch leaves no container; the cache answers a repeated batch;
``reuse_containers: false`` gives every run its own container again.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from typing import Any

import pytest

from coderlhf_tui.domain import Verdict
from coderlhf_tui.runners.base import RunReport, RunRequest, run_many
from coderlhf_tui.runners.docker_backend import DockerBackend
from coderlhf_tui.runners.docker_batch import ISOLATION
from coderlhf_tui.runners.docker_sandbox import owner_label
from coderlhf_tui.runners.settings import RunnerSettings
from coderlhf_tui.store import Store
from tests.runners.helpers import our_containers, python_task
from tests.runners.test_languages import CASES, task_of

pytestmark = pytest.mark.docker

WRITE = (
    "import os\n"
    "for d in ('/work', '/tmp', '/dev/shm'):\n"
    "    open(d + '/left-behind', 'w').write('x')\n"
)
READ = (
    "import os\n"
    "for d in ('/work', '/tmp', '/dev/shm'):\n"
    "    assert not os.path.exists(d + '/left-behind'), d + ' reused'\n"
)


def tasks_of(codes: list[str], timeout_s: float = 5.0) -> list[RunRequest]:
    return [
        RunRequest(python_task(code, "pass", timeout_s=timeout_s, task_id=f"t{n}"), "a")
        for n, code in enumerate(codes)
    ]


def by_id(reports: list[RunReport]) -> dict[str, RunReport]:
    return {r.task.id: r for r in reports}


@pytest.fixture
def pooled(client: Any, settings: RunnerSettings) -> Any:
    settings = replace(settings, pool_size=1, compile_timeout_s=120.0)
    backend = DockerBackend(settings, client=client)
    yield backend, settings
    backend.close()
    assert our_containers(client, owner_label()) == []


def test_every_language_case_gives_the_fresh_container_verdict(pooled: Any) -> None:
    backend, settings = pooled
    requests = [RunRequest(replace(task_of(case), id=f"c{n}"), "a") for n, case in enumerate(CASES)]
    reports = by_id(run_many(requests, backend=backend, settings=settings, jobs=2))
    for n, case in enumerate(CASES):
        run = reports[f"c{n}"].run
        assert run.verdict is case.verdict, f"{case.name}: {run.detail}\n{run.stderr[-400:]}"
        if case.counts is not None:
            assert (run.passed, run.failed) == case.counts, case.name
    ran = [r for r in reports.values() if r.run.verdict is not Verdict.NO_TESTS]
    assert {r.run.isolation for r in ran} == {ISOLATION}


def test_runs_share_a_container_but_see_fresh_state(pooled: Any) -> None:
    backend, settings = pooled
    codes = [WRITE, READ] * 10
    reports = run_many(tasks_of(codes), backend=backend, settings=settings, jobs=1)
    assert [r.run.verdict for r in reports] == [Verdict.PASSED] * 20, [
        r.run.stderr[-300:] for r in reports if r.run.verdict is not Verdict.PASSED
    ]
    assert len(set(backend.history)) == 1  # twenty runs, one worker container


def test_a_run_that_kills_the_worker_is_run_again_alone(pooled: Any) -> None:
    backend, settings = pooled
    killer = "import os, signal\nos.kill(-1, signal.SIGKILL)"
    codes = ["pass", killer, "pass", "pass"]
    reports = by_id(run_many(tasks_of(codes), backend=backend, settings=settings, jobs=1))
    assert reports["t1"].run.verdict is Verdict.RUNTIME_ERROR, reports["t1"].run.detail
    assert reports["t1"].run.isolation == "docker"  # decided in a container of its own
    for key in ("t0", "t2", "t3"):
        assert reports[key].run.verdict is Verdict.PASSED
        assert reports[key].run.isolation == ISOLATION


def test_a_run_that_freezes_the_worker_is_stopped_from_outside(pooled: Any) -> None:
    backend, settings = pooled
    freezer = "import os, signal\nos.kill(-1, signal.SIGSTOP)\nimport time\ntime.sleep(60)"
    started = time.monotonic()
    reports = by_id(
        run_many(tasks_of(["pass", freezer, "pass"], 2.0), backend=backend, settings=settings)
    )
    elapsed = time.monotonic() - started
    assert reports["t1"].run.verdict is Verdict.TIME_LIMIT, reports["t1"].run.detail
    assert reports["t0"].run.verdict is reports["t2"].run.verdict is Verdict.PASSED
    assert elapsed < 40, elapsed  # watchdog (2 s x 1.1 + 6 s), then the run alone


def test_cancelling_a_batch_leaves_no_container(pooled: Any, client: Any) -> None:
    backend, settings = pooled
    cancel = threading.Event()
    seen: list[RunReport] = []

    def progress(report: RunReport, done: int, total: int) -> None:
        seen.append(report)
        if done == 3:
            cancel.set()

    codes = ["import time\ntime.sleep(0.2)"] * 40
    started = time.monotonic()
    reports = run_many(
        tasks_of(codes), backend=backend, settings=settings, progress=progress, cancel=cancel
    )
    assert time.monotonic() - started < 20
    assert 3 <= len(reports) < 40
    time.sleep(0.5)
    in_use = {c["Id"] for c in our_containers(client, owner_label())} & set(backend.history)
    assert in_use == set()


def test_a_repeated_batch_is_answered_from_the_store(pooled: Any, tmp_path: Any) -> None:
    backend, settings = pooled
    requests = tasks_of(["pass", "raise SystemExit(3)", "print(1)"])
    with Store.open(tmp_path / "w.db") as store:
        store.insert_tasks([r.task for r in requests])
        first = run_many(requests, backend=backend, settings=settings, store=store)
        second = run_many(requests, backend=backend, settings=settings, store=store)
    assert not any(r.cached for r in first) and all(r.cached for r in second)
    assert {r.task.id: r.run.verdict for r in first} == {r.task.id: r.run.verdict for r in second}


def test_reuse_off_gives_every_run_its_own_container(client: Any, settings: RunnerSettings) -> None:
    settings = replace(settings, pool_size=0, reuse_containers=False)
    backend = DockerBackend(settings, client=client, pooled=False)
    try:
        reports = run_many(tasks_of(["pass"] * 4), backend=backend, settings=settings, jobs=2)
    finally:
        backend.close()
    assert {r.run.isolation for r in reports} == {"docker"}
    assert len(set(backend.history)) == 4
