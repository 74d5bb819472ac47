"""Scan benchmark: N responses in ONE batch vs one semgrep call per response.

The responses are real model outputs (LDB seed programs, Python) plus CyberSecEval
snippets in the other languages, so the mix has findings and parse errors like real work.
The per-call peer is measured on a sample (``--sample``, default 40) in the same run and
extrapolated to N; both use the same merged rule pack and job count. The batch is one
semgrep process, or with ``--jobs N`` and at least 100 responses per job N one-worker
processes over disjoint folders (scan/batch.py, SHARD_FROM); its trace rescan is included.

It also times the keypress case: one pair of the demo (a command-injection response with a
taint finding, whose trace needs the second semgrep-core call, and its clean twin) scanned
``--pair-runs`` times, median wall and CPU of the child processes (target < 1 s). Both
ratios are printed for wall time and for the CPU of the semgrep processes: on a shared
machine the CPU ratio moves much less with the load than the wall-clock one.

Run: .venv/bin/python benchmarks/scan_batch.py [--n 1000] [--sample 40] [--jobs 2] [--pair-runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpora

from coderlhf_tui.domain import Language
from coderlhf_tui.scan.batch import ScanItem, scan_batch
from coderlhf_tui.scan.pack import merged_config, pack_version


def responses(n: int, seed: int = 1) -> list[ScanItem]:
    """N responses: half LDB Python solutions, half CyberSecEval snippets (all languages)."""
    rng = random.Random(seed)
    ldb = [
        ScanItem(f"{t['id']}/{r['id']}", Language.PYTHON, r["code"])
        for t in corpora.ldb_pairs(limit=10**6)
        for r in t["responses"]
    ]
    cse = [ScanItem(s.id, Language(s.language), s.code) for s in corpora.cyberseceval()]
    items = rng.sample(ldb, n // 2) + rng.sample(cse, n - n // 2)
    rng.shuffle(items)
    return [ScanItem(f"{i:05d}-{it.key}", it.language, it.code) for i, it in enumerate(items)]


def demo_pair(task_id: str = "py-count-lines-cmdi") -> list[ScanItem]:
    """Both responses of one demo task, as the app scans them on a keypress."""
    path = corpora.REPO / "coderlhf_tui" / "demo" / "tasks.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        task = json.loads(line)
        if task["id"] == task_id:
            return [
                ScanItem(f"{task_id}/{r['id']}", Language(task["language"]), r["code"])
                for r in task["responses"]
            ]
    raise SystemExit(f"demo task {task_id} not found")


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_pair(runs: int, jobs: int) -> tuple[float, float, int]:
    """Median wall and child CPU seconds of scanning the demo pair; traces found."""
    items = demo_pair()
    walls: list[float] = []
    cpus: list[float] = []
    traces = 0
    for _ in range(runs):
        cpu, started = _child_cpu(), time.perf_counter()
        found = scan_batch(items, jobs=jobs)
        walls.append(time.perf_counter() - started)
        cpus.append(_child_cpu() - cpu)
        traces = sum(bool(f.trace) for v in found.values() for f in v)
    return statistics.median(walls), statistics.median(cpus), traces


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--pair-runs", type=int, default=5)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    items = responses(args.n)
    merged_config()  # written once per pack version; not part of either measurement
    cpu, started = _child_cpu(), time.perf_counter()
    found = scan_batch(items, jobs=args.jobs)
    batch_s = time.perf_counter() - started
    batch_cpu = _child_cpu() - cpu
    sample = items[: args.sample]
    cpu, started = _child_cpu(), time.perf_counter()
    single = {item.key: scan_batch([item], jobs=args.jobs)[item.key] for item in sample}
    single_s = time.perf_counter() - started
    single_cpu = (_child_cpu() - cpu) / len(sample)
    per_call = single_s / len(sample)
    agree = sum(single[i.key] == found[i.key] for i in sample)
    print(f"rule pack {pack_version()}, {os.cpu_count()} cores, --jobs {args.jobs}")
    print(
        f"batch:    {len(items)} responses in one batch: {batch_s:.1f} s "
        f"= {len(items) / batch_s:.1f} responses/s"
    )
    print(
        f"per call: {len(sample)} responses one call each: {single_s:.1f} s "
        f"= {per_call:.2f} s/response -> {per_call * len(items):.0f} s for {len(items)} "
        f"(extrapolated) = {1 / per_call:.2f} responses/s"
    )
    print(
        f"speed-up: {per_call * len(items) / batch_s:.0f}x; "
        f"same findings on {agree}/{len(sample)} sampled responses"
    )
    print(
        f"CPU (semgrep processes, user + sys): batch {batch_cpu:.1f} s; per call "
        f"{single_cpu:.2f} s/response -> {single_cpu * len(items):.0f} s; "
        f"CPU speed-up {single_cpu * len(items) / batch_cpu:.0f}x (target >= 100x; less "
        "sensitive to load)"
    )
    print(
        f"findings: {sum(len(v) for v in found.values())} in "
        f"{sum(bool(v) for v in found.values())} responses"
    )
    wall, cpu, traces = time_pair(args.pair_runs, args.jobs)
    print(
        f"keypress: one demo pair ({traces} finding(s) with a trace): median {wall:.2f} s wall, "
        f"{cpu:.2f} s CPU over {args.pair_runs} runs (target < 1 s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
