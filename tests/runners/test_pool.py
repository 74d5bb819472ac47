"""The warm pool: pre-started, single-use, replaced in the background, removed on close."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from coderlhf_tui.domain import Verdict
from coderlhf_tui.runners.base import run_response
from coderlhf_tui.runners.docker_backend import DockerBackend
from coderlhf_tui.runners.docker_sandbox import owner_label
from coderlhf_tui.runners.settings import RunnerSettings
from tests.runners.helpers import our_containers, python_task

WRITE = (
    "import os\n"
    "open('/work/left-behind', 'w').write('x')\n"
    "open('/tmp/left-behind', 'w').write('x')\n"
)
READ = (
    "import os\n"
    "assert not os.path.exists('/work/left-behind'), 'work dir reused'\n"
    "assert not os.path.exists('/tmp/left-behind'), 'tmp reused'\n"
)


def wait_ready(backend: DockerBackend, settings: RunnerSettings, want: int) -> None:
    assert backend.pool is not None
    deadline = time.monotonic() + 30
    while backend.pool.ready_count(settings.image, settings.limits) < want:
        assert time.monotonic() < deadline, backend.pool.last_error
        time.sleep(0.05)


def test_each_pooled_container_serves_one_run(client: Any, settings: RunnerSettings) -> None:
    settings = replace(settings, pool_size=2)
    backend = DockerBackend(settings, client=client)
    try:
        backend.warm(settings.image, settings.limits)
        wait_ready(backend, settings, 2)
        warm_ids = {c["Id"] for c in our_containers(client, owner_label())}
        for code in (WRITE, READ, READ):
            run = run_response(python_task(code, "pass"), "a", backend=backend, settings=settings)
            assert run.verdict is Verdict.PASSED, run.detail
        used = list(backend.history)[-3:]
        assert len(set(used)) == 3  # three runs, three containers
        assert set(used[:2]) <= warm_ids  # the first two came warm from the pool
        wait_ready(backend, settings, 2)  # and the pool refilled itself
        time.sleep(0.5)
        live = {c["Id"] for c in our_containers(client, owner_label())}
        assert not live & set(used)  # every used container is gone
    finally:
        backend.close()
    assert our_containers(client, owner_label()) == []


def test_pool_is_faster_than_a_cold_start(client: Any, settings: RunnerSettings) -> None:
    task = python_task("def f(): return 1", "assert f() == 1")
    pooled = DockerBackend(replace(settings, pool_size=1), client=client)
    cold = DockerBackend(settings, client=client, pooled=False)
    try:
        pooled.warm(settings.image, settings.limits)
        times: dict[str, list[float]] = {"pool": [], "cold": []}
        for _ in range(5):
            for name, backend in (("pool", pooled), ("cold", cold)):
                if name == "pool":
                    wait_ready(backend, settings, 1)
                started = time.monotonic()
                run = run_response(task, "a", backend=backend, settings=settings)
                times[name].append(time.monotonic() - started)
                assert run.verdict is Verdict.PASSED
        assert sorted(times["pool"])[2] < sorted(times["cold"])[2]
    finally:
        pooled.close()
        cold.close()
