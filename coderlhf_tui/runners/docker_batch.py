"""Batch mode of the Docker backend: many runs, one after another, in one worker container.

A fresh hardened container costs this engine 0.2-0.45 s of a 2-core machine, an exec
about 50 ms, and a typical unit test 30-100 ms: one container per run would spend most of
a batch starting and removing containers. So ``coderlhf test`` hands each of its threads
a worker: one hardened container (the same hardening and limits as a single run's) in
which ``worker_main`` runs a chunk of plans one after another, restoring fresh-container
state between runs (empty work dirs, no process of the sandbox user left, a non-dumpable
worker holding the later plans in memory only). See worker_main's docstring for the why.

The host side keeps the guarantees a single run has:

- Time: inside, the worker kills a step and everything it started when its budget is
  spent; outside, a watchdog gives each run its whole budget from the moment the run
  before it reported (the first: from the worker's start) and kills the container when it
  is over.
- A run that ends the chunk early (it killed or froze the worker: they share a uid) is run
  again alone, in a fresh container (``DockerBackend.execute``), and its verdict comes
  from there; the runs after it go to a new worker container.
- A run that hit a limit, or left anything behind, retires the container; a container also
  retires after ``RUNS_PER_CONTAINER`` runs. Retired containers are destroyed.
- Ctrl-C: ``DockerBackend.interrupt`` kills worker containers like any other in use.

Every result records the isolation ``docker-worker`` so a data card can tell the two
modes apart; the cache key is the same as a single run's (same image, limits, plan).
"""

from __future__ import annotations

import contextlib
import json
import secrets
import time
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coderlhf_tui.domain import Limits
from coderlhf_tui.runners.completion import STDIN_TO_PROOF_FD, new_nonce
from coderlhf_tui.runners.docker_sandbox import (
    USER,
    WORKDIR,
    ExecResult,
    Sandbox,
    SandboxError,
    safe_relative_path,
)
from coderlhf_tui.runners.recipe import Plan, Step, StepResult
from coderlhf_tui.runners.step_loop import run_steps
from coderlhf_tui.runners.step_results import step_result
from coderlhf_tui.runners.watched_exec import WatchedExec

if TYPE_CHECKING:
    from coderlhf_tui.runners.docker_backend import DockerBackend

WORKER_SOURCE = Path(__file__).with_name("worker_main.py").read_text(encoding="utf-8")
ISOLATION = "docker-worker"
RUNS_PER_CONTAINER = 1000
"""A clean worker container is still replaced after this many runs."""
STARTUP_S = 15.0
"""How long the worker may take to read its manifest and clean up before the first run."""
SLACK_S = 5.0
"""Per run, over its steps' budgets: writing its files, clean-up, a loaded machine."""

_WRITE_THEN_WORKER = (
    "src=$1 m=$2; shift 2; umask 022; while [ $# -gt 1 ]; do "
    'printf %s "$2" | base64 -d >> "$1" || { echo "cannot write the manifest" >&2; exit 125; }; '
    'shift 2; done; exec python3 -I -S -c "$src" "$m"'
)
"""Writes the manifest's last batch of base64 chunks, then becomes the worker: one exec per
chunk. The manifest only ever sits in this shell's argv and in a file the worker deletes
before any run starts, so no response sees a later run's plan."""

ChunkResult = tuple[int, list[StepResult] | Exception, str]
"""(the caller's index of a plan, its step results or why the sandbox failed, the
isolation that ran it: ``docker-worker``, or ``docker`` for a run re-run alone)."""


@dataclass(frozen=True, slots=True)
class _Job:
    index: int
    plan: Plan
    nonces: tuple[str | None, ...]
    """Per step: the completion record's nonce of a ``proof`` step (drawn here, on the host)."""

    @classmethod
    def of(cls, index: int, plan: Plan) -> _Job:
        return cls(index, plan, tuple(new_nonce() if s.proof else None for s in plan.steps))


