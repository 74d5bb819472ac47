"""Benchmark: exporting 100,000 annotations that carry line comments (issue 15).

Target: 100,000 annotations with comments exported in <= 10 s. The workspace (real
SQLite through ``Store``) holds 50,000 pairs with two submitted annotations each, and
every annotation holds two to four line comments (300,000 comments in all; one in ten
a scanner-finding verdict). Measured, each in a fresh child process that reports its
wall time, CPU time and peak RSS (best of ``--repeat``):

  * ``--format jsonl`` and ``parquet`` (the canonical record, ``comments`` column
    included), ``critiques`` (one record per comment) and ``trl-stepwise``;
  * peer 1, same run: ``--format jsonl`` of the same workspace with the comments
    stripped (what comments add to an export);
  * peer 2, same run: the critique records the obvious way, every annotation body
    ``json.loads``-ed in Python, one dict per comment, ``json.dumps`` per line.

    .venv/bin/python benchmarks/critiques_export.py [--pairs 50000] [--work DIR] [--repeat 2]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from coderlhf_tui.critiques import SOLUTION_PATHS, new_comment
from coderlhf_tui.domain import (
    Annotation,
    AnnotationStatus,
    FindingVerdict,
    Language,
    Preference,
    Response,
    Severity,
    Task,
)
from coderlhf_tui.rubric import load_rubric
from coderlhf_tui.store import Store

LANGUAGES = [Language.PYTHON, Language.JAVASCRIPT, Language.GO, Language.JAVA, Language.RUST]
KINDS = ("jsonl", "parquet", "critiques", "trl-stepwise", "jsonl-no-comments", "naive-critiques")


def _code(rng: random.Random, n: int) -> str:
    lines = [f"def solve_{n}(data):"]
    for i in range(rng.randint(16, 36)):
        lines.append(f"    value_{i} = transform(data, {rng.randint(0, 999)})  # step {i}")
    return "\n".join(lines) + "\n"


def build(path: Path, pairs: int, *, with_comments: bool, seed: int = 11) -> None:
    """The workspace described in the module docstring (comments optional)."""
    rng = random.Random(seed)
    rubric = load_rubric()
    categories = list(rubric.comment_categories)
    tasks = [
        Task(
            id=f"t{n:06d}",
            language=LANGUAGES[n % len(LANGUAGES)],
            prompt=f"Task {n}: transform the data set step by step. " * 8,
            responses=(Response("a", _code(rng, n), "m1"), Response("b", _code(rng, n + 1), "m2")),
        )
        for n in range(pairs)
    ]
    with Store.open(path) as store:
        store.insert_tasks(tasks)
        with store.transaction():
            for task in tasks:
                for annotator in ("ann1", "ann2"):
                    comments = []
                    if with_comments:
                        for c in range(rng.randint(2, 4)):
                            key = "a" if c % 2 == 0 else "b"
                            code = task.response(key).code
                            start = rng.randint(2, 12)
                            finding = rng.random() < 0.1
                            comments.append(
                                new_comment(
                                    code,
                                    key,
                                    start,
                                    start + rng.randint(0, 2),
                                    categories[rng.randrange(len(categories))],
                                    list(Severity)[rng.randrange(5)],
                                    "the step loses data when the input is empty",
                                    rule_id="py.bench-rule" if finding else None,
                                    verdict=rng.choice(list(FindingVerdict)) if finding else None,
                                )
                            )
                    store.save_annotation(
                        Annotation(
                            id=str(uuid.uuid4()),
                            task_id=task.id,
                            annotator=annotator,
                            status=AnnotationStatus.SUBMITTED,
                            preference=rng.choice(list(Preference)),
                            scores={
                                "a": dict.fromkeys(rubric.dimension_names, rng.randint(1, 5)),
                                "b": dict.fromkeys(rubric.dimension_names, rng.randint(1, 5)),
                            },
                            rationale="A handles the empty input; B drops the last step.",
                            rubric_version=rubric.version,
                            comments=comments,
                        )
                    )


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def naive_critiques(db: Path, out: Path) -> int:
    """Peer 2: critique records with json.loads/dict/json.dumps in Python."""
    conn = sqlite3.connect(db)
    tasks = {
        row[0]: (row[1], row[2]) for row in conn.execute("SELECT id, language, prompt FROM tasks")
    }
    codes = {
        (row[0], row[1]): row[2] for row in conn.execute("SELECT task_id, key, code FROM responses")
    }
    written = 0
    with out.open("w", encoding="utf-8") as handle:
        for task_id, body in conn.execute(
            "SELECT task_id, body FROM annotations WHERE status = 'submitted'"
        ):
            annotation = json.loads(body)
            language, prompt = tasks[task_id]
            for c in annotation.get("comments", []):
                if c.get("verdict") == "dispute":
                    continue
                multi = c["end_line"] > c["start_line"]
                record = {
                    "id": c["id"],
                    "task_id": task_id,
                    "language": language,
                    "prompt": prompt,
                    "response": codes[(task_id, c["response"])],
                    "annotator": annotation["annotator"],
                    "path": SOLUTION_PATHS[language],
                    "line": c["end_line"],
                    "start_line": c["start_line"] if multi else None,
                    "side": "RIGHT",
                    "quoted_code": c["quote"],
                    "category": c["category"],
                    "severity": c["severity"],
                    "text": c["text"],
                }
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                written += 1
    return written


def child(kind: str, db: Path, out: Path) -> dict[str, Any]:
    """One measurement, in this (fresh) process."""
    start = time.perf_counter()
    if kind == "naive-critiques":
        rows = naive_critiques(db, out)
    else:
        from coderlhf_tui.export.formats import get_format
        from coderlhf_tui.export.pipeline import ExportOptions, run_export

        fmt = "jsonl" if kind == "jsonl-no-comments" else kind
        summary = run_export(db, get_format(fmt), out, load_rubric(), ExportOptions())
        rows = sum(summary.rows.values())
        if out.is_dir():  # a folder format: count the records it wrote
            rows = 0
            for path in out.glob("*.jsonl"):
                with path.open("rb") as handle:  # streamed: reading it whole would be the RSS
                    rows += sum(1 for _ in handle)
    return {
        "kind": kind,
        "wall_s": round(time.perf_counter() - start, 3),
        "cpu_s": round(_cpu(), 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "rows": rows,
    }


def measure(kind: str, db: Path, out: Path) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", kind, "--db", str(db), "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=50_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/coderlhf-bench-critiques"))
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--child", choices=KINDS)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.db, args.out)))
        return
    args.work.mkdir(parents=True, exist_ok=True)
    dbs = {}
    for with_comments in (True, False):
        name = f"workspace-{args.pairs}-{'comments' if with_comments else 'plain'}.db"
        path = args.work / name
        if not path.exists():
            started = time.perf_counter()
            build(path.with_suffix(".partial"), args.pairs, with_comments=with_comments)
            path.with_suffix(".partial").rename(path)
            print(f"built {name} in {time.perf_counter() - started:.0f} s", flush=True)
        dbs[with_comments] = path
    print(f"load average at the start: {os.getloadavg()[0]:.1f}", flush=True)
    outputs = {
        "jsonl": "out.jsonl",
        "parquet": "out.parquet",
        "critiques": "critiques",
        "trl-stepwise": "stepwise",
        "jsonl-no-comments": "plain.jsonl",
        "naive-critiques": "naive.jsonl",
    }
    results = {}
    for kind in KINDS:
        db = dbs[kind != "jsonl-no-comments"]
        runs = [measure(kind, db, args.work / outputs[kind]) for _ in range(args.repeat)]
        best = min(runs, key=lambda r: r["wall_s"])
        best["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
        results[kind] = best
        print(
            f"{kind:18} wall {best['wall_s']:6.2f} s  CPU {best['cpu_s']:6.2f} s  "
            f"RSS {best['peak_rss_mb']:5d} MB  rows {best['rows']}",
            flush=True,
        )
    base, plain = results["jsonl"], results["jsonl-no-comments"]
    print(f"comments' cost, jsonl CPU: {base['cpu_s'] / plain['cpu_s']:.2f}x the same without")
    crit, naive = results["critiques"], results["naive-critiques"]
    print(f"critiques vs naive, CPU: {naive['cpu_s'] / crit['cpu_s']:.2f}x faster")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
