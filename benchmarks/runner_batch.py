"""Batch test throughput on the 500 LDB MBPP tasks, and the overhead over the tests' own time.

Each MBPP task becomes a two-response task: response A is gpt-3.5-turbo-0613's first-try
program, B is codellama's (LDB seed files), with the task's hidden test (a ``check`` call).
All 1000 responses are run by ``run_many`` (fresh store, pool, ``--jobs`` threads) as
``coderlhf test`` does: in batch mode, each thread's runs one after another in a hardened
worker container with fresh-container state restored between them (docs/runners.md).
Each program starts with the import header LDB's executor used when it labelled them.

``--fresh N``: also run the first N tasks with one fresh container per response (the
keypress path, ``coderlhf test --fresh-containers``), for comparison in the same run.

The peer is the tests' own run time: every program again, timed from inside one long-lived
sandbox with the same limits (``python3 program.py``, one after another, 10 s cap each).
Overhead = wall time of the batch / (sum of own times / min(jobs, cores)) - 1. Because that
ideal assumes ``jobs`` idle cores, the same programs are also run with the batch's
parallelism and nothing else (``jobs`` long-lived sandboxes, all at once), before and after
each batch: ``overhead_vs_parallel_own`` = batch wall / mean of those walls - 1, the figure
that stays honest when other work shares the machine.

The floor: how fast the same engine can create, start and remove the same hardened
container with nothing run in it, at the same parallelism; no runner that gives every run a
fresh container can beat it.

Also reported: how many verdicts agree with LDB's stored ``is_solved`` labels.

    .venv/bin/python benchmarks/runner_batch.py [--jobs 2] [--limit 500] [--repeat 3] [--fresh N]

``--repeat R`` runs R batches (each into a fresh store, with the parallel peer before the
first and after every one) and reports the medians.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

from coderlhf_tui.domain import Language, Response, Task, TestKind, TestSpec, Verdict
from coderlhf_tui.runners.base import RunReport, RunRequest
from coderlhf_tui.runners.docker_backend import DockerBackend
from coderlhf_tui.runners.docker_sandbox import Sandbox, connect
from coderlhf_tui.runners.languages.python import RECIPE
from coderlhf_tui.runners.service import RunnerService
from coderlhf_tui.runners.settings import DEFAULT_IMAGE, RunnerSettings
from coderlhf_tui.store import Store

LDB = Path(__file__).resolve().parents[2] / "shared/data/external/ldb/input_data/mbpp/seed"
MODELS = ("gpt-3.5-turbo-0613", "codellama")
LDB_HEADER = (
    "from typing import *\nimport math\nfrom heapq import *\nimport itertools\nimport re\n"
    "import typing\nimport heapq\n_str = str\n"
)
"""The imports LDB's executor put above every program when it labelled them."""


def load_records(model: str) -> dict[str, dict[str, Any]]:
    lines = (LDB / model / "seed.jsonl").read_text().splitlines()
    return {rec["task_id"]: rec for rec in map(json.loads, lines)}


def truth(record: dict[str, Any]) -> bool:
    return str(record["is_solved"]).lower() == "true"


def build_tasks(limit: int) -> tuple[list[Task], dict[tuple[str, str], bool]]:
    a, b = (load_records(model) for model in MODELS)
    tasks, labels = [], {}
    for task_id in sorted(set(a) & set(b), key=lambda t: int(t.split("/")[1]))[:limit]:
        rec_a, rec_b = a[task_id], b[task_id]
        spec = TestSpec(kind=TestKind.SCRIPT, code=rec_a["test"], entry_point=rec_a["entry_point"])
        responses = (
            Response("a", LDB_HEADER + rec_a["solution"], MODELS[0]),
            Response("b", LDB_HEADER + rec_b["solution"], MODELS[1]),
        )
        tasks.append(Task(task_id, Language.PYTHON, rec_a["prompt"], responses, spec))
        labels[(task_id, "a")], labels[(task_id, "b")] = truth(rec_a), truth(rec_b)
    return tasks, labels


