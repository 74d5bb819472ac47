"""The runner service: run one response's tests (``run_response``) or many (``run_many``).

This is what the app and the CLI call. It joins the three pieces without knowing their
insides: the language recipe (files, commands, reading results), a Backend (an isolation
technology that runs a Plan under Limits) and the store (a run is cached under the content
hash of its inputs, so the same code, tests, image and limits never run twice).

Verdict order: NO_TESTS when there is nothing to run; INTERNAL_ERROR when the sandbox
failed (never served from the cache: safe to retry); TIME_LIMIT, MEMORY_LIMIT,
OUTPUT_LIMIT and COMPILE_ERROR decided from the step results alike for every language;
otherwise the recipe's ``interpret``, whose PASSED needs proof that the tests ran to their
end (else EXITED_EARLY; ``verdicts.require_proof``).

Backends set only PATH, HOME=/work, TMPDIR=/tmp, LANG and LC_ALL in the sandbox; a recipe
puts any language variable (GOCACHE, ...) in its commands. Steps run with /work as the
current directory, stdin closed unless the step gives one.

``run_response`` is thread-safe when the backend and store are (both shipped ones are).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from coderlhf_tui.domain import Limits, ResponseKey, Task, TestRun, Verdict
from coderlhf_tui.runners.errors import SandboxUnavailable
from coderlhf_tui.runners.hashing import run_hash
from coderlhf_tui.runners.languages import recipe_for
from coderlhf_tui.runners.recipe import NoTests, Outcome, Plan, Recipe, StepResult
from coderlhf_tui.runners.settings import RunnerSettings
from coderlhf_tui.runners.verdicts import build_test_run, decide
from coderlhf_tui.store import Store


class Backend(Protocol):
    """One isolation technology (Docker, bubblewrap)."""

    isolation: str

    def execute(self, plan: Plan, limits: Limits, image: str) -> list[StepResult]:
        """Run the plan's steps in order in ONE fresh sandbox, stopping after a failing
        compile step or a limit; raises SandboxError when the sandbox itself fails."""
        ...

    def check(self, image: str) -> None:
        """Raise SandboxUnavailable (saying what to run) when runs cannot start at all."""
        ...

    def image_digest(self, image: str) -> str:
        """The engine's id of the image a run used ('' where none applies): evidence names
        the exact toolchains that produced it, not only a tag that a rebuild reuses."""
        ...

    def interrupt(self) -> None:
        """Kill every sandbox in use now (Ctrl-C); their runs end without a stored result."""
        ...

    def close(self) -> None:
        """Release what the backend holds (pooled sandboxes)."""
        ...


class Worker(Protocol):
    """Runs chunks of plans one after another in one sandbox (docker_batch.BatchWorker)."""

    def run(
        self, plans: Sequence[tuple[int, Plan]], limits: Limits, image: str
    ) -> Generator[tuple[int, list[StepResult] | Exception, str]]:
        """Yields (index of a plan, its step results or why the sandbox failed, isolation)."""
        ...

    def close(self) -> None:
        """Release the worker's sandbox."""
        ...


@runtime_checkable
class BatchCapable(Protocol):
    """A backend that can run many plans in one sandbox, one after another (Docker)."""

    def batch_worker(self) -> Worker:
        """A worker for one thread of a batch; the thread closes it at the end."""
        ...


class Cancelled(Exception):
    """The run was interrupted; nothing was stored for it."""


__all__ = [
    "Backend",
    "BatchCapable",
    "Cancelled",
    "RunReport",
    "RunRequest",
    "Worker",
    "run_many",
    "run_response",
]


@dataclass(frozen=True, slots=True)
class RunRequest:
    """One response of one task, to be tested."""

    task: Task
    key: ResponseKey


@dataclass(frozen=True, slots=True)
class RunReport:
    """One finished response: its run, and whether it came from the cache."""

    task: Task
    key: ResponseKey
    run: TestRun
    cached: bool


