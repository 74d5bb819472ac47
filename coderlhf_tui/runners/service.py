"""RunnerService: one object the app and the CLI hold to run tests.

It owns the settings, the backend (Docker with its warm pool, or bubblewrap) and the store,
so a screen can call ``service.run(task, "a")`` from a worker thread on a keypress and get a
TestRun back, cached or fresh. ``close`` removes the pooled containers.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from coderlhf_tui.domain import Language, ResponseKey, Task, TestRun
from coderlhf_tui.runners.base import (
    Backend,
    ProgressCallback,
    RunReport,
    RunRequest,
    run_many,
    run_response,
)
from coderlhf_tui.runners.settings import RunnerSettings, load_settings
from coderlhf_tui.store import Store


def make_backend(
    settings: RunnerSettings, kind: str | None = None, *, pooled: bool = True
) -> Backend:
    """The configured backend (``docker`` or ``bwrap``); SandboxUnavailable when it cannot run."""
    kind = kind or settings.backend
    if kind == "bwrap":
        from coderlhf_tui.runners.bwrap_backend import BwrapBackend

        return BwrapBackend(settings)
    if kind == "docker":
        from coderlhf_tui.runners.docker_backend import DockerBackend

        return DockerBackend(settings, pooled=pooled)
    raise ValueError(f"unknown runner {kind!r}: docker or bwrap")


class RunnerService:
    """Settings + backend + store, shared by the app's workers (thread-safe)."""

    def __init__(
        self,
        store: Store | None = None,
        *,
        settings: RunnerSettings | None = None,
        backend: Backend | None = None,
        kind: str | None = None,
        warm: bool = True,
    ) -> None:
        self.settings = settings or load_settings()
        self.backend = backend or make_backend(self.settings, kind)
        self.store = store
        self._closed = threading.Event()
        if warm:
            self.warm()

    def warm(self, languages: Sequence[Language] = tuple(Language)) -> None:
        """Start filling the pool for these languages' images with the default limits, in
        the background (a no-op for bwrap): the first keypress then pays no start."""
        warm = getattr(self.backend, "warm", None)
        if warm is None:
            return
        for image in sorted({self.settings.image_for(language) for language in languages}):
            warm(image, self.settings.limits)

    def run(self, task: Task, key: ResponseKey, *, force: bool = False) -> TestRun:
        """Run (or answer from the store) one response's tests."""
        return run_response(
            task, key, backend=self.backend, settings=self.settings, store=self.store, force=force
        )

    def run_many(
        self,
        requests: Sequence[RunRequest],
        *,
        jobs: int | None = None,
        force: bool = False,
        progress: ProgressCallback | None = None,
    ) -> list[RunReport]:
        """Run many responses in parallel (see ``base.run_many``)."""
        return run_many(
            requests,
            backend=self.backend,
            settings=self.settings,
            store=self.store,
            jobs=jobs,
            force=force,
            progress=progress,
        )

    def close(self) -> None:
        """Remove pooled sandboxes. Idempotent."""
        if not self._closed.is_set():
            self._closed.set()
            self.backend.close()

    def __enter__(self) -> RunnerService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
