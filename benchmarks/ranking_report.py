"""Benchmark: the model leaderboard and ranking agreement for 100,000 ranked annotations.

Target (issue 14): both together in <= 3 s for 100,000 annotations (bootstrap intervals
included, the report's resamples). Measured on the annotations as the QA report has them
loaded (``report.load_workspace``; that load is reported separately), ``--repeat`` times
(the first run is the one a report pays; the median is printed too), wall and CPU. The
peer in the same run is the ``krippendorff`` package's ordinal alpha on the same units
(one statistic, no intervals), which is what a script would call; the ratio is ours
(leaderboard, three agreement statistics, all intervals) over that one statistic.

    .venv/bin/python benchmarks/ranking_report.py [--annotations 100000] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.ranking_data import build_ranked_workspace
from coderlhf_tui.quality.frame import counted
from coderlhf_tui.quality.ranked_report import ranked_items, ranking_sections
from coderlhf_tui.quality.report import load_workspace
from coderlhf_tui.quality.settings import QualitySettings
from coderlhf_tui.ranking import mid_ranks
from coderlhf_tui.rubric import load_rubric
from coderlhf_tui.store import Store


def timed(function, *args, **kwargs):  # type: ignore[no-untyped-def]
    start, cpu = time.perf_counter(), time.process_time()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--annotations", type=int, default=100_000)
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "coderlhf-ranking-bench"
    )
    parser.add_argument("--bootstrap", type=int, default=QualitySettings().bootstrap)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    db = args.work / f"ranked-{args.annotations}.db"
    if not db.exists():
        build_ranked_workspace(db, args.annotations)
    load = os.getloadavg()[0]
    rubric = load_rubric()
    settings = QualitySettings(bootstrap=args.bootstrap)
    with Store.open(db) as store:
        workspace, load_s, _load_cpu = timed(load_workspace, store, rubric)
        runs = [
            timed(
                ranking_sections,
                store,
                workspace.annotations,
                workspace.tasks,
                rubric.dimension_names,
                settings,
            )
            for _ in range(max(1, args.repeat))
        ]
        sections = runs[0][0]
        walls, cpus = [r[1] for r in runs], [r[2] for r in runs]
        counts = store.response_counts(workspace.tasks)
        items = ranked_items(counted(workspace.annotations), workspace.tasks, counts)
    import krippendorff

    columns = []
    for item in items:
        ranks = [mid_ranks(r) for r in item.rankings]
        for key in item.keys:
            columns.append([rank[key] for rank in ranks] + [np.nan] * (3 - len(ranks)))
    reliability = np.array(columns).T
    peer_alpha, peer_s, peer_cpu = timed(
        krippendorff.alpha, reliability_data=reliability, level_of_measurement="ordinal"
    )
    ours_alpha = sections["ranking_agreement"]["overall"]["krippendorff_alpha_ordinal"]
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    out = {
        "annotations": len(workspace.annotations),
        "ranked_tasks": len(items),
        "resamples": min(args.bootstrap, settings.ranking_bootstrap),
        "load_average_at_start": round(load, 2),
        "load_workspace_s": round(load_s, 2),
        "TARGET leaderboard_and_agreement_wall_s (<= 3 s)": round(walls[0], 3),
        "leaderboard_and_agreement_cpu_s": round(cpus[0], 3),
        "median_of_runs_wall_s": round(wall, 3),
        "median_of_runs_cpu_s": round(cpu, 3),
        "runs_wall_s": [round(w, 3) for w in walls],
        "runs_cpu_s": [round(c, 3) for c in cpus],
        "cpu_us_per_annotation": round(1e6 * cpu / max(1, len(workspace.annotations)), 2),
        "peer_krippendorff_alpha_only_s": round(peer_s, 3),
        "peer_cpu_s": round(peer_cpu, 3),
        "ratio_ours_over_peer_wall": round(wall / peer_s, 2),
        "ratio_ours_over_peer_cpu": round(cpu / peer_cpu, 2),
        "alpha_ours": ours_alpha,
        "alpha_peer": round(float(peer_alpha), 4),
        "top_model": sections["leaderboard"]["overall"][0]["model"],
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
