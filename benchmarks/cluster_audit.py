"""The cluster path's cost over the single-machine batch path, on the same LDB responses.

Peer (same run): ``run_many`` in this process with ``--jobs`` worker containers, a fresh
store, exactly as ``coderlhf test`` runs today; once before the cluster runs and once after
(the machine is shared: the cost is taken against the mean of the two).

Cluster: a LocalCluster of worker processes on this machine, each running its chunks
through the same ``run_many`` with the same ``--jobs`` (``cluster.dispatch.run_on_cluster``,
fresh store): the difference is the cluster's own cost (pinning, planning, pickling
chunks, scheduling, storing results).

- cost, 1 worker = cluster wall with one worker process / peer wall - 1 (target <= 10 %);
- responses/s with 1 and 2 worker processes, and per worker (on 2 cores a second worker
  process shares the same cores: the figure shows the cluster adds no serial bottleneck,
  not that one machine gets faster);
- scheduler overhead per chunk (docs/cluster.md's definition) and the client's CPU per run.

Responses: LDB's MBPP seeds, two per task (benchmarks/runner_batch.py builds them).

    .venv/bin/python benchmarks/cluster_audit.py [--limit 500] [--jobs 2] [--chunk-runs N]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from runner_batch import build_tasks

from coderlhf_tui.cluster.dispatch import ClusterOptions, run_on_cluster
from coderlhf_tui.runners.base import RunRequest
from coderlhf_tui.runners.service import RunnerService
from coderlhf_tui.runners.settings import load_settings
from coderlhf_tui.store import Store


def timed(fn: Any) -> tuple[Any, float, float]:
    """(result, wall s, this process's CPU s)."""
    wall, cpu = time.monotonic(), time.process_time()
    out = fn()
    return out, time.monotonic() - wall, time.process_time() - cpu


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
    requests: list[RunRequest], jobs: int, workers: int, chunk: int | None, folder: Path
) -> tuple[float, float, dict[str, Any]]:
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        store = Store.open(folder / f"cluster{workers}.db")
        options = ClusterOptions(cluster.scheduler_address, chunk, jobs, wait_workers=workers)
        try:
            outcome, wall, cpu = timed(
                lambda: run_on_cluster(store, requests, load_settings(), options)
            )
        finally:
            store.close()
    assert len(outcome.reports) == len(requests)
    return wall, cpu, outcome.figures.as_dict()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=500, help="LDB tasks (2 responses each)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--chunk-runs", type=int, default=None, help="default: the CLI's")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()}")
    tasks, _ = build_tasks(args.limit)
    requests = [RunRequest(task, key) for task in tasks for key in task.keys]
    n = len(requests)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        peer_wall, peer_cpu = single(requests, args.jobs, folder)
        print(
            f"single machine run_many: {n} runs in {peer_wall:.1f} s = {n / peer_wall:.1f}/s,"
            f" client CPU {1000 * peer_cpu / n:.2f} ms/run"
        )
        results = {}
        for workers in (1, 2):
            wall, cpu, figures = on_cluster(requests, args.jobs, workers, args.chunk_runs, folder)
            results[workers] = wall
            print(
                f"cluster {workers} worker(s): {wall:.1f} s = {n / wall:.1f}/s,"
                f" {n / wall / workers:.1f}/s per worker, client CPU {1000 * cpu / n:.2f} ms/run,"
                f" {figures['chunks']} chunks, scheduler overhead"
                f" {1000 * figures['overhead_per_chunk_s']:.0f} ms/chunk"
            )
        again, _ = single(requests, args.jobs, folder, "single-again")
        print(f"single machine run_many again: {again:.1f} s = {n / again:.1f}/s")
        peer = (peer_wall + again) / 2
        ratio = results[1] / peer
        print(
            f"cost of the cluster path, 1 worker: {ratio - 1:+.1%} (ratio {ratio:.3f} to the"
            f" mean of the peer before and after); 2 workers / 1: {results[1] / results[2]:.2f}x"
        )
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
