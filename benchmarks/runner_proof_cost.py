"""What the proof of completion costs a run: the completion record vs the same run without.

Issue 12 allows at most 10 ms a run. The proof adds, per ``proof`` step: a here-document
that opens fd 9 in the wrapper shell (single containers) or a pipe the worker fills (batch),
the recipe's tail after the tests (read fd 9, write one line), and on the host the check
and removal of the record. The whole-run benchmarks (runner_latency, runner_batch) move by
tens of milliseconds with the machine's load, far more than this, so it is measured here
directly, in one hardened sandbox, as pairs run back to back, interleaved:

- peer: the trivial HumanEval-style Python script as before (response + ``check`` +
  ``check(double)``), run as the single-run backend ran a step:
  ``cd /work && exec timeout -s KILL 10 sh -c "python3 program.py" < /dev/null``;
- proof: the same program with the recipe's tail, run with the nonce's here-document in
  front of the same command, as the backend runs it now.

Reported: median wall time and mean CPU time (the children's user + system, from
``getrusage``, robust to other load) per run of each, their difference, and the host-side
record check (``take_record``) per call.

    .venv/bin/python benchmarks/runner_proof_cost.py [--pairs 200]
"""

from __future__ import annotations

import argparse
import json
import timeit

from coderlhf_tui.domain import Limits
from coderlhf_tui.runners.completion import heredoc_redirect, new_nonce, take_record
from coderlhf_tui.runners.docker_sandbox import Sandbox, connect
from coderlhf_tui.runners.languages.python import ENV, TAIL
from coderlhf_tui.runners.settings import DEFAULT_IMAGE, RunnerSettings

PROGRAM = (
    "def double(x):\n    return x * 2\n\n\n"
    "def check(candidate):\n    assert candidate(2) == 4\n\n\ncheck(double)\n"
)
STEP = f'cd /work && exec timeout -s KILL 10 sh -c "{ENV} python3 $0" < /dev/null'

DRIVER = """
import json, os, resource, statistics, subprocess, sys, time
pairs, peer, proof = int(sys.argv[1]), sys.argv[2], sys.argv[3]
seen = {"peer": [], "proof": []}
cpu = {"peer": 0.0, "proof": 0.0}
for n in range(pairs):
    for name, (script, program) in (("peer", (peer, "old.py")), ("proof", (proof, "new.py"))):
        nonce = "%032x" % n  # in place of the placeholder XNONCEX
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(["sh", "-c", script.replace("XNONCEX", nonce), program],
                              capture_output=True, text=True)
        seen[name].append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu[name] += (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        assert done.returncode == 0, done.stderr
        if name == "proof":
            assert ("coderlhf-done " + nonce) in done.stdout, done.stdout
print(json.dumps({name: {"median_s": statistics.median(times), "cpu_s": cpu[name] / pairs}
                  for name, times in seen.items()}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--image", default=DEFAULT_IMAGE)
    args = parser.parse_args()
    settings = RunnerSettings(image=args.image, pool_size=0)
    sandbox = Sandbox.start(connect(), settings.image, Limits(timeout_s=600.0))
    proof_script = heredoc_redirect("XNONCEX") + STEP
    try:
        sandbox.write_files(
            {
                "/work/old.py": PROGRAM,
                "/work/new.py": PROGRAM + TAIL,
                "/tmp/driver.py": DRIVER,
            }
        )
        argv = ["python3", "/tmp/driver.py", str(args.pairs), STEP, proof_script]
        result = sandbox.exec(argv, deadline_s=1200.0, cap=1_000_000)
    finally:
        sandbox.destroy()
    assert result.exit_code == 0, result.stderr[-2000:]
    inside = json.loads(result.stdout.strip().splitlines()[-1])
    nonce = new_nonce()
    output = "some test output\n" * 20 + f"\ncoderlhf-done {nonce}\n"
    calls = 20_000
    host_us = timeit.timeit(lambda: take_record(output, nonce), number=calls) / calls * 1e6
    peer, proof = inside["peer"], inside["proof"]
    summary = {
        "pairs": args.pairs,
        "peer_median_ms": round(peer["median_s"] * 1000, 2),
        "proof_median_ms": round(proof["median_s"] * 1000, 2),
        "wall_cost_ms": round((proof["median_s"] - peer["median_s"]) * 1000, 2),
        "wall_ratio": round(proof["median_s"] / peer["median_s"], 3),
        "peer_cpu_ms_per_run": round(peer["cpu_s"] * 1000, 2),
        "proof_cpu_ms_per_run": round(proof["cpu_s"] * 1000, 2),
        "cpu_cost_ms": round((proof["cpu_s"] - peer["cpu_s"]) * 1000, 2),
        "host_take_record_us": round(host_us, 2),
    }
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
