"""Benchmark: export 25k / 50k / 100k labelled pairs to Parquet and JSONL.

Targets (issue 8): 100,000 pairs to Parquet in <= 5 s and to JSONL in <= 10 s, with peak
memory flat as the workspace grows. The peer, in the same run and on the same data, is
``datasets.Dataset.from_list(records).to_parquet(path)`` (and ``.to_json``) on the
canonical records built in memory, which is what a script without a streaming exporter
would do.

Every measurement runs in a fresh child process, which reports its own wall time, CPU
time and peak RSS (``ru_maxrss``), so one run's memory never hides another's; the best
of ``--repeat`` runs is reported (the largest RSS of them). Workspaces are
generated once (real SQLite through ``Store``: tasks, two or three submitted annotations
per pair, test runs, findings) and cached in ``--work``.

    .venv/bin/python benchmarks/export_speed.py [--sizes 25000 50000 100000] [--work DIR]
        [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from coderlhf_tui.domain import (
    Annotation,
    AnnotationStatus,
    Finding,
    Language,
    Preference,
    Response,
    Severity,
    Task,
    TaskType,
    TestRun,
    Verdict,
)
from coderlhf_tui.rubric import load_rubric
from coderlhf_tui.store import Store

LANGUAGES = [Language.PYTHON, Language.JAVASCRIPT, Language.GO, Language.JAVA, Language.RUST]
PREFS = list(Preference)


def _code(rng: random.Random, n: int) -> str:
    lines = [f"def solve_{n}(data):"]
    for i in range(rng.randint(15, 35)):
        lines.append(f"    value_{i} = data[{i}] * {rng.randint(1, 99)} + len(str(data))")
    lines.append("    return value_0")
    return "\n".join(lines) + "\n"


def build_workspace(path: Path, pairs: int, seed: int = 7) -> None:
    """A workspace of ``pairs`` labelled pairs (two prompts per prompt group on average)."""
    rng = random.Random(seed)
    rubric = load_rubric()
    dims = rubric.dimension_names
    tasks = []
    for i in range(pairs):
        group = i // 2
        prompt = (
            f"Task {group}: implement a function that reads a list of records, validates "
            "each field, aggregates by key and returns the totals sorted by value. "
            "Handle empty input, malformed rows and very large inputs efficiently. " * 2
        )
        tasks.append(
            Task(
                id=f"t{i:07d}",
                language=LANGUAGES[group % len(LANGUAGES)],
                prompt=prompt,
                responses=(
                    Response("a", _code(rng, 2 * i), "model-x"),
                    Response("b", _code(rng, 2 * i + 1), "model-y"),
                ),
                task_type=TaskType.IMPLEMENT,
            )
        )
    with Store.open(path) as store:
        store.insert_tasks(tasks)
        with store.transaction():
            for i, task in enumerate(tasks):
                base = rng.randrange(5)
                for who in range(2 + (i % 3 == 0)):
                    pref = PREFS[max(0, min(4, base + rng.choice((-1, 0, 0, 1))))]
                    store.merge_annotation(
                        Annotation(
                            id=str(uuid.uuid4()),
                            task_id=task.id,
                            annotator=f"ann{who}",
                            revision=1,
                            status=AnnotationStatus.SUBMITTED,
                            preference=pref,
                            scores={
                                "a": {d: rng.randint(1, 5) for d in dims},
                                "b": {d: rng.randint(1, 5) for d in dims},
                            },
                            rationale="A validates input and handles the empty case; B does "
                            "not check malformed rows and sorts twice.",
                            tags=["THREAD_SAFE"] if who == 0 else [],
                            time_spent_s=float(rng.randint(60, 600)),
                            updated_at="2026-11-26T10:00:00Z",
                        )
                    )
                if i % 2 == 0:
                    for key in ("a", "b"):
                        verdict = Verdict.PASSED if rng.random() < 0.6 else Verdict.FAILED
                        store.save_test_run(
                            task.id,
                            key,
                            TestRun(verdict, content_hash=f"{task.id}{key}", passed=3, failed=1),
                        )
                if i % 10 == 0:
                    store.save_findings(
                        task.id,
                        "b",
                        f"scan-{task.id}",
                        [Finding("r.eval", "CWE-95", "Eval", Severity.HIGH, 3, 3, "eval")],
                    )


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(kind: str, db: Path, out: Path) -> dict[str, Any]:
    """One measurement in this (fresh) process: wall seconds and peak RSS."""
    rubric = load_rubric()
    start = time.perf_counter()
    cpu_start = _cpu_seconds()
    if kind in ("parquet", "jsonl"):
        from coderlhf_tui.export.formats import get_format
        from coderlhf_tui.export.pipeline import run_export

        summary = run_export(db, get_format(kind), out, rubric)
        rows = sum(summary.rows.values())
    else:  # the peer: every record in memory, then datasets writes it
        from datasets import Dataset

        from coderlhf_tui.export.canonical_record import page_records
        from coderlhf_tui.export.consensus import label_page
        from coderlhf_tui.export.pair_agreement import page_agreement
        from coderlhf_tui.export.source import WorkspaceReader

        dims = rubric.dimension_names
        records: list[dict[str, Any]] = []
        with WorkspaceReader(db, dims) as reader:
            for page in reader.pages():
                labels = label_page(page, dims, 3.0)
                agreement = page_agreement(
                    page.annotation_rows, labels.annotation_ordinals, len(page)
                )
                batch = page_records(page, labels, agreement, dims).filter(labels.labelled)
                records.extend(batch.to_pylist())
        built = time.perf_counter()
        dataset = Dataset.from_list(records)
        if kind == "datasets-parquet":
            dataset.to_parquet(str(out))
        else:
            dataset.to_json(str(out))
        rows = len(records)
        return {
            "seconds": time.perf_counter() - start,
            "cpu_seconds": _cpu_seconds() - cpu_start,
            "write_seconds": time.perf_counter() - built,
            "rows": rows,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
    return {
        "seconds": time.perf_counter() - start,
        "cpu_seconds": _cpu_seconds() - cpu_start,
        "rows": rows,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def measure(kind: str, db: Path, out: Path) -> dict[str, Any]:
    """Run ``child`` in a fresh interpreter."""
    result = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--db", str(db), "--out", str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    data: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25_000, 50_000, 100_000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/coderlhf-bench-export"))
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (best)")
    parser.add_argument("--child")
    parser.add_argument("--db", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.db, args.out)))
        return
    args.work.mkdir(parents=True, exist_ok=True)
    kinds = ["parquet", "jsonl", "datasets-parquet", "datasets-jsonl"]
    print(f"{'pairs':>8} {'writer':<18} {'seconds':>8} {'peak RSS MB':>12} {'CPU s':>7}")
    for size in args.sizes:
        db = args.work / f"workspace-{size}.db"
        if not db.exists():
            t0 = time.perf_counter()
            build_workspace(db, size)
            print(f"(built {db} in {time.perf_counter() - t0:.0f} s)", file=sys.stderr)
        for kind in kinds:
            suffix = "parquet" if kind.endswith("parquet") else "jsonl"
            runs = [
                measure(kind, db, args.work / f"out-{size}-{kind}.{suffix}")
                for _ in range(args.repeat)
            ]
            result = min(runs, key=lambda run: float(run["seconds"]))
            result["peak_rss_mb"] = max(float(run["peak_rss_mb"]) for run in runs)
            extra = (
                f"  (datasets write alone {result['write_seconds']:.2f} s)"
                if "write_seconds" in result
                else ""
            )
            figures = (
                f"{result['seconds']:>8.2f} {result['peak_rss_mb']:>12.0f}"
                f" {result['cpu_seconds']:>7.2f}"
            )
            print(f"{size:>8} {kind:<18} {figures}{extra}", flush=True)


if __name__ == "__main__":
    main()
