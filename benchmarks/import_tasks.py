"""Benchmark: import 100,000 tasks (two 40-line responses each) and list them by language.

Targets: import <= 2x the ``sqlite-utils insert`` floor (issue 18; <= 20 s and <= 300 MB
peak RSS on 2 cores, issue 2); listing 100,000 tasks with a language filter <= 200 ms.
The peer, in the same run and alternating with ours, is the floor any importer must pay:
``sqlite-utils insert`` of the same JSONL into one table, with no validation at all. Both
run as child processes from the command line; wall and CPU time (user + system) of each.

    .venv/bin/python benchmarks/import_tasks.py [--tasks 100000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

LANGUAGES = ["python", "javascript", "typescript", "java", "go", "rust", "c", "cpp", "sql", "php"]
MEASURE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
    "elapsed = time.perf_counter() - t\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(rc, elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)\n"
)
"""Run a command; print its exit status, wall s, CPU s and peak RSS MB."""


def response(seed: int) -> str:
    """A 40-line response body that differs per task."""
    rng = random.Random(seed)
    lines = [f"def solve_{seed}(items):"]
    for i in range(38):
        lines.append(f"    value_{i} = items[{i % 7}] * {rng.randint(1, 999)} + {i}  # step {i}")
    lines.append("    return value_0")
    return "\n".join(lines) + "\n"


def write_tasks(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for i in range(count):
            record = {
                "id": f"bench-{i:06d}",
                "language": LANGUAGES[i % len(LANGUAGES)],
                "prompt": f"Task {i}: implement solve_{i} over a list of integers.",
                "task_type": "implement",
                "responses": [
                    {"id": "a", "model": "model-x", "code": response(2 * i)},
                    {"id": "b", "model": "model-y", "code": response(2 * i + 1)},
                ],
                "tests": {
                    "kind": "script",
                    "code": f"assert solve_{i}([1,2,3,4,5,6,7]) is not None",
                },
            }
            handle.write(json.dumps(record) + "\n")


@dataclass(frozen=True, slots=True)
class Measured:
    """One child process: wall seconds, CPU seconds (user + system), peak RSS in MB."""

    wall: float
    cpu: float
    peak_mb: float


def measured(command: list[str]) -> Measured:
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out[0] == "0", f"{command[:4]} failed"
    return Measured(float(out[1]), float(out[2]), float(out[3]))


def fresh(db: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return db


def median(runs: list[Measured]) -> Measured:
    return Measured(
        statistics.median(r.wall for r in runs),
        statistics.median(r.cpu for r in runs),
        max(r.peak_mb for r in runs),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3, help="imports of each kind")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
    sqlite_utils = Path(sys.executable).with_name("sqlite-utils")
    with tempfile.TemporaryDirectory() as tmp:
        tasks = Path(tmp) / "tasks.jsonl"
        write_tasks(tasks, args.tasks)
        size_mb = tasks.stat().st_size / 1e6
        ours_db, peer_db = Path(tmp) / "w.db", Path(tmp) / "peer.db"
        ours_cmd = [sys.executable, "-m", "coderlhf_tui", "import", str(tasks), "--db"]
        peer_cmd = [str(sqlite_utils), "insert", str(peer_db), "tasks", str(tasks), "--nl"]
        ours: list[Measured] = []
        peer: list[Measured] = []
        for round_ in range(args.rounds):
            first_ours = round_ % 2 == 0
            for mine in (True, False) if first_ours else (False, True):
                if mine:
                    ours.append(measured([*ours_cmd, str(fresh(ours_db))]))
                else:
                    fresh(peer_db)
                    peer.append(measured([*peer_cmd, "--pk", "id"]))

        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from coderlhf_tui.store import Store

        with Store.open(ours_db) as store:
            timings = []
            for language in LANGUAGES * 2:
                start = time.perf_counter()
                rows = store.list_tasks(language=language)
                timings.append(time.perf_counter() - start)
                assert len(rows) == args.tasks // len(LANGUAGES)
    mine, floor = median(ours), median(peer)
    per_task = 1e6 / args.tasks
    print(f"file: {args.tasks} tasks, {size_mb:.0f} MB JSONL; median of {args.rounds} alternating")
    for name, run in (("coderlhf import", mine), ("peer sqlite-utils insert", floor)):
        print(
            f"{name:<25} {run.wall:6.2f} s wall, {run.cpu:6.2f} s CPU "
            f"({run.cpu * per_task:5.1f} us CPU per task), peak RSS {run.peak_mb:4.0f} MB"
        )
    print("  (the peer: no validation, no responses table, no search index: the floor)")
    print(
        f"import / floor: {mine.wall / floor.wall:.2f}x wall, {mine.cpu / floor.cpu:.2f}x CPU "
        "(target <= 2x; <= 20 s and <= 300 MB)"
    )
    ratio = mine.cpu / floor.cpu
    print(
        f"TARGET issue 18.4, CPU ratio ours / sqlite-utils floor: {ratio:.2f}x (<= 2.00x): "
        f"{'met' if ratio <= 2 else 'NOT met'}; wall ratio {mine.wall / floor.wall:.2f}x; "
        f"peak RSS {mine.peak_mb:.0f} MB (<= 300): {'met' if mine.peak_mb <= 300 else 'NOT met'}"
    )
    print(
        f"each run (ours, CPU s): {', '.join(f'{r.cpu:.2f}' for r in ours)}; "
        f"(floor): {', '.join(f'{r.cpu:.2f}' for r in peer)}"
    )
    median_ms = statistics.median(timings) * 1000
    print(f"list_tasks(language=L) over {args.tasks} tasks: median {median_ms:.0f} ms,")
    print(f"  max {max(timings) * 1000:.0f} ms (target <= 200 ms)")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
