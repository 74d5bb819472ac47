"""Worker containers kept across ``run_many`` calls (runners.kept_workers), on the real engine.

What must hold: a second call reuses the first call's container (that is the point, and
what a plain backend does not do); every run still sees fresh-container state, also when
the run before it, in the earlier call, tampered with the container or its worker; ``close``
removes every kept container and refuses runs; an interrupt leaves nothing kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from coderlhf_tui.domain import Verdict
from coderlhf_tui.runners.base import RunRequest, run_many
from coderlhf_tui.runners.docker_backend import DockerBackend
from coderlhf_tui.runners.docker_batch import ISOLATION
from coderlhf_tui.runners.docker_sandbox import owner_label
from coderlhf_tui.runners.errors import SandboxError
from coderlhf_tui.runners.kept_workers import KeptWorkers
from coderlhf_tui.runners.settings import RunnerSettings
from tests.hostile.test_worker_tampering import COMMON, SENTINEL, TAMPER
from tests.runners.helpers import IMAGE, our_containers, python_task
from tests.runners.test_batch_workers import READ, WRITE

pytestmark = pytest.mark.docker

SETTINGS = RunnerSettings(image=IMAGE, pool_size=0, jobs=1)


def requests_of(codes: list[str], prefix: str) -> list[RunRequest]:
    return [
        RunRequest(python_task(code, "pass", timeout_s=10, task_id=f"{prefix}{n}"), "a")
        for n, code in enumerate(codes)
    ]


def live(client: Any, ids: set[str]) -> set[str]:
    """Which of these containers still exist on the engine."""
    return {c["Id"] for c in our_containers(client, owner_label())} & ids


@pytest.fixture
def kept(client: Any) -> Iterator[KeptWorkers]:
    workers = KeptWorkers(SETTINGS, client=client)
    yield workers
    workers.close()
    assert live(client, set(workers.backend.history)) == set()


def passed(reports: list[Any]) -> bool:
    return all(r.run.verdict is Verdict.PASSED for r in reports)


def test_a_second_call_reuses_the_container_and_close_removes_it(
    kept: KeptWorkers, client: Any
) -> None:
    first = run_many(requests_of([WRITE] * 3, "w"), backend=kept, settings=SETTINGS, jobs=1)
    second = run_many(requests_of([READ] * 3, "r"), backend=kept, settings=SETTINGS, jobs=1)
    assert passed(first) and passed(second), [r.run.stderr[-300:] for r in first + second]
    assert {r.run.isolation for r in first + second} == {ISOLATION}
    used = set(kept.backend.history)
    assert len(used) == 1 and kept.idle == 1
    assert live(client, used) == used  # kept running between the calls

    plain = DockerBackend(SETTINGS, client=client, pooled=False)
    try:  # the peer: a plain backend's worker containers last one call
        for prefix in ("p", "q"):
            run_many(requests_of(["pass"], prefix), backend=plain, settings=SETTINGS, jobs=1)
    finally:
        plain.close()
    assert len(set(plain.history)) == 2

    kept.close()
    assert live(client, used) == set()
    with pytest.raises(SandboxError, match="closed"):
        run_many(requests_of(["pass"], "c"), backend=kept, settings=SETTINGS, jobs=1)


@pytest.mark.parametrize("name", sorted(TAMPER))
def test_a_run_cannot_leave_its_mark_for_the_next_call(kept: KeptWorkers, name: str) -> None:
    code, where = TAMPER[name]
    tamper = run_many(requests_of([COMMON + code], "t"), backend=kept, settings=SETTINGS)
    assert passed(tamper), tamper[0].run.stderr[-400:]
    containers = len(set(kept.backend.history))
    sentinel = run_many(requests_of([SENTINEL], "s"), backend=kept, settings=SETTINGS)
    assert passed(sentinel), f"after {name}: {sentinel[0].run.stderr[-400:]}"
    started = len(set(kept.backend.history)) - containers
    assert started == (0 if where == "same" else 1), f"{name}: expected the {where} container"


def test_an_interrupt_keeps_nothing_and_refuses_runs(kept: KeptWorkers, client: Any) -> None:
    run_many(requests_of(["pass"] * 2, "a"), backend=kept, settings=SETTINGS, jobs=2)
    used = set(kept.backend.history)
    assert kept.idle == 2 and live(client, used) == used
    kept.interrupt()
    assert kept.idle == 0 and not kept.usable
    assert live(client, used) == set()
