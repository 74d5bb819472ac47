"""The client's half of a cluster audit before anything is sent: what still needs running.

The client plans every request with the runners' own ``prepare_run`` against its store, so
a cached run (from an earlier, interrupted audit or from any worker) is answered at once,
NO_TESTS needs no sandbox, and only the rest travels. Planning needs the content hash the
workers' Docker backend will compute, which depends only on its isolation name; the client
may have no Docker engine at all, so it plans with ``PlanOnly``, which runs nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from coderlhf_tui.cluster.chunk import ChunkItem
from coderlhf_tui.domain import Limits, ResponseKey, Task
from coderlhf_tui.runners.base import RunReport, RunRequest, prepare_run
from coderlhf_tui.runners.errors import SandboxUnavailable
from coderlhf_tui.runners.recipe import Plan, StepResult
from coderlhf_tui.runners.settings import RunnerSettings
from coderlhf_tui.scan.pack import pack_version
from coderlhf_tui.scan.service import scan_hash
from coderlhf_tui.store import Store


class PlanOnly:
    """The workers' backend as the planner sees it: its isolation name, and nothing runs."""

    isolation = "docker"

    def execute(self, plan: Plan, limits: Limits, image: str) -> list[StepResult]:
        raise SandboxUnavailable("the cluster client plans runs; its workers run them")

    def check(self, image: str) -> None:
        """Nothing to check here: every worker checks its own engine and image."""

    def image_digest(self, image: str) -> str:
        """The workers' chunks record the digest they ran on (``cluster.chunk``)."""
        return ""

    def interrupt(self) -> None:
        """Nothing runs here."""

    def close(self) -> None:
        """Nothing held."""


@dataclass(slots=True)
class Work:
    """The plan of a cluster audit: answers already known, and what to send."""

    answered: list[RunReport] = field(default_factory=list)
    items: list[ChunkItem] = field(default_factory=list)
    hashes: dict[tuple[str, ResponseKey], str] = field(default_factory=dict)
    """The content hash of every run to send, by (task id, key)."""

    @property
    def runs_to_send(self) -> int:
        return sum(len(item.run_keys) for item in self.items)


def plan_work(
    store: Store,
    requests: Sequence[RunRequest],
    settings: RunnerSettings,
    *,
    scan_tasks: Sequence[Task] = (),
    force: bool = False,
) -> Work:
    """Which runs and scans the store cannot answer, grouped per task."""
    work = Work()
    run_keys: dict[str, list[ResponseKey]] = {}
    by_id: dict[str, Task] = {}
    backend = PlanOnly()
    for request in requests:
        prepared = prepare_run(
            request.task, request.key, backend=backend, settings=settings, store=store, force=force
        )
        if isinstance(prepared, RunReport):
            work.answered.append(prepared)
            continue
        by_id[request.task.id] = request.task
        run_keys.setdefault(request.task.id, []).append(request.key)
        work.hashes[(request.task.id, request.key)] = prepared.content_hash
    version = pack_version() if scan_tasks else ""
    to_scan = set()
    for task in scan_tasks:
        for key in task.keys:
            if (
                store.cached_findings(scan_hash(task.language, task.response(key).code, version))
                is None
            ):
                to_scan.add(task.id)
                by_id[task.id] = task
    for task_id, task in by_id.items():
        keys = tuple(run_keys.get(task_id, ()))
        work.items.append(ChunkItem(task, keys, task_id in to_scan))
    return work


CHUNK_RUNS_MIN, CHUNK_RUNS_MAX = 8, 256
"""Bounds of a default chunk. A chunk costs its worker thread about 0.1 s (scheduling, one
exec of the batch worker in a kept container): big chunks amortise that, small ones stream
results often, cost little when a worker dies, and let the threads finish together."""


def chunk_size(runs_left: int, threads: int) -> int:
    """Half of each worker thread's share of what is left, within the bounds (guided
    self-scheduling: big chunks first, small ones last, so no thread idles at the end
    while another works through a big last chunk)."""
    wanted = -(-runs_left // (2 * max(1, threads)))
    return max(CHUNK_RUNS_MIN, min(CHUNK_RUNS_MAX, wanted))


def chunks_of(
    items: Sequence[ChunkItem], threads: int, runs_per_chunk: int | None = None
) -> list[list[ChunkItem]]:
    """Items in chunks of ``runs_per_chunk`` runs each, or of ``chunk_size`` runs (a
    scan-only task counts as one)."""

    def weight(item: ChunkItem) -> int:
        return max(1, len(item.run_keys))

    left = sum(weight(item) for item in items)
    chunks: list[list[ChunkItem]] = []
    current: list[ChunkItem] = []
    size = 0
    target = runs_per_chunk or chunk_size(left, threads)
    for item in items:
        current.append(item)
        size += weight(item)
        if size >= target:
            chunks.append(current)
            left -= size
            current, size = [], 0
            target = runs_per_chunk or chunk_size(left, threads)
    if current:
        chunks.append(current)
    return chunks


def chunk_key(chunk: Sequence[ChunkItem], hashes: dict[tuple[str, ResponseKey], str]) -> str:
    """The Dask key of a chunk: a hash of what it computes, so the same chunk is one task."""
    digest = hashlib.sha256()
    for item in chunk:
        digest.update(f"{item.task.id}\0{int(item.scan)}\0".encode())
        for key in item.run_keys:
            digest.update(hashes[(item.task.id, key)].encode())
    return f"coderlhf-chunk-{digest.hexdigest()[:24]}"
