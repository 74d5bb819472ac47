"""The Docker backend: a Plan's steps, in order, in one fresh hardened container.

The container comes from the warm pool when there is one (a keypress then pays no container
start) or is started cold; either way it serves this one run and is destroyed afterwards,
whatever happens (an exception, Ctrl-C: ``interrupt`` kills every container in use).

Time: run steps share ``limits.timeout_s``; each compile step gets ``compile_timeout_s``.
Memory: the container's memory cgroup gives the peak and the OOM-kill count (read from the
host where the engine is local). Output: stdout + stderr of one step are capped at
``limits.output_bytes`` while they stream.
"""

from __future__ import annotations

import threading
from collections import deque
from typing import Any

import docker.errors

from coderlhf_tui.domain import Limits
from coderlhf_tui.runners.completion import new_nonce
from coderlhf_tui.runners.docker_batch import BatchWorker
from coderlhf_tui.runners.docker_sandbox import (
    WORKDIR,
    Sandbox,
    SandboxError,
    connect,
    reap_orphans,
    require_image,
    safe_relative_path,
)
from coderlhf_tui.runners.pool import WarmPool
from coderlhf_tui.runners.recipe import Plan, Step, StepResult
from coderlhf_tui.runners.settings import RunnerSettings
from coderlhf_tui.runners.step_loop import run_steps
from coderlhf_tui.runners.step_results import step_result


class DockerBackend:
    """Runs plans in hardened single-use containers (isolation ``docker``)."""

    isolation = "docker"

    def __init__(
        self, settings: RunnerSettings, *, client: Any = None, pooled: bool = True
    ) -> None:
        self.settings = settings
        self.client = client if client is not None else connect(settings.jobs + 8)
        reap_orphans(self.client)
        self.pool: WarmPool | None = (
            WarmPool(self.client, settings.pool_size) if pooled and settings.pool_size > 0 else None
        )
        self._in_use: set[Sandbox] = set()
        self._lock = threading.Lock()
        self._interrupted = threading.Event()
        self.history: deque[str] = deque(maxlen=1000)
        """Ids of the containers recent runs used (all removed): for diagnostics and tests."""
        self._digests: dict[str, str] = {}
        """Each image tag's engine id, as last looked up (TestRun.image_digest)."""

    def check(self, image: str) -> None:
        """SandboxUnavailable (with what to run) when the image is missing."""
        require_image(self.client, image)
        self._digests.pop(image, None)  # a rebuilt image under the same tag is seen again

    def image_digest(self, image: str) -> str:
        """The engine's id of ``image`` (looked up once per check, not once per run)."""
        digest = self._digests.get(image)
        if digest is None:
            try:
                digest = str(self.client.images.get(image).id)
            except docker.errors.DockerException:
                digest = ""  # the run itself says what went wrong with the image
            self._digests[image] = digest
        return digest

    def warm(self, image: str, limits: Limits) -> None:
        """Start filling the pool for (image, limits) ahead of the first keypress."""
        if self.pool is not None:
            self.pool.warm(image, limits)

    def execute(self, plan: Plan, limits: Limits, image: str) -> list[StepResult]:
        """Write the plan's files and run its steps in one fresh container."""
        sandbox = self.acquire(image, limits)
        try:
            return self._run(sandbox, plan, limits)
        finally:
            self.release(sandbox)

    def batch_worker(self) -> BatchWorker:
        """A worker that runs many plans in one container after another (``coderlhf test``);
        each thread of a batch holds its own and closes it at the end."""
        return BatchWorker(self)

    @property
    def interrupted(self) -> bool:
        """``interrupt`` was called: no new run starts."""
        return self._interrupted.is_set()

    def interrupt(self) -> None:
        """Kill every container in use now and refuse new runs (Ctrl-C in a batch)."""
        self._interrupted.set()
        with self._lock:
            busy = list(self._in_use)
        for sandbox in busy:
            sandbox.kill()

    def close(self) -> None:
        """Remove pooled containers; runs in progress keep theirs until they end."""
        if self.pool is not None:
            self.pool.close()

    # ------------------------------------------------------------------------------------

    def acquire(self, image: str, limits: Limits) -> Sandbox:
        """A fresh container for (image, limits), from the pool when one is warm; counted as in
        use (``interrupt`` kills it) until ``release``."""
        if self._interrupted.is_set():
            raise SandboxError("interrupted")
        if self.pool is not None:
            sandbox = self.pool.acquire(image, limits)
        else:
            sandbox = Sandbox.start(self.client, image, limits)
        with self._lock:
            self._in_use.add(sandbox)
            self.history.append(sandbox.id)
        if self._interrupted.is_set():  # interrupted while this one was starting
            sandbox.kill()
        return sandbox

    def release(self, sandbox: Sandbox) -> None:
        """The sandbox's run(s) are over: destroy it (the pool starts a replacement)."""
        with self._lock:
            self._in_use.discard(sandbox)
        if self.pool is not None:
            self.pool.discard(sandbox)
        else:
            sandbox.destroy()

    def _run(self, sandbox: Sandbox, plan: Plan, limits: Limits) -> list[StepResult]:
        files = {f"{WORKDIR}/{safe_relative_path(name)}": text for name, text in plan.files.items()}
        stdin_paths: dict[int, str] = {}
        for index, step in enumerate(plan.steps):
            if step.stdin is not None:
                stdin_paths[index] = f"/tmp/.stdin/{index}"
                files[stdin_paths[index]] = step.stdin
        batches = sandbox.file_batches(files)
        for batch in batches[:-1]:
            sandbox.write_batch(batch)
        pending: list[str] | None = batches[-1]  # written by the first step's own exec
        _, kills_before = sandbox.memory()

        def run_one(index: int, step: Step, budget: float) -> StepResult:
            nonlocal pending, kills_before
            if index:
                sandbox.clear_processes()  # nothing a step left running reaches the next
            nonce = new_nonce() if step.proof else None
            raw = sandbox.run_step(
                step.command,
                stdin_paths.get(index),
                budget,
                limits.output_bytes,
                pending,
                proof_nonce=nonce,
            )
            pending = None
            peak, kills = sandbox.memory()
            oom = _grew(kills_before, kills)
            kills_before = kills
            result = step_result(step, raw, budget, oom=oom, peak=peak, nonce=nonce)
            if result.exit_code is None and not (result.timed_out or result.output_truncated):
                result = self._explain_vanished(sandbox, result)
            return result

        return run_steps(
            plan.steps,
            limits,
            self.settings.compile_timeout_s,
            run_one,
            interrupted=self._interrupted.is_set,
        )

    def _explain_vanished(self, sandbox: Sandbox, result: StepResult) -> StepResult:
        """A step without an exit code: the container died (OOM) or the engine failed."""
        state = sandbox.state()
        if state.get("OOMKilled"):
            result.oom_killed = True
            return result
        raise SandboxError(f"{result.step.name}: the container stopped unexpectedly ({state})")


def _grew(before: int | None, after: int | None) -> bool:
    return before is not None and after is not None and after > before