class BatchWorker:
    """One thread's worker container; runs chunks of plans and replaces itself as needed.

    Not thread-safe: each batch thread holds its own. ``close`` destroys the container.
    """

    def __init__(self, backend: DockerBackend) -> None:
        self.backend = backend
        self.settings = backend.settings
        self._sandbox: Sandbox | None = None
        self._runs = 0

    def run(
        self, plans: Sequence[tuple[int, Plan]], limits: Limits, image: str
    ) -> Generator[ChunkResult]:
        """Run the plans (all under the same image and limits); yields results as they come,
        each index exactly once."""
        pending = [_Job.of(index, plan) for index, plan in plans]
        fruitless = 0
        while pending:
            done: set[int] = set()
            failure: Exception | None = None
            try:
                sandbox = self._container(image, limits)
                with contextlib.closing(self._chunk(sandbox, pending, limits)) as chunk:
                    for job, results in chunk:
                        done.add(job.index)
                        yield job.index, results, ISOLATION
            except GeneratorExit:  # the caller stopped early: the container was killed
                self._retire()
                raise
            except (_ChunkBroken, SandboxError) as exc:
                if self.backend.interrupted:
                    raise SandboxError("interrupted") from exc
                failure = exc
            self._runs += len(done)
            if failure is not None or self._runs >= RUNS_PER_CONTAINER:
                self._retire()
            suspect = failure.running if isinstance(failure, _ChunkBroken) else None
            if suspect is not None:
                done.add(suspect.index)
                alone = self._alone(suspect.plan, limits, image)
                yield suspect.index, alone, self.backend.isolation
            pending = [job for job in pending if job.index not in done]
            fruitless = 0 if done else fruitless + 1
            if pending and fruitless >= 2:  # twice in a row no run got through: give up
                error = SandboxError(f"the batch worker failed twice: {failure}")
                for job in pending:
                    yield job.index, error, ISOLATION
                return

    def close(self) -> None:
        """Destroy the worker container, if one is held."""
        self._retire()

    # ------------------------------------------------------------------------------------

    def _container(self, image: str, limits: Limits) -> Sandbox:
        held = self._sandbox
        if held is not None and (held.image, held.limits) == (image, limits):
            return held
        self._retire()
        self._sandbox = self.backend.acquire(image, limits)
        self._runs = 0
        return self._sandbox

    def _retire(self) -> None:
        if self._sandbox is not None:
            self.backend.release(self._sandbox)
            self._sandbox = None

    def _alone(self, plan: Plan, limits: Limits, image: str) -> list[StepResult] | Exception:
        """The run that broke a chunk, again in a fresh container of its own."""
        try:
            return self.backend.execute(plan, limits, image)
        except SandboxError as exc:
            return exc

    def _chunk(
        self, sandbox: Sandbox, jobs: Sequence[_Job], limits: Limits
    ) -> Generator[tuple[_Job, list[StepResult]]]:
        manifest_path = f"/tmp/.manifest-{secrets.token_hex(8)}.json"
        manifest = json.dumps(self._manifest(jobs, limits))
        batches = sandbox.file_batches({manifest_path: manifest})
        for batch in batches[:-1]:
            sandbox.write_batch(batch)
        cap = self._stream_cap(jobs, limits)
        stream = _WorkerStream(sandbox, manifest_path, batches[-1], cap=cap)
        # The worker runs the jobs in manifest order, so the one in progress is always the
        # first without a result (no "begin" message: half the lines through the engine).
        order = iter(jobs)
        running = next(order, None)
        if running is not None:
            stream.deadline += self._job_budget(running.plan, limits)
        finished = False
        try:
            for record in stream.records():
                if "steps" in record:
                    job = running
                    if job is None or record["id"] != job.index:
                        raise ValueError(f"result for run {record['id']} out of order")
                    running = next(order, None)
                    if running is not None:
                        stream.deadline = time.monotonic() + self._job_budget(running.plan, limits)
                    yield job, self._step_results(job, record["steps"], limits)
                elif "retire" in record:
                    running = None  # said between runs: none is in progress
                    raise _ChunkBroken(None, f"worker retired: {record['retire']}")
                elif record.get("done"):
                    finished = True
                    return
            raise _ChunkBroken(running, f"the worker stopped early {stream.diagnostics()}")
        except _ChunkBroken as broken:
            raise _ChunkBroken(running, str(broken)) from broken
        except (KeyError, TypeError, ValueError) as exc:
            raise _ChunkBroken(running, f"unreadable worker output: {exc}") from exc
        finally:
            if not finished:
                sandbox.kill()  # broken, or the caller stopped reading: end it now
            stream.close()

    def _manifest(self, jobs: Sequence[_Job], limits: Limits) -> dict[str, Any]:
        entries = []
        for job in jobs:
            files = {
                f"{WORKDIR}/{safe_relative_path(name)}": text
                for name, text in job.plan.files.items()
            }
            steps = []
            for number, step in enumerate(job.plan.steps):
                entry: dict[str, Any] = {"command": step.command, "kind": step.kind}
                nonce = job.nonces[number]
                if nonce is not None:  # the worker hands it over as stdin, moved to fd 9
                    entry["command"] = STDIN_TO_PROOF_FD + step.command
                    entry["nonce"] = nonce
                if step.stdin is not None:
                    entry["stdin_path"] = f"/tmp/.stdin/{number}"
                    files[entry["stdin_path"]] = step.stdin
                steps.append(entry)
            entries.append({"id": job.index, "files": files, "steps": steps})
        budgets = {
            "timeout_s": limits.timeout_s,
            "compile_timeout_s": self.settings.compile_timeout_s,
            "cap": limits.output_bytes,
        }
        return {"jobs": entries, "limits": budgets}

    def _job_budget(self, plan: Plan, limits: Limits) -> float:
        total = SLACK_S
        for step in plan.steps:
            budget = self.settings.compile_timeout_s if step.kind == "compile" else limits.timeout_s
            total += budget * 1.1 + 1.0
        return total

    @staticmethod
    def _stream_cap(jobs: Sequence[_Job], limits: Limits) -> int:
        """JSON may escape each output byte into six characters; two streams per step."""
        steps = sum(len(job.plan.steps) for job in jobs)
        return 12 * limits.output_bytes * max(steps, 1) + (1 << 20)

    def _step_results(
        self, job: _Job, raw_steps: list[dict[str, Any]], limits: Limits
    ) -> list[StepResult]:
        """The worker's report of a run's steps, read under the same budgets and stopping
        rules the worker applied (``step_loop``)."""

        def reported(index: int, step: Step, budget: float) -> StepResult | None:
            if index >= len(raw_steps):
                return None
            raw = raw_steps[index]
            if raw.get("skipped"):
                return StepResult(step, None, timed_out=True)
            observed = ExecResult(
                exit_code=raw["exit_code"],
                stdout=raw["stdout"],
                stderr=raw["stderr"],
                duration_s=float(raw["duration_s"]),
                killed=bool(raw["killed"]),
                output_truncated=bool(raw["truncated"]),
            )
            peak = raw.get("peak_mb")
            peak_mb = peak and float(peak)
            oom, nonce = bool(raw["oom"]), job.nonces[index]
            return step_result(step, observed, budget, oom=oom, peak=peak_mb, nonce=nonce)

        return run_steps(job.plan.steps, limits, self.settings.compile_timeout_s, reported)


