"""Benchmark: full-text search over 100,000 tasks, and what the index costs at import.

Targets (issue 20): a search over 100,000 tasks (two 40-line responses each) <= 50 ms
p50 and <= 0.2x the LIKE peer in the same run; the index adds <= 35 % to the import
of those 100,000 tasks.

- search: ``search_index.search`` (what the queue's ``/`` and ``tasks --search`` run,
  snippets included) for a few query shapes; the peer is the search this replaced,
  ``LIKE '%word%'`` over the prompt and id, widened to the code of every response so it
  answers the same question.
- import: the same file imported (validation, one transaction) with the index and,
  the peer, with ``Store.insert_tasks``'s indexing call (``index_new_tasks``) replaced by
  a no-op, alternating, in child processes; wall and CPU time of each. A second peer
  bounds the index's cost from below: FTS5 alone, indexing the same texts in memory
  with nothing else to do (with positions, as phrases and NEAR need, and without).

    .venv/bin/python benchmarks/search_fts.py [--tasks 100000] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import import_tasks

from coderlhf_tui.search_index import PENDING_BYTES, SOURCE_AUTOMERGE, search
from coderlhf_tui.store import Store

PLAIN_RESPONSE = import_tasks.response
SHELL_EVERY = 100
"""One task in this many has a response that shells out: what the queries look for."""

QUERIES = {
    "word": "subprocess",
    "column": "code:subprocess",
    "phrase": '"check output"',
    "prefix": "subproc*",
    "near": "NEAR(subprocess shell, 6)",
}
LIKE_PEER = """
SELECT t.id FROM tasks t
 WHERE t.prompt LIKE :q OR t.id LIKE :q
    OR EXISTS (SELECT 1 FROM responses r WHERE r.task_id = t.id AND r.code LIKE :q)
 ORDER BY t.rowid
"""
IMPORT_CHILD = (
    "import resource, sys, time\n"
    "from pathlib import Path\n"
    "from coderlhf_tui import store\n"
    "if sys.argv[3] == 'peer':\n"
    "    store.index_new_tasks = lambda *_: None\n"
    "from coderlhf_tui.ingest import import_task_file\n"
    "from coderlhf_tui.store import Store\n"
    "with Store.open(sys.argv[1]) as store:\n"
    "    t = time.perf_counter()\n"
    "    report = import_task_file(store, Path(sys.argv[2]))\n"
    "    wall = time.perf_counter() - t\n"
    "assert report.imported and not report.errors, report.errors[:3]\n"
    "usage = resource.getrusage(resource.RUSAGE_SELF)\n"
    "print(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)\n"
)


def response_with_shells(seed: int) -> str:
    """import_tasks' 40-line response; response B of one task in SHELL_EVERY (odd seeds
    are B) runs a shell command on its middle line."""
    code = PLAIN_RESPONSE(seed)
    if seed % (2 * SHELL_EVERY) != 1:
        return code
    lines = code.splitlines()
    lines[20] = '    out = subprocess.check_output(f"wc -l {items}", shell=True)'
    return "\n".join(lines) + "\n"


def write_tasks(path: Path, count: int) -> None:
    """import_tasks' task file (the issue-2 import benchmark's), with the shell calls."""
    import_tasks.response = response_with_shells  # write_tasks looks it up as it runs
    try:
        import_tasks.write_tasks(path, count)
    finally:
        import_tasks.response = PLAIN_RESPONSE


def timed_import(db: Path, tasks: Path, indexed: bool) -> tuple[float, float]:
    """(wall s, CPU s) of one import in a child process."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    out = subprocess.run(
        [sys.executable, "-c", IMPORT_CHILD, str(db), str(tasks), "index" if indexed else "peer"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), float(out[1])


FLOOR_SHAPES = {
    "full": "the same texts into a bare in-memory FTS5 table (detail=full: phrases, NEAR)",
    "none": "detail=none (no positions: no phrases, NEAR or column filters)",
}
"""The peer that bounds the index's cost from below: FTS5 tokenizing and writing the same
texts with nothing else (no import, no disk, no content table, no rowid lookups)."""


def task_texts(tasks: Path) -> list[str]:
    """Every prompt and response code of the task file, the texts the index holds."""
    texts = []
    with tasks.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            texts.append(record["prompt"])
            texts.extend(response["code"] for response in record["responses"])
    return texts


def fts5_floor(texts: list[str], detail: str) -> float:
    """CPU seconds to index ``texts`` in a bare in-memory FTS5 table, as the workspace's
    index is set up (unicode61, no column sizes, large pending buffer, no automerge)."""
    conn = sqlite3.connect(":memory:")
    conn.execute(
        f"CREATE VIRTUAL TABLE f USING fts5(body, content='', columnsize=0, detail={detail})"
    )
    conn.execute(f"INSERT INTO f(f, rank) VALUES ('hashsize', {PENDING_BYTES})")
    conn.execute(f"INSERT INTO f(f, rank) VALUES ('automerge', {SOURCE_AUTOMERGE})")
    started = time.process_time()
    with conn:
        conn.executemany(  # a contentless table takes each document's rowid from its writer
            "INSERT INTO f(rowid, body) VALUES (?, ?)", enumerate(texts, start=1)
        )
    elapsed = time.process_time() - started
    conn.close()
    return elapsed


