"""Test runs and security findings beside a pair: what the store holds, and the service that
makes fresh ones on a keypress.

The pair screen reads the stored runs and findings (``load_runs_and_findings``) and asks a
``CheckService`` for fresh ones when the annotator presses ``t`` or ``x``. The service is
a protocol so tests and other front ends can pass their own; ``LiveChecks`` is the real
runner and scanner. It imports them on first use, not at start-up: the runner brings the
Docker SDK, which the queue does not need and the first frame should not wait for.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from coderlhf_tui.domain import RESPONSE_KEYS, Finding, ResponseKey, Task, TestRun
from coderlhf_tui.store import Store

if TYPE_CHECKING:
    from coderlhf_tui.runners.service import RunnerService


class CheckUnavailable(RuntimeError):
    """The sandbox or the scanner cannot run here; the message says why, for the annotator."""


@dataclass(slots=True)
class PairEvidence:
    """What the store knows about one task's two responses."""

    runs: dict[ResponseKey, TestRun | None] = field(default_factory=dict)
    findings: dict[ResponseKey, list[Finding]] = field(default_factory=dict)
    scanned: dict[ResponseKey, bool] = field(default_factory=dict)


def load_runs_and_findings(
    store: Store, task_id: str, keys: Sequence[ResponseKey] = RESPONSE_KEYS
) -> PairEvidence:
    """The latest stored test runs and findings of both responses (or of ``keys``: every
    response of a ranked task)."""
    evidence = PairEvidence()
    for key in keys:
        evidence.runs[key] = store.latest_test_run(task_id, key)
        evidence.findings[key] = store.latest_findings(task_id, key)
        evidence.scanned[key] = store.is_scanned(task_id, key)
    return evidence


class CheckService(Protocol):
    """Produces fresh test runs and findings and stores them; called from worker threads."""

    def run_tests(self, task: Task, key: ResponseKey) -> TestRun:
        """Run one response's tests in the sandbox, store and return the run."""
        ...

    def scan(self, task: Task) -> dict[ResponseKey, list[Finding]]:
        """Scan both responses, store and return their findings."""
        ...

    def close(self) -> None:
        """Release pooled resources (containers)."""
        ...


class LiveChecks:
    """The real runner (``runners.service.RunnerService``) and scanner (``scan.service``).

    Each works on a store connection of its own, opened in the worker thread that uses it,
    so saving a run or a scan waits for the workspace's write lock there and never on the
    UI thread's connection. The runner is created on the first keypress that needs it (so
    opening the app never waits for Docker) and reused, with its warm pool, for the rest
    of the session.
    """

    def __init__(self, store: Store) -> None:
        self.db_path = store.path
        self._runner: RunnerService | None = None
        self._runner_store: Store | None = None
        self._lock = threading.Lock()

    def _service(self) -> RunnerService:
        from coderlhf_tui.runners.docker_sandbox import SandboxError
        from coderlhf_tui.runners.service import RunnerService

        with self._lock:
            if self._runner is None:
                store = Store.open(self.db_path)
                try:
                    self._runner = RunnerService(store)
                except SandboxError as exc:
                    store.close()
                    raise CheckUnavailable(str(exc)) from exc
                self._runner_store = store
            return self._runner

    def run_tests(self, task: Task, key: ResponseKey) -> TestRun:
        from coderlhf_tui.runners.docker_sandbox import SandboxError

        service = self._service()
        try:
            return service.run(task, key)
        except SandboxError as exc:
            raise CheckUnavailable(str(exc)) from exc

    def scan(self, task: Task) -> dict[ResponseKey, list[Finding]]:
        """Through the scanner's own ``scan_tasks`` with the store as its cache, so the app,
        ``coderlhf scan`` and the audit share one cache key and reuse each other's scans."""
        from coderlhf_tui.scan.semgrep import SemgrepError, semgrep_binary
        from coderlhf_tui.scan.service import scan_tasks

        if semgrep_binary() is None:
            raise CheckUnavailable("semgrep is not installed (pip install semgrep)")
        with Store.open(self.db_path) as store:
            try:
                scans = scan_tasks([task], store)
            except SemgrepError as exc:
                raise CheckUnavailable(f"semgrep failed: {exc}") from exc
        return {scan.response_key: scan.findings for scan in scans}

    def close(self) -> None:
        with self._lock:
            if self._runner is not None:
                self._runner.close()
                self._runner = None
            if self._runner_store is not None:
                self._runner_store.close()
                self._runner_store = None
