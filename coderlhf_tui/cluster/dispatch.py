"""The client of a cluster audit: pin, plan, send chunks, record results as they finish.

1. Pin: every connected worker reports its image digests; the reference is the client's
   own engine when it has the image, else what all workers agree on. Workers that differ
   are left out (and named) and chunks go only to the fit ones; otherwise any worker takes
   chunks, one that joins later too. Each chunk carries the pins, so a worker that does
   not match refuses it all the same.
2. Plan (``planning.plan_work``): the store answers what it can; the rest goes in chunks.
3. Send the chunks to the fit workers and take results ``as_completed``: each chunk's runs
   and findings are stored under their content hashes as it arrives, so an interrupted
   client loses only chunks in flight, and ``--resume`` (or the same command) sends only
   what is missing. A worker killed mid-chunk: Dask runs the chunk again on another worker.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from coderlhf_tui.cluster import ClusterUnavailable, require_dask
from coderlhf_tui.cluster.chunk import ChunkResult, run_chunk
from coderlhf_tui.cluster.figures import ClusterFigures
from coderlhf_tui.cluster.planning import chunk_key, chunks_of, plan_work
from coderlhf_tui.cluster.spec import WorkerSpec, local_digests, mismatches
from coderlhf_tui.domain import Task
from coderlhf_tui.runners.base import RunReport, RunRequest
from coderlhf_tui.runners.settings import RunnerSettings
from coderlhf_tui.store import Store

CONNECT_TIMEOUT_S = 30
RESUME_META = "cluster.job"
"""Workspace meta key of the last cluster job (what --resume reports it continues)."""


@dataclass(slots=True)
class ClusterOptions:
    """How to use the cluster."""

    address: str
    runs_per_chunk: int | None = None
    """Runs per chunk (None: ``planning.chunk_size``, big chunks first, small ones last)."""
    jobs: int = 1
    """Worker containers per chunk (WorkerSpec.jobs)."""
    force: bool = False
    security: Any = None
    """A distributed.security.Security for TLS (None: plain TCP, or the Dask config's)."""
    wait_workers: int = 1
    """Workers to wait for before pinning (up to CONNECT_TIMEOUT_S)."""


@dataclass(slots=True)
class ClusterOutcome:
    """Every run's report (from the store or a worker) and the cluster's figures."""

    reports: list[RunReport]
    figures: ClusterFigures
    notes: list[str] = field(default_factory=list)


OnResult = Callable[[ClusterFigures], None]


def _worker_digests(tags: list[str]) -> dict[str, str | None]:
    """Run on each worker: its engine's digests of ``tags`` (None: missing or no engine)."""
    try:
        from coderlhf_tui.runners.docker_sandbox import connect

        return local_digests(connect(2), tags)
    except Exception:
        return dict.fromkeys(tags)


def _reference_digests(
    tags: list[str], reported: dict[str, dict[str, str | None]]
) -> dict[str, str]:
    """The pins: the client's own images when it has them all, else what every worker has."""
    mine = _worker_digests(tags)
    if all(mine.values()):
        return {tag: str(d) for tag, d in mine.items()}
    choices = {tuple(sorted(found.items())) for found in reported.values() if all(found.values())}
    if len(choices) == 1:
        return {tag: str(d) for tag, d in choices.pop()}
    raise ClusterUnavailable(
        "no image digests to pin: the client has no such image and the workers"
        f" disagree or lack one ({reported}); pass --image-digest or load one image everywhere"
    )


def pin_workers(
    client: Any, tags: list[str], pinned: dict[str, str] | None
) -> tuple[dict[str, str], list[str], dict[str, str]]:
    """(pins, fit workers, refused workers with why)."""
    reported: dict[str, dict[str, str | None]] = client.run(_worker_digests, tags)
    pins = pinned or _reference_digests(tags, reported)
    fit, refused = [], {}
    for worker, found in sorted(reported.items()):
        problems = mismatches(pins, found)
        if problems:
            refused[worker] = "; ".join(problems)
        else:
            fit.append(worker)
    if not fit:
        why = "; ".join(f"{w}: {p}" for w, p in refused.items()) or "no workers connected"
        raise ClusterUnavailable(f"no worker can take the audit: {why}")
    return pins, fit, refused


def connect_client(options: ClusterOptions) -> Any:
    """A Dask client of the scheduler at ``options.address`` with workers connected."""
    require_dask()
    import distributed

    dask: Any = distributed  # untyped in places: held as Any
    address: Any = options.address
    local = local_workers(options.address)
    if local is not None:
        threads = max(1, (os.cpu_count() or 1) // local)
        address = dask.LocalCluster(
            n_workers=local, threads_per_worker=threads, processes=True, dashboard_address=None
        )
    security = options.security or dask.security.Security()  # Dask's configuration
    if options.address.startswith("tls://") and not security.tls_client_cert:
        raise ClusterUnavailable(
            f"cannot reach the scheduler at {options.address}: no TLS client certificate"
            " (distributed.comm.tls in Dask's configuration, docs/cluster.md)"
        )
    try:
        client = dask.Client(
            address, timeout=CONNECT_TIMEOUT_S, security=security, set_as_default=False
        )
    except OSError as exc:
        raise ClusterUnavailable(f"cannot reach the scheduler at {options.address}: {exc}") from exc
    try:
        client.wait_for_workers(max(options.wait_workers, local or 1), timeout=CONNECT_TIMEOUT_S)
    except TimeoutError as exc:
        close_client(client)
        raise ClusterUnavailable(
            f"{options.address}: fewer than {options.wait_workers} workers after"
            f" {CONNECT_TIMEOUT_S} s (start them with `coderlhf worker --scheduler ADDRESS`)"
        ) from exc
    return client


def local_workers(address: str) -> int | None:
    """``local`` / ``local:N``: a LocalCluster of N worker processes here (default 2)."""
    if address != "local" and not address.startswith("local:"):
        return None
    count = address.partition(":")[2] or "2"
    if not count.isdigit() or int(count) < 1:
        raise ClusterUnavailable(f"--cluster {address}: expected local or local:N")
    return int(count)


def keep_containers(client: Any) -> None:
    """Register the worker plugin that keeps worker containers between chunks and removes
    them when the worker closes (``cluster.worker_plugin``)."""
    from coderlhf_tui.cluster.worker_plugin import KeptContainers

    client.register_plugin(KeptContainers())


def close_client(client: Any) -> None:
    """Close the client, and the LocalCluster it started (``--cluster local``)."""
    cluster = getattr(client, "cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()


def run_on_cluster(
    store: Store,
    requests: Sequence[RunRequest],
    settings: RunnerSettings,
    options: ClusterOptions,
    *,
    scan: Sequence[Task] = (),
    pinned: dict[str, str] | None = None,
    on_result: OnResult | None = None,
) -> ClusterOutcome:
    """Run ``requests`` (and scan ``scan``) on the cluster, storing results as they finish."""
    import json

    from coderlhf_tui.scan.pack import pack_version

    client = connect_client(options)
    started = time.monotonic()
    figures = ClusterFigures(scheduler=options.address, total_runs=len(requests))
    outcome = ClusterOutcome([], figures)
    futures: list[Any] = []
    try:
        keep_containers(client)
        tags = sorted({settings.image_for(r.task.language) for r in requests} or {settings.image})
        pins, fit, figures.refused = pin_workers(client, tags, pinned)
        for worker, why in figures.refused.items():
            outcome.notes.append(f"worker {worker} left out: {why}")
        work = plan_work(store, requests, settings, scan_tasks=scan, force=options.force)
        outcome.reports.extend(work.answered)
        figures.answered = len(work.answered)
        for report in work.answered:
            figures.verdicts[report.run.verdict.value] += 1
        by_id = {item.task.id: item.task for item in work.items}
        spec = WorkerSpec(settings, pins, pack_version() if scan else "", options.jobs)
        store.set_meta(
            RESUME_META,
            json.dumps(
                {"scheduler": options.address, "runs": len(requests), "sent": work.runs_to_send}
            ),
        )
        figures.threads = sum(n for w, n in client.nthreads().items() if w in fit)
        chunks = chunks_of(work.items, figures.threads, options.runs_per_chunk)
        only = fit if figures.refused else None
        futures = [
            client.submit(run_chunk, chunk, spec, key=chunk_key(chunk, work.hashes), workers=only)
            for chunk in chunks
        ]
        if on_result is not None:
            on_result(figures)
        import distributed

        dask: Any = distributed
        for future in dask.as_completed(futures, loop=client.loop):
            result: ChunkResult = future.result()
            _record(store, result, by_id, outcome)
            figures.chunks += 1
            figures.wall_s = time.monotonic() - started
            if on_result is not None:
                on_result(figures)
    except BaseException:
        with contextlib.suppress(Exception):
            client.cancel(futures, force=True)
        raise
    finally:
        figures.wall_s = time.monotonic() - started
        close_client(client)
    return outcome


def _record(
    store: Store, result: ChunkResult, tasks: dict[str, Task], outcome: ClusterOutcome
) -> None:
    """Store one chunk's runs and findings (by content hash: a repeat changes nothing)."""
    for task_id, key, run in result.runs:
        store.save_test_run(task_id, key, run)
        outcome.reports.append(RunReport(tasks[task_id], key, run, cached=False))
        outcome.figures.verdicts[run.verdict.value] += 1
    for task_id, key, digest, findings in result.scans:
        store.save_findings(task_id, key, digest, findings)
    outcome.figures.add_chunk(result.worker, len(result.runs), len(result.scans), result.elapsed_s)