ProgressCallback = Callable[[RunReport, int, int], None]
"""Called as each response finishes: (report, done so far, total)."""


def run_response(
    task: Task,
    key: ResponseKey,
    *,
    backend: Backend,
    settings: RunnerSettings,
    store: Store | None = None,
    force: bool = False,
    cancel: threading.Event | None = None,
) -> TestRun:
    """Run one response's tests (or answer from the store) and store the result."""
    return run_response_report(
        task, key, backend=backend, settings=settings, store=store, force=force, cancel=cancel
    ).run


def run_response_report(
    task: Task,
    key: ResponseKey,
    *,
    backend: Backend,
    settings: RunnerSettings,
    store: Store | None = None,
    force: bool = False,
    cancel: threading.Event | None = None,
) -> RunReport:
    """``run_response``, also saying whether the answer came from the cache."""
    prepared = prepare_run(task, key, backend=backend, settings=settings, store=store, force=force)
    if isinstance(prepared, RunReport):
        return prepared
    if cancel is not None and cancel.is_set():
        raise Cancelled(task.id)
    started = time.monotonic()
    try:
        results: list[StepResult] | Exception = backend.execute(
            prepared.plan, prepared.limits, prepared.image
        )
    except SandboxUnavailable:
        raise  # no run can start: the caller says what to run, nothing is stored
    except Exception as exc:  # the sandbox failed, not the response: say so, keep going
        if cancel is not None and cancel.is_set():
            raise Cancelled(task.id) from exc
        results = exc
    if cancel is not None and cancel.is_set():
        raise Cancelled(task.id)
    elapsed = time.monotonic() - started
    digest = backend.image_digest(prepared.image)
    return finish_run(
        prepared, results, elapsed, isolation=backend.isolation, image_digest=digest, store=store
    )


@dataclass(frozen=True, slots=True)
class PreparedRun:
    """A response whose plan must really run (not cached, not NO_TESTS)."""

    task: Task
    key: ResponseKey
    plan: Plan
    recipe: Recipe
    limits: Limits
    image: str
    content_hash: str
    stored_output_chars: int


def prepare_run(
    task: Task,
    key: ResponseKey,
    *,
    backend: Backend,
    settings: RunnerSettings,
    store: Store | None = None,
    force: bool = False,
) -> RunReport | PreparedRun:
    """The report at once when no sandbox is needed (cached, NO_TESTS, unplannable),
    else what the sandbox must run."""
    response = task.response(key)
    limits = settings.limits_for(task)
    image = settings.image_for(task.language)
    extra = {"compile_timeout_s": settings.compile_timeout_s}

    def hash_of(plan: Plan | None) -> str:
        return run_hash(
            language=task.language,
            code=response.code,
            tests=task.tests,
            plan=plan,
            image=image,
            limits=limits,
            isolation=backend.isolation,
            extra=extra,
        )

    def at_once(outcome: Outcome, content_hash: str) -> RunReport:
        run = build_test_run(
            outcome,
            [],
            content_hash=content_hash,
            image=image,
            limits=limits,
            isolation=backend.isolation,
            stored_output_chars=settings.stored_output_chars,
        )
        return RunReport(task, key, _save(store, task, key, run), cached=False)

    try:
        recipe = recipe_for(task.language)
        plan = recipe.plan(task, response)
    except NoTests as exc:
        return at_once(Outcome(Verdict.NO_TESTS, detail=str(exc)), hash_of(None))
    except ValueError as exc:
        return at_once(Outcome(Verdict.INTERNAL_ERROR, detail=str(exc)), hash_of(None))
    content_hash = hash_of(plan)
    if store is not None and not force:
        cached = store.cached_test_run(content_hash)
        if cached is not None and cached.verdict is not Verdict.INTERNAL_ERROR:
            latest = store.latest_test_run(task.id, key)
            if latest is None or latest.content_hash != content_hash:
                store.save_test_run(task.id, key, cached)
            return RunReport(task, key, cached, cached=True)
    return PreparedRun(
        task,
        key,
        plan,
        recipe,
        limits,
        image,
        content_hash,
        settings.stored_output_chars,
    )


