"""The cluster path's cost over the single-machine batch path, on the same LDB responses.

Peer (same run): ``run_many`` in this process with ``--jobs`` worker containers, a fresh
store, exactly as ``coderlhf test`` runs today; once before the cluster runs and once after
(the machine is shared: the cost is taken against the mean of the two).

Cluster: a LocalCluster of worker processes on this machine, each with ``--jobs`` Dask
threads running a chunk each through the same ``run_many`` in one worker container
(``cluster.dispatch.run_on_cluster``, fresh store): the difference is the cluster's own
cost (pinning, planning, pickling chunks, scheduling, storing results). The worker keeps
its worker containers between chunks and between audits (a standing cluster does), so
pair 0 is the only one whose cluster run starts them; it is marked "cold".

- cost, 1 worker = the median over alternating pairs (peer then cluster, cluster then peer)
  of cluster wall with one worker process / peer wall, - 1 (target <= 10 %);
- responses/s with 1 and 2 worker processes, and per worker; the two processes get half
  the threads each (``--jobs`` containers at once in both shapes), so on one machine the
  figure shows what splitting a worker costs, not that one machine gets faster;
- scheduler overhead per chunk (docs/cluster.md's definition) and the host-side CPU per run
  (this process, and the worker processes for the cluster; the containers' CPU in neither).

Responses: LDB's MBPP seeds, two per task (benchmarks/runner_batch.py builds them).

    .venv/bin/python benchmarks/cluster_audit.py [--limit 500] [--jobs 2] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil
from runner_batch import build_tasks

from coderlhf_tui.cluster.dispatch import ClusterOptions, run_on_cluster
from coderlhf_tui.runners.base import RunRequest
from coderlhf_tui.runners.service import RunnerService
from coderlhf_tui.runners.settings import load_settings
from coderlhf_tui.store import Store


def host_cpu() -> float:
    """CPU s of this process (client, LocalCluster scheduler and nannies) and its children
    (the Dask worker processes); the containers' CPU is the same on both paths and not in it."""
    me = psutil.Process()
    total = time.process_time()
    for child in me.children(recursive=True):
        try:
            times = child.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def timed(fn: Any) -> tuple[Any, float, float]:
    """(result, wall s, host-side CPU s: this process and its worker processes)."""
    wall, cpu = time.monotonic(), host_cpu()
    out = fn()
    return out, time.monotonic() - wall, host_cpu() - cpu


def single(
    requests: list[RunRequest], jobs: int, folder: Path, name: str = "single"
) -> tuple[float, float]:
    store = Store.open(folder / f"{name}.db")
    service = RunnerService(store, settings=load_settings(), warm=False)
    try:
        reports, wall, cpu = timed(lambda: service.run_many(requests, jobs=jobs))
    finally:
        service.close()
        store.close()
    assert len(reports) == len(requests)
    return wall, cpu


def on_cluster(
    requests: list[RunRequest], address: str, workers: int, chunk: int | None, folder: Path,
    name: str,
) -> tuple[float, float, dict[str, Any]]:  # fmt: skip
    store = Store.open(folder / f"{name}.db")
    options = ClusterOptions(address, chunk, wait_workers=workers)
    try:
        outcome, wall, cpu = timed(
            lambda: run_on_cluster(store, requests, load_settings(), options)
        )
    finally:
        store.close()
    assert len(outcome.reports) == len(requests)
    return wall, cpu, outcome.figures.as_dict()


def local_cluster(workers: int, threads: int) -> Any:
    from distributed import LocalCluster

    return LocalCluster(
        n_workers=workers, threads_per_worker=threads, processes=True, dashboard_address=None
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=500, help="LDB tasks (2 responses each)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--chunk-runs", type=int, default=None, help="default: the CLI's")
    parser.add_argument("--repeat", type=int, default=3, help="peer/cluster pairs")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()}")
    tasks, _ = build_tasks(args.limit)
    requests = [RunRequest(task, key) for task in tasks for key in task.keys]
    n = len(requests)
    ratios, cpu_peer, cpu_cluster, walls_1, overheads_1 = [], [], [], [], []
    with tempfile.TemporaryDirectory() as tmp, local_cluster(1, args.jobs) as one:
        folder = Path(tmp)
        for rep in range(args.repeat):
            order = ("peer", "cluster") if rep % 2 == 0 else ("cluster", "peer")
            wall: dict[str, float] = {}
            for which in order:
                if which == "peer":
                    wall["peer"], cpu = single(requests, args.jobs, folder, f"single{rep}")
                    cpu_peer.append(cpu)
                else:
                    wall["cluster"], cpu, figures = on_cluster(
                        requests, one.scheduler_address, 1, args.chunk_runs, folder,
                        f"cluster1-{rep}",
                    )  # fmt: skip
                    cpu_cluster.append(cpu)
                    walls_1.append(wall["cluster"])
                    overheads_1.append(figures["overhead_per_chunk_s"])
            ratios.append(wall["cluster"] / wall["peer"])
            cold = " (cold: containers started)" if rep == 0 else ""
            print(
                f"rep {rep} ({' then '.join(order)}){cold}: single {wall['peer']:.1f} s"
                f" ({n / wall['peer']:.1f}/s), cluster 1 worker {wall['cluster']:.1f} s"
                f" ({n / wall['cluster']:.1f}/s), ratio {ratios[-1]:.3f},"
                f" {figures['chunks']} chunks, overhead"
                f" {1000 * figures['overhead_per_chunk_s']:.0f} ms/chunk"
            )
        with local_cluster(2, max(1, args.jobs // 2)) as two:
            wall2, cpu2, figures2 = on_cluster(
                requests, two.scheduler_address, 2, args.chunk_runs, folder, "cluster2"
            )
    ratio = statistics.median(ratios)
    wall1 = statistics.median(walls_1)
    overhead1 = statistics.median(overheads_1)
    print(
        f"COST of the cluster path, 1 local worker vs the single-machine batch path:"
        f" {ratio - 1:+.1%} (median wall ratio {ratio:.3f} of {len(ratios)} alternating pairs;"
        f" target <= +10 %)"
    )
    print(
        f"host CPU per run: single {1000 * statistics.median(cpu_peer) / n:.2f} ms vs cluster"
        f" {1000 * statistics.median(cpu_cluster) / n:.2f} ms (client + scheduler + worker"
        f" processes; the containers' own CPU is in neither)"
    )
    print(
        f"THROUGHPUT: 1 worker process {n / wall1:.1f} responses/s per worker (median);"
        f" 2 worker processes x {max(1, args.jobs // 2)} threads {n / wall2:.1f}/s ="
        f" {n / wall2 / 2:.1f} responses/s per worker,"
        f" host CPU {1000 * cpu2 / n:.2f} ms/run"
    )
    print(
        f"SCHEDULER OVERHEAD per chunk: 1 worker {1000 * overhead1:.0f} ms (median),"
        f" 2 workers {1000 * figures2['overhead_per_chunk_s']:.0f} ms ({figures2['chunks']}"
        f" chunks)"
    )
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
