"""Benchmark: agreement statistics over 100,000 annotations (issue 7; target <= 2 s).

Synthetic but realistic: 10 language pools of 6 annotators, 50,000 tasks over 7 task
types, two annotators per task (every tenth task three, trimmed to 100,000 annotations),
five dimensions. Timed: building the frame from Annotation objects, and the full
``compute_agreement`` (overall, per language, per task type; 6 targets each; 1,000
bootstrap resamples per slice). The peers in the same run are the reference libraries
(scikit-learn per pair, statsmodels Fleiss, the krippendorff package) computing only the
overall preference figures without intervals; their numbers must match ours.

Run: .venv/bin/python benchmarks/agreement.py [--annotations 100000] [--bootstrap 1000]
"""

from __future__ import annotations

import argparse
import itertools
import os
import time
import uuid

import numpy as np

from coderlhf_tui.domain import Annotation, AnnotationStatus, Language, Preference, TaskType
from coderlhf_tui.quality.agreement import PREFERENCE, AgreementSettings, compute_agreement
from coderlhf_tui.quality.frame import TaskInfo, build_frame

DIMENSIONS = ["correctness", "security", "readability", "efficiency", "style"]


def synthetic(n_annotations: int, seed: int = 7) -> tuple[list[Annotation], dict[str, TaskInfo]]:
    """Annotations whose raters agree noisily around a per-task truth."""
    rng = np.random.default_rng(seed)
    languages = list(Language)
    types = [t.value for t in TaskType]
    tasks: dict[str, TaskInfo] = {}
    annotations: list[Annotation] = []
    for index in itertools.count():
        if len(annotations) >= n_annotations:
            break
        language = languages[index % len(languages)].value
        task_id = f"t{index:06d}"
        gold = int(rng.integers(-2, 3)) if index % 50 == 0 else None
        tasks[task_id] = TaskInfo(language, types[index % len(types)], gold)
        truth = int(rng.integers(-2, 3))
        true_scores = rng.integers(1, 6, size=(2, len(DIMENSIONS)))
        pool = [f"{language}-{i}" for i in range(6)]
        raters = rng.choice(pool, size=3 if index % 10 == 0 else 2, replace=False)
        for rater in raters:
            if len(annotations) >= n_annotations:
                break
            noisy = np.clip(true_scores + rng.integers(-1, 2, size=true_scores.shape), 1, 5)
            annotations.append(
                Annotation(
                    id=str(uuid.UUID(int=int(rng.integers(0, 2**63)))),
                    task_id=task_id,
                    annotator=str(rater),
                    status=AnnotationStatus.SUBMITTED,
                    preference=Preference.from_ordinal(truth + int(rng.integers(-1, 2))),
                    scores={
                        key: dict(zip(DIMENSIONS, map(int, row), strict=True))
                        for key, row in zip("ab", noisy, strict=True)
                    },
                    time_spent_s=float(rng.gamma(4.0, 60.0)),
                    shown_order="ab" if rng.random() < 0.5 else "ba",
                )
            )
    return annotations, tasks


def peers(frame_pref: tuple[np.ndarray, np.ndarray, np.ndarray]) -> dict[str, float]:
    """The overall preference figures from the reference libraries (no intervals)."""
    import krippendorff
    from sklearn.metrics import cohen_kappa_score
    from statsmodels.stats.inter_rater import fleiss_kappa

    item, rater, value = frame_pref
    n_items, n_raters = int(item.max()) + 1, int(rater.max()) + 1
    matrix = np.full((n_raters, n_items), np.nan)
    matrix[rater, item] = value
    alpha = krippendorff.alpha(
        reliability_data=matrix, level_of_measurement="ordinal", value_domain=[0, 1, 2, 3, 4]
    )
    two = np.isfinite(matrix).sum(axis=0) == 2
    table = np.stack([(matrix[:, two] == c).sum(axis=0) for c in range(5)], axis=1)
    fleiss = fleiss_kappa(table)
    kappas = []
    for a in range(n_raters):
        for b in range(a + 1, n_raters):
            both = np.isfinite(matrix[a]) & np.isfinite(matrix[b])
            if both.sum() >= 10:
                kappas.append(cohen_kappa_score(matrix[a, both], matrix[b, both], labels=range(5)))
    return {
        "krippendorff_alpha_ordinal": alpha,
        "fleiss_kappa_2_rater_items": fleiss,
        "pairs": len(kappas),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annotations", type=int, default=100_000)
    parser.add_argument("--bootstrap", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    annotations, tasks = synthetic(args.annotations)
    settings = AgreementSettings(bootstrap=args.bootstrap, seed=0)
    runs, cpu = [], []
    for _ in range(args.repeat):
        start, cpu_start = time.perf_counter(), time.process_time()
        frame = build_frame(annotations, tasks, DIMENSIONS)
        middle = time.perf_counter()
        report = compute_agreement(frame, settings)
        runs.append((middle - start, time.perf_counter() - middle))
        cpu.append(time.process_time() - cpu_start)
    best_frame, best_agreement = min(runs, key=sum)
    slices = 1 + len(report.by_language) + len(report.by_task_type)
    print(f"annotations {frame.size}, tasks {len(frame.tasks)}, annotators {len(frame.annotators)}")
    print(f"slices {slices} x {len(report.targets)} targets, bootstrap {settings.bootstrap}")
    print(
        f"best of {args.repeat}: build_frame {best_frame:.3f} s + agreement {best_agreement:.3f} s"
    )
    print(f"total {best_frame + best_agreement:.3f} s wall (target <= 2 s); CPU {min(cpu):.3f} s")
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        "ours, overall preference:",
        {k: round(v, 6) for k, v in report.overall[PREFERENCE].figures.items()},
    )
    mask = frame.preference > -99
    start = time.perf_counter()
    reference = peers((frame.task[mask], frame.annotator[mask], frame.preference[mask] + 2))
    elapsed = time.perf_counter() - start
    print(f"peers (reference libraries, overall preference only, no intervals): {elapsed:.3f} s")
    print("peers:", {k: round(float(v), 6) for k, v in reference.items()})


if __name__ == "__main__":
    main()
