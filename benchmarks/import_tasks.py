"""Benchmark: import 100,000 tasks (two 40-line responses each) and list them by language.

Targets (issue 2): import <= 20 s and <= 300 MB peak RSS on 2 cores; listing 100,000
tasks with a language filter <= 200 ms. The peer, in the same run, is the floor any
importer must pay: ``sqlite-utils insert`` of the same JSONL with no validation at all.

    .venv/bin/python benchmarks/import_tasks.py [--tasks 100000]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LANGUAGES = ["python", "javascript", "typescript", "java", "go", "rust", "c", "cpp", "sql", "php"]
MEASURE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
    "elapsed = time.perf_counter() - t\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
    "print(rc, elapsed, peak)\n"
)


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


def measured(command: list[str]) -> tuple[int, float, float]:
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=True
    ).stdout.split()
    return int(out[0]), float(out[1]), float(out[2])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tasks = Path(tmp) / "tasks.jsonl"
        write_tasks(tasks, args.tasks)
        size_mb = tasks.stat().st_size / 1e6
        db = Path(tmp) / "w.db"
        rc, seconds, peak = measured(
            [sys.executable, "-m", "coderlhf_tui", "import", str(tasks), "--db", str(db)]
        )
        assert rc == 0, "import failed"
        peer_db = Path(tmp) / "peer.db"
        sqlite_utils = Path(sys.executable).with_name("sqlite-utils")
        prc, peer_seconds, peer_peak = measured(
            [str(sqlite_utils), "insert", str(peer_db), "tasks", str(tasks), "--nl", "--pk", "id"]
        )
        assert prc == 0, "peer insert failed"

        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from coderlhf_tui.store import Store

        with Store.open(db) as store:
            timings = []
            for language in LANGUAGES * 2:
                start = time.perf_counter()
                rows = store.list_tasks(language=language)
                timings.append(time.perf_counter() - start)
                assert len(rows) == args.tasks // len(LANGUAGES)
    print(f"file: {args.tasks} tasks, {size_mb:.0f} MB JSONL")
    print(f"coderlhf import:          {seconds:6.2f} s  peak RSS {peak:6.0f} MB")
    print("  (target <= 20 s and <= 300 MB)")
    print(f"peer sqlite-utils insert: {peer_seconds:6.2f} s  peak RSS {peer_peak:6.0f} MB")
    print("  (no validation, no responses table: the floor)")
    median_ms = statistics.median(timings) * 1000
    print(f"list_tasks(language=L) over {args.tasks} tasks: median {median_ms:.0f} ms,")
    print(f"  max {max(timings) * 1000:.0f} ms (target <= 200 ms)")


if __name__ == "__main__":
    main()