def finish_run(
    prepared: PreparedRun,
    results: Sequence[StepResult] | Exception,
    elapsed_s: float,
    *,
    isolation: str,
    image_digest: str = "",
    store: Store | None = None,
) -> RunReport:
    """The verdict from a sandbox's step results (or its failure: INTERNAL_ERROR), stored."""
    if isinstance(results, Exception):
        detail = f"sandbox failed: {type(results).__name__}: {results}"
        outcome, steps = Outcome(Verdict.INTERNAL_ERROR, detail=detail), []
    else:
        steps = list(results)
        outcome = decide(prepared.recipe, prepared.task, steps, prepared.limits)
    run = build_test_run(
        outcome,
        steps,
        content_hash=prepared.content_hash,
        image=prepared.image,
        limits=prepared.limits,
        isolation=isolation,
        stored_output_chars=prepared.stored_output_chars,
    )
    if isinstance(results, Exception):
        run.duration_s = round(elapsed_s, 4)
    run.image_digest = image_digest
    task, key = prepared.task, prepared.key
    return RunReport(task, key, _save(store, task, key, run), cached=False)


def _save(store: Store | None, task: Task, key: ResponseKey, run: TestRun) -> TestRun:
    if store is not None:
        store.save_test_run(task.id, key, run)
    return run


def run_many(
    requests: Sequence[RunRequest],
    *,
    backend: Backend,
    settings: RunnerSettings,
    store: Store | None = None,
    jobs: int | None = None,
    force: bool = False,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> list[RunReport]:
    """Run many responses' tests in parallel; reports come back in the order they finish.

    On a backend with worker containers (Docker) and ``settings.reuse_containers``, runs go
    in chunks through ``batch.run_many_batched``; otherwise each run gets its own sandbox.

    Interrupt-safe: on KeyboardInterrupt (or ``cancel`` set) no new run starts, the sandboxes
    in use are killed, the workers are waited for (so every container is removed) and the
    KeyboardInterrupt is raised again; runs finished before that are already stored.
    """
    cancel = cancel or threading.Event()
    jobs = max(1, jobs or settings.jobs)
    if settings.reuse_containers and isinstance(backend, BatchCapable):
        from coderlhf_tui.runners.batch import run_many_batched  # it builds on this module

        return run_many_batched(
            requests,
            backend=backend,
            make_worker=backend.batch_worker,
            settings=settings,
            store=store,
            jobs=jobs,
            force=force,
            progress=progress,
            cancel=cancel,
        )
    reports: list[RunReport] = []
    total = len(requests)
    pending = iter(requests)
    executor = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="coderlhf-run")
    in_flight: set[Future[RunReport]] = set()

    def submit_next() -> bool:
        request = next(pending, None)
        if request is None or cancel.is_set():
            return False
        in_flight.add(
            executor.submit(
                run_response_report,
                request.task,
                request.key,
                backend=backend,
                settings=settings,
                store=store,
                force=force,
                cancel=cancel,
            )
        )
        return True

    try:
        for _ in range(jobs * 2):
            if not submit_next():
                break
        while in_flight:
            done, _ = wait(in_flight, timeout=0.5, return_when=FIRST_COMPLETED)
            for future in done:
                in_flight.discard(future)
                try:
                    report = future.result()
                except Cancelled:
                    continue
                reports.append(report)
                if progress is not None:
                    progress(report, len(reports), total)
                submit_next()
            if cancel.is_set() and not in_flight:
                break
    except BaseException:
        cancel.set()
        backend.interrupt()
        executor.shutdown(wait=True, cancel_futures=True)
        raise
    executor.shutdown(wait=True)
    return reports
