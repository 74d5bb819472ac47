"""Keypress-to-verdict latency of one trivial Python test: warm pool vs a cold `docker run`.

Both paths do the same work in the same hardened container configuration on the same
engine, interleaved in one run: write the response and its test into /work, run
``python3 program.py``, read the exit status and output, remove the container.

- pool: ``run_response`` on a pooled DockerBackend, the pool given time to refill between
  keypresses (an annotator reads for seconds between two `t` presses).
- cold: ``containers.run`` of the same command (files written by the command itself),
  then wait, logs, remove: what a runner without a pool pays.
- cold runner: the unpooled DockerBackend (create + start + execs + remove).

    .venv/bin/python benchmarks/runner_latency.py [--runs 40] [--image coderlhf-toolbox:1]
"""

from __future__ import annotations

import argparse
import base64
import json
import statistics
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from coderlhf_tui.domain import Language, Response, Task, TestKind, TestSpec, Verdict
from coderlhf_tui.runners.base import run_response
from coderlhf_tui.runners.docker_backend import DockerBackend
from coderlhf_tui.runners.docker_sandbox import (
    LABEL,
    OWNER_LABEL,
    connect,
    host_config,
    owner_label,
)
from coderlhf_tui.runners.settings import DEFAULT_IMAGE, RunnerSettings

TEST = "def check(candidate):\n    assert candidate(2) == 4\n"


def task(i: int) -> Task:
    code = f"def double(x):\n    return x * 2  # variant {i}\n"  # a new hash every time
    spec = TestSpec(kind=TestKind.SCRIPT, code=TEST, entry_point="double")
    return Task(f"lat-{i}", Language.PYTHON, "p", (Response("a", code), Response("b", code)), spec)


def cold_docker_run(client: Any, image: str, settings: RunnerSettings, t: Task) -> float:
    program = f"{t.responses[0].code}\n\n{TEST}\ncheck(double)\n"
    b64 = base64.b64encode(program.encode()).decode()
    config = host_config(settings.limits)
    config["user"] = "65534:65534"
    script = f"cd /work && printf %s {b64} | base64 -d > program.py && exec python3 program.py"
    started = time.monotonic()
    container = client.containers.run(
        image,
        ["timeout", "-s", "KILL", "10", "sh", "-c", script],
        detach=True,
        labels={LABEL: "1", OWNER_LABEL: owner_label()},
        **{**config, "log_config": None},
    )
    status = container.wait(timeout=30)
    container.logs()
    container.remove(force=True)
    elapsed = time.monotonic() - started
    assert status["StatusCode"] == 0, status
    return elapsed


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--image", default=DEFAULT_IMAGE)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out/runner_latency.json"))
    args = parser.parse_args()
    settings = RunnerSettings(image=args.image, pool_size=1)
    client = connect()
    pooled = DockerBackend(settings, client=client)
    cold_runner = DockerBackend(replace(settings, pool_size=0), client=client, pooled=False)
    times: dict[str, list[float]] = {"pool": [], "cold docker run": [], "cold runner": []}
    try:
        pooled.warm(settings.image, settings.limits)
        for i in range(args.runs + 3):
            assert pooled.pool is not None
            while pooled.pool.ready_count(settings.image, settings.limits) < 1:
                time.sleep(0.02)
            time.sleep(0.3)  # let the previous container's removal finish, as between keypresses
            started = time.monotonic()
            run = run_response(task(i), "a", backend=pooled, settings=settings)
            pool_s = time.monotonic() - started
            assert run.verdict is Verdict.PASSED, run.detail
            cold_s = cold_docker_run(client, settings.image, settings, task(i))
            started = time.monotonic()
            run = run_response(task(i), "a", backend=cold_runner, settings=settings)
            runner_s = time.monotonic() - started
            assert run.verdict is Verdict.PASSED, run.detail
            if i >= 3:  # warm-up rounds are not counted
                times["pool"].append(pool_s)
                times["cold docker run"].append(cold_s)
                times["cold runner"].append(runner_s)
    finally:
        pooled.close()
        cold_runner.close()
    summary = {
        name: {
            "p50_s": round(statistics.median(values), 4),
            "p95_s": round(percentile(values, 0.95), 4),
            "runs": len(values),
        }
        for name, values in times.items()
    }
    ratio = summary["pool"]["p50_s"] / summary["cold docker run"]["p50_s"]
    summary["pool_over_cold_p50"] = {"ratio": round(ratio, 3)}  # type: ignore[dict-item]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=2))
    for name, row in summary.items():
        print(f"{name:22} {row}")


if __name__ == "__main__":
    main()
