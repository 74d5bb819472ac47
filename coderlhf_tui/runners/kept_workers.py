"""Batch worker containers kept across ``run_many`` calls, for a caller that lives long.

``run_many`` on Docker gives each of its threads a worker container and destroys it when
the call returns: right for ``coderlhf test`` (one call per command), a waste for a caller
that calls it again and again, like a Dask worker running an audit chunk after chunk (a
container start and removal costs 0.2-0.45 s of a 2-core machine, per chunk and thread).

``KeptWorkers`` is a Backend for such a caller: hand it to ``run_many`` as ``backend``.
Each batch thread borrows an idle worker (its container still running and clean) and gives
it back when the call ends, instead of destroying it. Nothing about a run changes: the
container has the same hardening and limits, the worker puts fresh-container state back
between runs and chunks exactly as within one call (docker_batch, worker_main), and a
container that a run tampered with or that hit a limit retires as it always does. A
worker given back by a cancelled call has already retired its container.

The caller owns the containers: ``close`` destroys every kept one (a Dask worker's plugin
does at teardown; container_lifecycle removes them at exit or after a crash otherwise).
``interrupt`` (Ctrl-C, or a call that failed) kills every container in use through this
object, as on a plain backend, and this object then refuses runs: make a new one.
"""

from __future__ import annotations

import threading
from collections.abc import Generator, Sequence
from typing import Any

from coderlhf_tui.domain import Limits
from coderlhf_tui.runners.docker_backend import DockerBackend
from coderlhf_tui.runners.docker_batch import BatchWorker, ChunkResult
from coderlhf_tui.runners.errors import SandboxError
from coderlhf_tui.runners.recipe import Plan, StepResult
from coderlhf_tui.runners.settings import RunnerSettings


class KeptWorkers:
    """A Docker backend whose batch worker containers outlive one ``run_many`` call.

    Thread-safe: concurrent ``run_many`` calls each borrow their own workers.
    """

    isolation = DockerBackend.isolation

    def __init__(self, settings: RunnerSettings, *, client: Any = None) -> None:
        self.settings = settings
        self.backend = DockerBackend(settings, client=client, pooled=False)
        self._idle: list[BatchWorker] = []
        self._lock = threading.Lock()
        self._closed = False

    @property
    def usable(self) -> bool:
        """Neither closed nor interrupted: ``run_many`` may use it."""
        return not (self._closed or self.backend.interrupted)

    @property
    def idle(self) -> int:
        """Workers waiting for the next call (each holds a container or starts one)."""
        with self._lock:
            return len(self._idle)

    def batch_worker(self) -> _Borrowed:
        """An idle worker (its container kept from an earlier call) or a new one."""
        with self._lock:
            if self._closed:
                raise SandboxError("the kept batch workers are closed")
            worker = self._idle.pop() if self._idle else BatchWorker(self.backend)
        return _Borrowed(self, worker)

    def give_back(self, worker: BatchWorker) -> None:
        """Keep ``worker`` for the next call, or destroy its container when closed."""
        with self._lock:
            keep = self.usable
            if keep:
                self._idle.append(worker)
        if not keep:
            worker.close()

    # The Backend protocol: single runs and checks go to the Docker backend as they are.

    def execute(self, plan: Plan, limits: Limits, image: str) -> list[StepResult]:
        return self.backend.execute(plan, limits, image)

    def check(self, image: str) -> None:
        self.backend.check(image)

    def image_digest(self, image: str) -> str:
        return self.backend.image_digest(image)

    def interrupt(self) -> None:
        """Kill every container in use, the kept ones too; no run starts here again."""
        self.backend.interrupt()
        self._close_idle()

    def close(self) -> None:
        """Destroy every kept container. Idempotent; borrowed workers close on return."""
        with self._lock:
            self._closed = True
        self._close_idle()
        self.backend.close()

    def _close_idle(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.close()


class _Borrowed:
    """A kept worker lent to one batch thread; ``close`` gives it back instead."""

    def __init__(self, owner: KeptWorkers, worker: BatchWorker) -> None:
        self._owner = owner
        self._worker: BatchWorker | None = worker

    def run(
        self, plans: Sequence[tuple[int, Plan]], limits: Limits, image: str
    ) -> Generator[ChunkResult]:
        if self._worker is None:
            raise SandboxError("this batch worker was given back")
        return self._worker.run(plans, limits, image)

    def close(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            self._owner.give_back(worker)