def programs(tasks: list[Task]) -> dict[str, str]:
    """Every response's program as the Python recipe writes it, by file name."""
    files = {}
    for index, task in enumerate(tasks):
        for key in ("a", "b"):
            plan = RECIPE.plan(task, task.response(key))  # type: ignore[arg-type]
            files[f"/work/p{index:04d}{key}.py"] = plan.files["program.py"]
    return files


def own_times(client: Any, settings: RunnerSettings, files: dict[str, str]) -> list[float]:
    """Each program timed from inside one long-lived sandbox, one after another."""
    sandbox = Sandbox.start(client, settings.image, settings.limits)
    try:
        sandbox.write_files(files)
        script = (
            "cd /work; for f in p*.py; do s=$(date +%s%N); "
            "PYTHONDONTWRITEBYTECODE=1 timeout -s KILL 10 python3 $f >/dev/null 2>&1; "
            "e=$(date +%s%N); echo $f $((e-s)); done"
        )
        result = sandbox.exec(["sh", "-c", script], deadline_s=20 * len(files), cap=10_000_000)
    finally:
        sandbox.destroy()
    return [int(line.split()[1]) / 1e9 for line in result.stdout.splitlines() if line.strip()]


def own_wall_parallel(
    client: Any, settings: RunnerSettings, files: dict[str, str], jobs: int
) -> float:
    """Wall time of every program run with the batch's parallelism and nothing else: the
    files dealt round-robin to ``jobs`` long-lived sandboxes that run theirs one after
    another, all at once. The floor any runner with per-run isolation can approach."""
    names = sorted(files)
    groups = [{name: files[name] for name in names[n::jobs]} for n in range(jobs)]
    sandboxes = [Sandbox.start(client, settings.image, settings.limits) for _ in groups]
    script = (
        "cd /work; for f in p*.py; do "
        "PYTHONDONTWRITEBYTECODE=1 timeout -s KILL 10 python3 $f >/dev/null 2>&1; done"
    )
    try:
        for sandbox, group in zip(sandboxes, groups, strict=True):
            sandbox.write_files(group)
        started = time.monotonic()
        deadline = 20.0 * len(files)
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            list(pool.map(lambda box: box.exec(["sh", "-c", script], deadline, 1000), sandboxes))
        return time.monotonic() - started
    finally:
        for sandbox in sandboxes:
            sandbox.destroy()


def engine_floor(client: Any, settings: RunnerSettings, jobs: int, count: int = 60) -> float:
    """Hardened containers created, started and removed per second, nothing run in them."""

    def cycle(_: int) -> None:
        Sandbox.start(client, settings.image, settings.limits).destroy()

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(cycle, range(count)))
    return count / (time.monotonic() - started)


def fresh_mode(settings: RunnerSettings, requests: list[RunRequest], jobs: int) -> dict[str, Any]:
    """The same runs with one fresh container each (``reuse_containers: false``)."""
    fresh_settings = replace(settings, reuse_containers=False)
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "fresh.db") as store:
        store.insert_tasks(list({r.task.id: r.task for r in requests}.values()))
        backend = DockerBackend(fresh_settings)
        with RunnerService(store, settings=fresh_settings, backend=backend) as service:
            service.warm()
            time.sleep(2)
            started = time.monotonic()
            service.run_many(requests, jobs=jobs)
            wall = time.monotonic() - started
    return {
        "responses": len(requests),
        "wall_s": round(wall, 2),
        "throughput_per_s": round(len(requests) / wall, 2),
    }


ENGINE = {"dockerd", "containerd", "containerd-shim", "containerd-shim-runc-v2", "runc"}
TICKS = os.sysconf("SC_CLK_TCK")


def engine_cpu_s() -> float:
    """CPU seconds the Docker engine's processes have used so far."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)
        except OSError:
            continue
        name = fields[0].split("(", 1)[1]
        if name in ENGINE:
            values = fields[1].split()
            total += int(values[11]) + int(values[12])
    return total / TICKS


def machine_busy_s() -> float:
    """CPU seconds all cores have spent not idle since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(values) - values[3] - values[4]) / TICKS