def timings(run: object, repeat: int) -> tuple[float, float]:
    """(median wall ms, median CPU ms) of calling ``run`` ``repeat`` times."""
    walls, cpus = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        run()  # type: ignore[operator]
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2, help="imports of each kind")
    parser.add_argument("--repeat", type=int, default=21, help="runs of each search")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory() as tmp:
        tasks = Path(tmp) / "tasks.jsonl"
        write_tasks(tasks, args.tasks)
        results: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
        for round_ in range(args.rounds):
            for indexed in (True, False) if round_ % 2 == 0 else (False, True):
                results[indexed].append(timed_import(Path(tmp) / f"w{indexed}.db", tasks, indexed))
        with_wall = statistics.median(r[0] for r in results[True])
        without_wall = statistics.median(r[0] for r in results[False])
        with_cpu = statistics.median(r[1] for r in results[True])
        without_cpu = statistics.median(r[1] for r in results[False])
        print(
            f"import of {args.tasks} tasks ({tasks.stat().st_size / 1e6:.0f} MB), median of "
            f"{args.rounds}:"
        )
        per_task = 1e6 / args.tasks
        print(
            f"  with the index:    {with_wall:6.2f} s wall, {with_cpu:6.2f} s CPU "
            f"({with_cpu * per_task:5.1f} us CPU per task)"
        )
        print(
            f"  without the index: {without_wall:6.2f} s wall, {without_cpu:6.2f} s CPU "
            f"({without_cpu * per_task:5.1f} us CPU per task)"
        )
        print(
            f"  index adds {100 * (with_wall / without_wall - 1):+.1f} % wall, "
            f"{100 * (with_cpu / without_cpu - 1):+.1f} % CPU "
            f"({(with_cpu - without_cpu) * per_task:.1f} us CPU per task; target <= 35 %)"
        )
        least_with = min(r[1] for r in results[True])
        least_without = min(r[1] for r in results[False])
        print(
            f"  least CPU of the {args.rounds} (the run a loaded machine disturbed least): "
            f"{least_with * per_task:.1f} vs {least_without * per_task:.1f} us per task, "
            f"index adds {100 * (least_with / least_without - 1):+.1f} %"
        )
        print(
            f"  TARGET (issue 20): index adds <= 35 % CPU, i.e. <= "
            f"{0.35 * without_cpu * per_task:.1f} us CPU per task at this base"
        )
        texts = task_texts(tasks)
        for detail, what in FLOOR_SHAPES.items():
            floor = statistics.median(fts5_floor(texts, detail) for _ in range(args.rounds))
            print(
                f"  FTS5's own floor, {what}: {floor * per_task:5.1f} us CPU per task "
                f"= {100 * floor / without_cpu:+.1f} % of the import without the index"
            )

        db = Path(tmp) / "wTrue.db"
        with Store.open(db) as store:
            conn = store.conn
            expected = args.tasks // SHELL_EVERY
            like_rows = conn.execute(LIKE_PEER, {"q": "%subprocess%"}).fetchall()
            assert len(like_rows) == expected, len(like_rows)
            like_ms, like_cpu = timings(
                lambda: conn.execute(LIKE_PEER, {"q": "%subprocess%"}).fetchall(), 3
            )
            print(
                f"peer LIKE '%subprocess%' over prompt, id and code: {like_ms:7.1f} ms p50, "
                f"{like_cpu:7.1f} ms CPU ({expected} tasks)"
            )
            for name, query in QUERIES.items():
                hits = search(conn, query)
                assert len(hits) == expected, (query, len(hits))
                ms, cpu = timings(lambda q=query: search(conn, q), args.repeat)  # type: ignore[misc]
                print(
                    f"search {name:<7} {query!r:<28} {ms:6.1f} ms p50, {cpu:6.1f} ms CPU, "
                    f"{ms / like_ms:.3f}x the peer ({len(hits)} tasks, snippets included)"
                )
            ms, cpu = timings(lambda: store.list_tasks(search="code:subprocess"), 5)
            print(
                f"list_tasks(search='code:subprocess') (the queue's whole load): {ms:.1f} ms p50,"
                f" {cpu:.1f} ms CPU"
            )
            size = db.stat().st_size / 1e6
            pages = conn.execute(
                "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search%'"
            ).fetchone()[0]
            if pages:
                print(f"workspace {size:.0f} MB, of which the search index {pages / 1e6:.0f} MB")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process {peak:.0f} MB")


if __name__ == "__main__":
    main()
