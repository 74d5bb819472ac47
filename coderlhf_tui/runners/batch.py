"""Batch runs on worker containers: cached answers at once, the rest in chunks per thread.

``run_many`` sends a ``BatchCapable`` backend (Docker) here unless the
settings ask for one fresh container per run. Every request is first planned and looked up
in the store in the caller's thread (a cached result or NO_TESTS is reported at once);
what must really run is grouped by (image, limits), because a container's limits are fixed
when it is created, and handed out in chunks to ``jobs`` threads, each holding one worker
(see docker_batch). Chunks shrink as the queue empties so the threads finish together.

Results come back to the caller's thread through a queue, so ``progress`` is called there,
as with the per-run path. Ctrl-C: no new chunk starts, the containers in use are killed,
the threads are joined (every container removed) and the KeyboardInterrupt goes on.
"""

from __future__ import annotations

import contextlib
import math
import queue
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Sequence
from typing import Any

from coderlhf_tui.domain import Limits
from coderlhf_tui.runners.base import (
    Backend,
    PreparedRun,
    ProgressCallback,
    RunReport,
    RunRequest,
    Worker,
    finish_run,
    prepare_run,
)
from coderlhf_tui.runners.errors import SandboxUnavailable
from coderlhf_tui.runners.recipe import StepResult
from coderlhf_tui.runners.settings import RunnerSettings
from coderlhf_tui.store import Store

CHUNK_MAX = 64
"""Runs per chunk at most: a chunk costs one exec (~50 ms) and one JSON manifest."""


class _Chunks:
    """Prepared runs grouped by (image, limits), handed out a chunk of one group at a time."""

    def __init__(self, runs: Sequence[PreparedRun], jobs: int) -> None:
        self._groups: OrderedDict[tuple[str, Limits], deque[PreparedRun]] = OrderedDict()
        for run in runs:
            self._groups.setdefault((run.image, run.limits), deque()).append(run)
        self._left = len(runs)
        self._jobs = jobs
        self._lock = threading.Lock()

    def _size(self) -> int:
        """Shrinking chunks let several threads finish together; one thread has no one to
        wait for, and each chunk costs an exec, so it takes full chunks to the end."""
        if self._jobs == 1:
            return CHUNK_MAX
        return max(1, min(CHUNK_MAX, math.ceil(self._left / (2 * self._jobs))))

    def take(self) -> list[PreparedRun]:
        with self._lock:
            while self._groups:
                key, group = next(iter(self._groups.items()))
                if group:
                    size = self._size()
                    chunk = [group.popleft() for _ in range(min(size, len(group)))]
                    self._left -= len(chunk)
                    return chunk
                del self._groups[key]
            return []


_DONE = object()


def run_many_batched(
    requests: Sequence[RunRequest],
    *,
    backend: Backend,
    make_worker: Callable[[], Worker],
    settings: RunnerSettings,
    store: Store | None,
    jobs: int,
    force: bool,
    progress: ProgressCallback | None,
    cancel: threading.Event,
) -> list[RunReport]:
    """``run_many`` on worker containers; reports come back in the order they finish."""
    reports: list[RunReport] = []
    total = len(requests)
    to_run: list[PreparedRun] = []

    def report(done: RunReport) -> None:
        reports.append(done)
        if progress is not None:
            progress(done, len(reports), total)

    for request in requests:
        prepared = prepare_run(
            request.task,
            request.key,
            backend=backend,
            settings=settings,
            store=store,
            force=force,
        )
        if isinstance(prepared, RunReport):
            report(prepared)
        else:
            to_run.append(prepared)
    if not to_run:
        return reports
    jobs = max(1, min(jobs, len(to_run)))
    chunks = _Chunks(to_run, jobs)
    results: queue.Queue[Any] = queue.Queue()

    def work() -> None:
        worker: Worker | None = None
        try:
            worker = make_worker()  # inside: a worker that cannot start is reported too
            while not cancel.is_set():
                chunk = chunks.take()
                if not chunk:
                    break
                digest = backend.image_digest(chunk[0].image)
                _run_chunk(worker, chunk, digest, store, cancel, results.put)
        except BaseException as exc:  # handed to the caller's thread, which decides
            results.put(exc)
        finally:
            if worker is not None:
                worker.close()
            results.put(_DONE)

    threads = [
        threading.Thread(target=work, name=f"coderlhf-batch-{n}", daemon=True) for n in range(jobs)
    ]
    for thread in threads:
        thread.start()
    running = len(threads)
    try:
        while running:
            try:
                item = results.get(timeout=0.5)
            except queue.Empty:
                continue
            if item is _DONE:
                running -= 1
            elif isinstance(item, RunReport):
                report(item)
            elif isinstance(item, SandboxUnavailable) or not cancel.is_set():
                raise item
    except BaseException:
        cancel.set()
        backend.interrupt()
        for thread in threads:
            thread.join()
        raise
    return reports


def _run_chunk(
    worker: Worker,
    chunk: list[PreparedRun],
    image_digest: str,
    store: Store | None,
    cancel: threading.Event,
    put: Callable[[object], None],
) -> None:
    first = chunk[0]
    plans = [(index, run.plan) for index, run in enumerate(chunk)]
    started = time.monotonic()
    outcome: list[StepResult] | Exception
    with contextlib.closing(worker.run(plans, first.limits, first.image)) as results:
        for index, outcome, isolation in results:
            if cancel.is_set():
                return  # cancelled: this result may be a casualty of a kill; store nothing
            elapsed = time.monotonic() - started
            report = finish_run(
                chunk[index],
                outcome,
                elapsed,
                isolation=isolation,
                image_digest=image_digest,
                store=store,
            )
            put(report)