def batch(
    settings: RunnerSettings, tasks: list[Task], requests: list[RunRequest], jobs: int
) -> tuple[float, list[RunReport], dict[str, float]]:
    """One batch as ``coderlhf test`` runs it, into a fresh store: (wall time, reports, where
    the CPU went: engine, this process, the whole machine)."""
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "bench.db") as store:
        store.insert_tasks(tasks)
        with RunnerService(store, settings=settings, backend=DockerBackend(settings)) as service:
            time.sleep(3)  # the warm pool fills before the clock starts
            before = (engine_cpu_s(), time.process_time(), machine_busy_s())
            started = time.monotonic()
            reports = service.run_many(requests, jobs=jobs)
            wall = time.monotonic() - started
            after = (engine_cpu_s(), time.process_time(), machine_busy_s())
    names = ("engine_cpu_s", "host_process_cpu_s", "machine_busy_cpu_s")
    cpu = {name: round(b - a, 2) for name, a, b in zip(names, before, after, strict=True)}
    return wall, reports, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--limit", type=int, default=500)
    parser.add_argument("--image", default=DEFAULT_IMAGE)
    parser.add_argument("--fresh", type=int, default=0, metavar="N")
    parser.add_argument("--repeat", type=int, default=1, help="batches (median reported)")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out/runner_batch.json"))
    args = parser.parse_args()
    tasks, labels = build_tasks(args.limit)
    settings = RunnerSettings(image=args.image, pool_size=args.jobs, jobs=args.jobs)
    requests = [RunRequest(task, key) for task in tasks for key in ("a", "b")]
    files = programs(tasks)
    client = connect()
    own = own_times(client, settings, files)
    peers = [own_wall_parallel(client, settings, files, args.jobs)]
    walls: list[float] = []
    cpu: list[dict[str, float]] = []
    reports: list[RunReport] = []
    for _ in range(args.repeat):
        wall, reports, used = batch(settings, tasks, requests, args.jobs)
        walls.append(wall)
        cpu.append(used)
        peers.append(own_wall_parallel(client, settings, files, args.jobs))
    fresh = fresh_mode(settings, requests[: 2 * args.fresh], args.jobs) if args.fresh else {}
    floor_rate = engine_floor(client, settings, args.jobs)
    wall = statistics.median(walls)
    against_peers = [w / ((peers[n] + peers[n + 1]) / 2) - 1 for n, w in enumerate(walls)]
    counts: dict[str, int] = {}
    for report in reports:
        counts[report.run.verdict.value] = counts.get(report.run.verdict.value, 0) + 1
    agree = sum((r.run.verdict is Verdict.PASSED) == labels[(r.task.id, r.key)] for r in reports)
    own_total = sum(own)
    ideal = own_total / min(args.jobs, os.cpu_count() or 1)
    summary = {
        "responses": len(reports),
        "jobs": args.jobs,
        "wall_s": round(wall, 2),
        "throughput_per_s": round(len(reports) / wall, 2),
        "own_time_total_s": round(own_total, 2),
        "own_time_mean_s": round(own_total / max(len(own), 1), 4),
        "overhead": round(wall / ideal - 1, 3),
        "batch_walls_s": [round(w, 2) for w in walls],
        "overheads": [round(w / ideal - 1, 3) for w in walls],
        "own_wall_parallel_s": [round(p, 2) for p in peers],
        "cpu_per_batch": cpu,
        "overhead_vs_parallel_own": round(statistics.median(against_peers), 3),
        "engine_floor_containers_per_s": round(floor_rate, 2),
        "floor_overhead": round((len(reports) / floor_rate) / ideal - 1, 3),
        "per_run_wall_mean_s": round(wall * args.jobs / len(reports), 4),
        "cached": sum(r.cached for r in reports),
        "verdicts": counts,
        "label_agreement": round(agree / len(reports), 4),
        "isolation": sorted({r.run.isolation for r in reports}),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    if fresh:
        own_sub = own_total / max(len(own), 1) * fresh["responses"]  # at the mean own time
        fresh["overhead"] = round(fresh["wall_s"] / (own_sub / args.jobs) - 1, 3)
        summary["fresh_containers"] = fresh
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
