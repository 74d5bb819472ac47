"""Benchmark: the model leaderboard and ranking agreement for 100,000 ranked annotations.

Target (issue 14): both together in <= 3 s for 100,000 annotations (bootstrap intervals
included, the report's default 1,000 resamples). Measured on the annotations as the QA
report has them loaded (``report.load_workspace``; that load is reported separately),
the peer in the same run is the ``krippendorff`` package's ordinal alpha on the same
units (one statistic, no intervals), which is what a script would call.

    .venv/bin/python benchmarks/ranking_report.py [--annotations 100000] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
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
    parser.add_argument("--work", type=Path, default=Path("/tmp/coderlhf-ranking-bench"))
    parser.add_argument("--bootstrap", type=int, default=QualitySettings().bootstrap)
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
        sections, ours_s, ours_cpu = timed(
            ranking_sections,
            store,
            workspace.annotations,
            workspace.tasks,
            rubric.dimension_names,
            settings,
        )
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
    out = {
        "annotations": len(workspace.annotations),
        "ranked_tasks": len(items),
        "resamples": min(args.bootstrap, settings.ranking_bootstrap),
        "load_average_at_start": round(load, 2),
        "load_workspace_s": round(load_s, 2),
        "leaderboard_and_agreement_s": round(ours_s, 3),
        "leaderboard_and_agreement_cpu_s": round(ours_cpu, 3),
        "peer_krippendorff_alpha_only_s": round(peer_s, 3),
        "peer_cpu_s": round(peer_cpu, 3),
        "ratio_ours_over_peer": round(ours_s / peer_s, 2),
        "alpha_ours": ours_alpha,
        "alpha_peer": round(float(peer_alpha), 4),
        "top_model": sections["leaderboard"]["overall"][0]["model"],
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
