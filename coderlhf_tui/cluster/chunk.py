"""One chunk of an audit, as a Dask worker runs it on its own machine.

The chunk goes through the same batch path a single machine uses (``runners.base.run_many``
on the local Docker engine, worker containers and all, kept between chunks by
``cluster.kept_engine``) and the same scanner
(``scan.service.scan_tasks``), with no store: the worker only computes, and the client
records every result under its content hash. A chunk is a pure function of its items and
pins, so when a worker dies mid-chunk the scheduler runs the whole chunk again elsewhere and
the client still receives it once; storing by content hash makes even a repeat harmless.
"""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass, field, replace
from typing import Any

from coderlhf_tui.cluster.spec import WorkerSpec, check_pins
from coderlhf_tui.domain import Finding, ResponseKey, Task, TestRun


@dataclass(frozen=True, slots=True)
class ChunkItem:
    """One task of a chunk: which responses' tests to run, and whether to scan it."""

    task: Task
    run_keys: tuple[ResponseKey, ...]
    scan: bool


@dataclass(slots=True)
class ChunkResult:
    """What a worker sends back for a chunk."""

    worker: str
    host: str
    runs: list[tuple[str, ResponseKey, TestRun]] = field(default_factory=list)
    scans: list[tuple[str, ResponseKey, str, list[Finding]]] = field(default_factory=list)
    """(task id, key, scan hash, findings) per scanned response."""
    elapsed_s: float = 0.0


def worker_name() -> str:
    """This Dask worker's address, or ``local`` outside a worker."""
    try:
        from distributed import get_worker

        return str(get_worker().address)
    except (ImportError, ValueError):
        return "local"


def open_engine(spec: WorkerSpec, *, scanning: bool) -> Any:
    """This process's kept Docker backend for the chunk's settings (``kept_engine``), after
    checking its image digests and rule pack against the chunk's pins."""
    from coderlhf_tui.cluster.kept_engine import kept_for
    from coderlhf_tui.scan.pack import pack_version

    kept = kept_for(spec.settings)
    check_pins(kept.backend.client, spec, pack_version() if scanning else None)
    return kept


def run_chunk(items: list[ChunkItem], spec: WorkerSpec) -> ChunkResult:
    """Run and scan one chunk here; raises WorkerRefused when this machine does not match."""
    from coderlhf_tui.runners.base import RunRequest, run_many
    from coderlhf_tui.scan.service import scan_tasks

    started = time.monotonic()
    result = ChunkResult(worker=worker_name(), host=socket.gethostname())
    requests = [RunRequest(item.task, key) for item in items for key in item.run_keys]
    to_scan = [item.task for item in items if item.scan]
    backend = open_engine(spec, scanning=bool(to_scan))
    if requests:
        reports = run_many(requests, backend=backend, settings=spec.settings, jobs=spec.jobs)
        for report in reports:
            digest = spec.image_digests.get(report.run.image, "")
            result.runs.append((report.task.id, report.key, with_digest(report.run, digest)))
    for scan in scan_tasks(to_scan) if to_scan else []:
        result.scans.append((scan.task_id, scan.response_key, scan.scan_hash, scan.findings))
    result.elapsed_s = time.monotonic() - started
    return result


def with_digest(run: TestRun, digest: str) -> TestRun:
    """The run with the image digest it ran on (provenance; the cache key is unchanged)."""
    return replace(run, image_digest=digest) if digest and not run.image_digest else run
