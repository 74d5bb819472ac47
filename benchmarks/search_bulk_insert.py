"""Benchmark: sqlite-utils ``insert_all`` against the store's ``executemany`` for the rows
an import writes (issue 20: sqlite-utils for bulk inserts only where at least as fast).

Both write the same task and response rows into a freshly migrated workspace, in one
transaction, in chunks of the store's INSERT_CHUNK, without indexing them for search, so
only the insert mechanics differ. The peer is today's code path (raw sqlite3).

    .venv/bin/python benchmarks/search_bulk_insert.py [--tasks 20000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlite_utils
from import_tasks import LANGUAGES, response

from coderlhf_tui.store import INSERT_CHUNK, Store

TASK_COLUMNS = ("id", "language", "task_type", "prompt", "tests", "is_gold", "imported_at")
RESPONSE_COLUMNS = ("task_id", "key", "response_id", "model", "code")


def rows(count: int) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    tasks, responses = [], []
    for i in range(count):
        task_id = f"bench-{i:06d}"
        tasks.append((task_id, LANGUAGES[i % 10], "implement", f"Task {i}.", None, 0, "2026-01-01"))
        for key in ("a", "b"):
            responses.append((task_id, key, key, "m", response(2 * i + (key == "b"))))
    return tasks, responses


def fresh(path: Path) -> Store:
    return Store.open(path)


def with_executemany(store: Store, tasks: list[Any], responses: list[Any]) -> None:
    marks_t = ",".join("?" * len(TASK_COLUMNS))
    marks_r = ",".join("?" * len(RESPONSE_COLUMNS))
    with store.transaction() as conn:
        for start in range(0, len(tasks), INSERT_CHUNK):
            conn.executemany(
                f"INSERT INTO tasks({','.join(TASK_COLUMNS)}) VALUES ({marks_t})",
                tasks[start : start + INSERT_CHUNK],
            )
            conn.executemany(
                f"INSERT INTO responses({','.join(RESPONSE_COLUMNS)}) VALUES ({marks_r})",
                responses[2 * start : 2 * (start + INSERT_CHUNK)],
            )


def with_sqlite_utils(store: Store, tasks: list[Any], responses: list[Any]) -> None:
    db = sqlite_utils.Database(store.conn, recursive_triggers=False, execute_plugins=False)
    with store.transaction():
        for start in range(0, len(tasks), INSERT_CHUNK):
            db["tasks"].insert_all(  # type: ignore[union-attr]
                (
                    dict(zip(TASK_COLUMNS, row, strict=True))
                    for row in tasks[start : start + INSERT_CHUNK]
                ),
                batch_size=INSERT_CHUNK,
            )
            db["responses"].insert_all(  # type: ignore[union-attr]
                (
                    dict(zip(RESPONSE_COLUMNS, row, strict=True))
                    for row in responses[2 * start : 2 * (start + INSERT_CHUNK)]
                ),
                batch_size=INSERT_CHUNK,
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
    tasks, responses = rows(args.tasks)
    results: dict[str, list[tuple[float, float]]] = {"executemany": [], "sqlite-utils": []}
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(args.rounds):
            order = [with_executemany, with_sqlite_utils]
            for insert in order if round_ % 2 == 0 else order[::-1]:
                name = "executemany" if insert is with_executemany else "sqlite-utils"
                path = Path(tmp) / f"{name}-{round_}.db"
                with fresh(path) as store:
                    wall, cpu = time.perf_counter(), time.process_time()
                    insert(store, tasks, responses)
                    results[name].append((time.perf_counter() - wall, time.process_time() - cpu))
                    assert store.count_tasks() == args.tasks
    base_wall = statistics.median(r[0] for r in results["executemany"])
    base_cpu = statistics.median(r[1] for r in results["executemany"])
    for name, runs in results.items():
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        print(
            f"{name:<13} {args.tasks} tasks + {2 * args.tasks} responses: {wall:6.2f} s wall,"
            f" {cpu:6.2f} s CPU ({cpu / args.tasks * 1e6:.0f} us CPU per task),"
            f" {wall / base_wall:.2f}x wall / {cpu / base_cpu:.2f}x CPU of executemany"
        )


if __name__ == "__main__":
    main()
