"""Caching by content hash in the real store, and the RunnerService the app holds."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from coderlhf_tui.domain import Limits, TestKind, Verdict
from coderlhf_tui.runners.base import RunRequest, run_response_report
from coderlhf_tui.runners.docker_backend import DockerBackend
from coderlhf_tui.runners.service import RunnerService
from coderlhf_tui.runners.settings import RunnerSettings
from coderlhf_tui.store import Store
from tests.runners.helpers import our_containers, python_task

CHECK = "def check(candidate):\n    assert candidate(2) == 3\n"


def test_a_repeated_run_is_answered_from_the_store(
    tmp_path: Path, backend: DockerBackend, settings: RunnerSettings
) -> None:
    task = python_task("def inc(x): return x + 1", CHECK, entry_point="inc")
    with Store.open(tmp_path / "w.db") as store:
        store.insert_tasks([task])
        first = run_response_report(task, "a", backend=backend, settings=settings, store=store)
        assert not first.cached and first.run.verdict is Verdict.PASSED
        used = len(backend.history)
        started = time.monotonic()
        second = run_response_report(task, "a", backend=backend, settings=settings, store=store)
        assert second.cached and second.run.content_hash == first.run.content_hash
        assert time.monotonic() - started < 0.2
        assert len(backend.history) == used  # no container was started for it
        latest = store.latest_test_run(task.id, "a")
        assert latest is not None and latest.content_hash == first.run.content_hash
        # B has the same code, tests, image and limits: the same hash, served at once
        other = run_response_report(task, "b", backend=backend, settings=settings, store=store)
        assert other.cached
        # different limits, code or tests: a new hash, a new run
        tighter = replace(settings, limits=Limits(timeout_s=5))
        again = run_response_report(task, "a", backend=backend, settings=tighter, store=store)
        assert not again.cached and again.run.content_hash != first.run.content_hash
        changed = python_task("def inc(x): return x + 2", CHECK, entry_point="inc")
        third = run_response_report(changed, "a", backend=backend, settings=settings, store=store)
        assert not third.cached and third.run.verdict is Verdict.FAILED
        forced = run_response_report(
            task, "a", backend=backend, settings=settings, store=store, force=True
        )
        assert not forced.cached


def test_task_overrides_change_the_limits(backend: DockerBackend, settings: RunnerSettings) -> None:
    task = python_task("import time\ntime.sleep(3)", "pass", timeout_s=1, memory_mb=256)
    report = run_response_report(task, "a", backend=backend, settings=settings)
    assert report.run.verdict is Verdict.TIME_LIMIT
    assert report.run.limits.timeout_s == 1 and report.run.limits.memory_mb == 256
    assert report.run.duration_s < 3


def test_service_runs_many_in_parallel_and_cleans_up(
    tmp_path: Path, client: Any, settings: RunnerSettings
) -> None:
    from coderlhf_tui.runners.docker_sandbox import owner_label

    tasks = [
        python_task(
            f"def inc(x): return x + {i % 2 + 1}", CHECK, entry_point="inc", task_id=f"t{i}"
        )
        for i in range(4)
    ]
    seen: list[tuple[int, int]] = []
    with Store.open(tmp_path / "w.db") as store:
        store.insert_tasks(tasks)
        backend = DockerBackend(replace(settings, pool_size=2), client=client)
        with RunnerService(store, settings=settings, backend=backend) as service:
            service.warm()
            requests = [RunRequest(t, k) for t in tasks for k in ("a", "b")]
            reports = service.run_many(
                requests, jobs=2, progress=lambda r, done, total: seen.append((done, total))
            )
            assert len(reports) == 8 and seen[-1] == (8, 8)
            verdicts = {(r.task.id, r.key): r.run.verdict for r in reports}
            assert verdicts[("t0", "a")] is Verdict.PASSED
            assert verdicts[("t1", "a")] is Verdict.FAILED
            assert service.run(tasks[0], "a").verdict is Verdict.PASSED
        assert our_containers(client, owner_label()) == []


def test_a_task_without_a_recipe_language_is_an_internal_error(
    backend: DockerBackend, settings: RunnerSettings
) -> None:
    task = python_task("x", "", kind=TestKind.IO)  # no cases: nothing to run
    report = run_response_report(task, "a", backend=backend, settings=settings)
    assert report.run.verdict is Verdict.NO_TESTS