class _ChunkBroken(Exception):
    """The chunk ended early; ``running`` is the run in progress at that moment, if any."""

    def __init__(self, running: _Job | None, why: str) -> None:
        super().__init__(why)
        self.running = running


class _WorkerStream:
    """The worker's stdout as JSON records, under the exec's watchdog: it kills the container
    when ``deadline`` passes (each result moves it to the next run's); the output is capped
    at ``cap``."""

    def __init__(self, sandbox: Sandbox, manifest_path: str, files: list[str], cap: int) -> None:
        self.cap = cap
        self.stderr = bytearray()
        argv = ["sh", "-c", _WRITE_THEN_WORKER, "worker", WORKER_SOURCE, manifest_path, *files]
        deadline = time.monotonic() + STARTUP_S
        try:
            self._exec = WatchedExec(sandbox, argv, deadline, user=USER, workdir="/")
        except SandboxError as exc:
            raise SandboxError(f"cannot start the batch worker: {exc}") from exc

    @property
    def deadline(self) -> float:
        return self._exec.deadline

    @deadline.setter
    def deadline(self, value: float) -> None:
        self._exec.deadline = value

    def records(self) -> Iterator[dict[str, Any]]:
        buffer = bytearray()
        size = 0
        try:
            for chunk_out, chunk_err in self._exec.chunks():
                if chunk_err and len(self.stderr) < 8192:
                    self.stderr += chunk_err
                if not chunk_out:
                    continue
                size += len(chunk_out)
                if size > self.cap:
                    self._exec.kill()
                    raise _ChunkBroken(None, "the worker's output passed its cap")
                buffer += chunk_out
                while b"\n" in buffer:
                    line, _, rest = bytes(buffer).partition(b"\n")
                    buffer = bytearray(rest)
                    if line.strip():
                        record = json.loads(line)
                        if not isinstance(record, dict):
                            raise ValueError("a record is not an object")
                        yield record
        except (_ChunkBroken, KeyError, TypeError, ValueError):
            raise
        except Exception as exc:  # the stream breaks when the container is killed under it
            raise _ChunkBroken(None, f"the worker's stream broke: {exc}") from exc

    def diagnostics(self) -> str:
        """The worker's own stderr (a traceback, if it failed), shortened."""
        text = bytes(self.stderr).decode("utf-8", "replace").strip()
        return f"({text[-300:]})" if text else ""

    def close(self) -> None:
        """Read what is left of the stream (the worker is exiting), then stop the watchdog."""
        self._exec.stop(drain_s=5.0)
