"""Go ``unit`` tests: keypress to verdict, and the build with testify precompiled vs not.

The toolbox image installs testify and its dependencies as compiled archives under GOPATH
(``images.PREPARE``). Measured here, on the toolbox image:

- keypress to verdict: ``run_response`` of a testify unit test from the warm pool, a new
  code variant each time (no cache), p50 / p95;
- the build alone, ``go test -c`` with a fresh build cache, in one hardened sandbox, with
  the image's GOPATH (archives linked) and, as the peer, with a copy of the same sources
  and no archives (what every run compiled before): median of ``--runs`` each.

    .venv/bin/python benchmarks/runner_go_unit.py [--runs 6]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from coderlhf_tui.domain import Language, Response, Task, TestKind, TestSpec
from coderlhf_tui.runners.base import run_response
from coderlhf_tui.runners.docker_backend import DockerBackend
from coderlhf_tui.runners.docker_sandbox import Sandbox
from coderlhf_tui.runners.settings import DEFAULT_IMAGE, RunnerSettings

SOLUTION = "package main\n\nfunc Add(a, b int) int { return a + b }\n"
TESTS = (
    'package main\n\nimport (\n\t"testing"\n\n\t"github.com/stretchr/testify/assert"\n)\n\n'
    "func TestAdd(t *testing.T) {\n\tassert := assert.New(t)\n\tassert.Equal(3, Add(1, 2))\n}\n"
)
GO_ENV = "GO111MODULE=off GOPROXY=off GOFLAGS= GOTOOLCHAIN=local"


def keypress(runs: int, settings: RunnerSettings) -> list[float]:
    backend = DockerBackend(settings)
    try:
        backend.warm(settings.image, settings.limits)
        time.sleep(3)
        times = []
        for n in range(runs):
            code = f"{SOLUTION}\n// variant {n} {time.time_ns()}\n"
            task = Task(
                f"go-{n}",
                Language.GO,
                "add",
                (Response("a", code), Response("b", "")),
                TestSpec(kind=TestKind.UNIT, code=TESTS),
            )
            started = time.monotonic()
            run = run_response(task, "a", backend=backend, settings=settings)
            times.append(time.monotonic() - started)
            assert run.verdict.value == "PASSED", run.detail
            time.sleep(1.0)  # the pool refills, as between two keypresses
        return times
    finally:
        backend.close()


def builds(runs: int, settings: RunnerSettings) -> dict[str, list[float]]:
    client = DockerBackend(settings, pooled=False).client
    sandbox = Sandbox.start(client, settings.image, settings.limits)
    script = (
        "mkdir -p /tmp/plain && cp -r /usr/share/gocode/src /tmp/plain/src && cd /work && "
        f"for i in $(seq {runs}); do for g in /usr/share/gocode /tmp/plain; do "
        "s=$(date +%s%N); "
        f"env {GO_ENV} GOPATH=$g GOCACHE=/tmp/cache-$i-${{#g}} go test -c -vet=off -o t . "
        ">/dev/null 2>&1 || echo FAIL; e=$(date +%s%N); echo $g $((e-s)); done; done"
    )
    try:
        sandbox.write_files({"/work/solution.go": SOLUTION, "/work/solution_test.go": TESTS})
        result = sandbox.run_step(script, None, 600.0, 100_000)
    finally:
        sandbox.destroy()
    assert "FAIL" not in result.stdout, result.stdout + result.stderr
    found: dict[str, list[float]] = {"precompiled": [], "from_source": []}
    for line in result.stdout.splitlines():
        gopath, nanos = line.split()
        key = "precompiled" if gopath == "/usr/share/gocode" else "from_source"
        found[key].append(int(nanos) / 1e9)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--image", default=DEFAULT_IMAGE)
    args = parser.parse_args()
    settings = RunnerSettings(image=args.image, pool_size=1)
    times = keypress(args.runs, settings)
    build = builds(args.runs, settings)
    summary = {
        "keypress_p50_s": round(statistics.median(times), 3),
        "keypress_max_s": round(max(times), 3),
        "go_test_c_precompiled_median_s": round(statistics.median(build["precompiled"]), 3),
        "go_test_c_from_source_median_s": round(statistics.median(build["from_source"]), 3),
        "runs": args.runs,
    }
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
