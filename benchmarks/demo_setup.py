"""Benchmark: what the repository tasks add to ``coderlhf demo --no-open`` (issue 16).

The main demo now sets up the three repository tasks with the bundled ones. The peer is
the same command with ``--no-repo-tasks`` (the demo as it was), run in the same process,
alternating, each as a fresh ``coderlhf`` process so start-up counts on both sides. Two
cases: a new workspace (the sdists already in the user cache, as after any first run:
the bundles are rebuilt beside the workspace with git) and the same workspace again (the
task files are kept by their spec stamp). Printed: median wall time, CPU per command
(the command and its children: git), and the ratio to the peer. The first-ever run also
downloads three sdists with pip; that depends on the network and is not timed here.

Run: .venv/bin/python benchmarks/demo_setup.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def demo(db: Path, *extra: str) -> tuple[float, float]:
    """(wall, CPU) of one ``coderlhf demo --no-open`` on ``db``."""
    cpu, started = children_cpu(), time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "coderlhf_tui", "demo", "--no-open", "--db", str(db), *extra],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or "not added" in done.stdout:
        raise SystemExit(f"coderlhf demo failed:\n{done.stdout}\n{done.stderr}")
    return time.perf_counter() - started, children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="demo-bench-") as tmp:
        folder = Path(tmp)
        demo(folder / "warm.db")  # the sdists into the user cache, once, not timed
        results: dict[str, list[tuple[float, float]]] = {}
        for round_ in range(args.repeat):
            for case, extra in (
                ("with repository tasks", ()),
                ("peer: --no-repo-tasks", ("--no-repo-tasks",)),
            ):
                db = folder / f"{case[:4]}-{round_}.db"
                results.setdefault(f"new workspace, {case}", []).append(demo(db, *extra))
                results.setdefault(f"same workspace, {case}", []).append(demo(db, *extra))
    medians = {
        name: (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
        for name, runs in results.items()
    }
    for name, (wall, cpu) in medians.items():
        print(f"{name:45} median {wall:6.2f} s wall, {cpu:6.2f} s CPU per command")
    for where in ("new workspace", "same workspace"):
        ours = medians[f"{where}, with repository tasks"]
        peer = medians[f"{where}, peer: --no-repo-tasks"]
        print(
            f"{where}: coderlhf demo --no-open / peer --no-repo-tasks ="
            f" {ours[0] / peer[0]:.2f}x wall, {ours[1] / peer[1]:.2f}x CPU"
            f" (+{ours[0] - peer[0]:.2f} s, +{ours[1] - peer[1]:.2f} s CPU)"
        )


if __name__ == "__main__":
    main()
