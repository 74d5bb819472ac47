"""Benchmark: export 25k / 50k / 100k ranked annotations to TRL pairs.

Target (issue 14): 100,000 ranked annotations (three rankings of four responses per task)
to TRL pairs in <= 10 s, with peak memory flat as the workspace grows. The peer, in the
same run and on the same data, is what a script without a streaming exporter would do:
read every annotation through ``Store.list_annotations``, expand the consensus rankings
into pairs in memory and write them with ``datasets.Dataset.from_list(rows).to_json``.

Each measurement runs in a fresh child process that reports its wall time, CPU time and
peak RSS (``ru_maxrss``). Workspaces are built once (``ranking_data``) and cached in
``--work``.

    .venv/bin/python benchmarks/ranking_export.py [--sizes 25000 50000 100000] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.ranking_data import build_ranked_workspace


def _ours(db: Path, out: Path) -> int:
    from coderlhf_tui.export.rankings import run_ranking_export
    from coderlhf_tui.rubric import load_rubric

    summary = run_ranking_export(db, "trl", out, load_rubric())
    return int(summary.rows["rows"])


def _peer(db: Path, out: Path) -> int:
    import datasets

    from coderlhf_tui.domain import AnnotationStatus
    from coderlhf_tui.ranking import consensus_ranking, derived_pairs
    from coderlhf_tui.store import Store

    with Store.open(db) as store:
        tasks = {task.id: task for task in store.iter_tasks()}
        by_task: dict[str, list[Any]] = {}
        for ann in store.list_annotations(status=AnnotationStatus.SUBMITTED):
            if ann.ranking:
                by_task.setdefault(ann.task_id, []).append(ann.ranking)
    rows = []
    for task_id, rankings in by_task.items():
        task = tasks[task_id]
        user = {"role": "user", "content": task.prompt}
        for pair in derived_pairs(consensus_ranking(rankings, task.keys)):
            rows.append(
                {
                    "chosen": [
                        user,
                        {"role": "assistant", "content": task.response(pair.better).code},
                    ],  # type: ignore[arg-type]
                    "rejected": [
                        user,
                        {"role": "assistant", "content": task.response(pair.worse).code},
                    ],  # type: ignore[arg-type]
                    "margin": float(pair.strength),
                    "id": f"{task_id}:{pair.better}:{pair.worse}",
                }
            )
    out.mkdir(parents=True, exist_ok=True)
    datasets.Dataset.from_list(rows).to_json(str(out / "train.jsonl"))
    return len(rows)


def child(kind: str, db: Path, out: Path) -> dict[str, Any]:
    start, cpu = time.perf_counter(), time.process_time()
    rows = (_ours if kind == "ours" else _peer)(db, out)
    return {
        "kind": kind,
        "rows": rows,
        "wall_s": round(time.perf_counter() - start, 2),
        "cpu_s": round(time.process_time() - cpu, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def measure(kind: str, db: Path, out: Path) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(db), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[25_000, 50_000, 100_000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/coderlhf-ranking-bench"))
    parser.add_argument("--child", nargs=3, metavar=("KIND", "DB", "OUT"))
    args = parser.parse_args()
    if args.child:
        kind, db, out = args.child
        print(json.dumps(child(kind, Path(db), Path(out))))
        return
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    for size in args.sizes:
        db = args.work / f"ranked-{size}.db"
        if not db.exists():
            build_ranked_workspace(db, size)
        ours = measure("ours", db, args.work / f"trl-ours-{size}")
        peer = measure("peer", db, args.work / f"trl-peer-{size}")
        print(
            json.dumps(
                {
                    "annotations": size,
                    "ours": ours,
                    "peer_datasets_from_list": peer,
                    "ratio_wall_peer_over_ours": round(peer["wall_s"] / ours["wall_s"], 2),
                }
            )
        )


if __name__ == "__main__":
    main()
