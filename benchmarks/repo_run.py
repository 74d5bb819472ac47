"""Benchmark: a repository task's graded run vs the project's own tests run bare (issue 16).

Target: a run after its environment image exists takes at most 2x the repository's own
test command run bare on the host. Both sides run the same suite of the same base commit
(the upstream project's tests, no response's patch: trusted code, so the bare side may run
on the host). The bare side is the task's test command with the host's Python in a plain
checkout; the graded side is ``RepoGrader`` with the result cache off: a checkout clone,
the (empty) patch, files into a fresh hardened container, the suite with our report
plugin and completion record, the container removed. The peer is the bare run, in the same
process, alternating, so both see the same load.

Run: .venv/bin/python benchmarks/repo_run.py [--repeat 3] [--task toolz__frequencies-empty]
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

from coderlhf_tui.repotasks.cache_dir import default_cache
from coderlhf_tui.repotasks.demo import build_demo
from coderlhf_tui.repotasks.environments import ensure_image
from coderlhf_tui.repotasks.grading import Grade, RepoGrader
from coderlhf_tui.repotasks.snapshots import base_checkout
from coderlhf_tui.repotasks.task_format import PatchResponse, RepoTask, load_task
from coderlhf_tui.runners.docker_sandbox import connect
from coderlhf_tui.runners.settings import load_settings

NOOP = (
    "diff --git a/BENCH.txt b/BENCH.txt\nnew file mode 100644\n--- /dev/null\n"
    "+++ b/BENCH.txt\n@@ -0,0 +1 @@\n+bench\n"
)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def bare_run(task: RepoTask, checkout: Path) -> tuple[float, float]:
    """(wall, CPU) of the task's test command on the host, in the base checkout."""
    command = task.environment.test_command.replace("python3 ", f"{sys.executable} ", 1)
    cpu, started = children_cpu(), time.perf_counter()
    subprocess.run(
        command, shell=True, cwd=checkout, capture_output=True, check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )  # fmt: skip
    return time.perf_counter() - started, children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--task", action="append", default=[])
    args = parser.parse_args()
    wanted = args.task or ["toolz__frequencies-empty", "more-itertools__chunked-strict"]
    print(f"load average at start: {os.getloadavg()}")
    client = connect()
    cache = default_cache()
    with tempfile.TemporaryDirectory(prefix="repo-bench-") as tmp:
        paths = build_demo(cache, Path(tmp) / "tasks", log=lambda _: None)
        tasks = {t.instance_id: t for t in map(load_task, paths)}
        for name in wanted:
            task = tasks[name]
            image = ensure_image(client, task.environment, load_settings().image, cache)
            grader = RepoGrader(client, image, Path(tmp) / "cache")
            checkout = base_checkout(task, Path(tmp) / "cache")
            bare_wall, bare_cpu, graded_wall, host_cpu = [], [], [], []
            for _ in range(args.repeat):
                wall, cpu = bare_run(task, checkout)
                bare_wall.append(wall)
                bare_cpu.append(cpu)
                cpu_before, started = self_cpu() + children_cpu(), time.perf_counter()
                run = grader.grade(task, PatchResponse("bench", NOOP), use_cache=False)
                graded_wall.append(time.perf_counter() - started)
                host_cpu.append(self_cpu() + children_cpu() - cpu_before)
                assert run.grade is Grade.NOT_RESOLVED and run.tests, run.detail
            bare, graded = statistics.median(bare_wall), statistics.median(graded_wall)
            print(
                f"{name}: {len(run.tests)} tests | bare host p50 {bare:.2f} s "
                f"(CPU {statistics.median(bare_cpu):.2f} s) | graded in sandbox p50 "
                f"{graded:.2f} s (host-side CPU {statistics.median(host_cpu):.2f} s) | "
                f"ratio {graded / bare:.2f}x (target <= 2x)"
            )


if __name__ == "__main__":
    main()
