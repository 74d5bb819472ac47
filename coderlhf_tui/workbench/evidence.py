"""The automatic evidence beside a pair: stored test runs and findings, and the services
that produce new ones.

The pair screen reads what the store already holds (``load_evidence``) and asks an
``EvidenceService`` for fresh runs on a keypress. The service is an interface so the app
does not care whether the runner and scanner are in this build: ``LiveEvidence`` looks
them up when first used and says plainly when one is missing.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Protocol

from coderlhf_tui.domain import RESPONSE_KEYS, Finding, ResponseKey, Task, TestRun
from coderlhf_tui.store import Store


class EvidenceUnavailable(RuntimeError):
    """A service the keypress needs is not installed or cannot start; the message says why."""


@dataclass(slots=True)
class PairEvidence:
    """What the store knows about one task's two responses."""

    runs: dict[ResponseKey, TestRun | None] = field(default_factory=dict)
    findings: dict[ResponseKey, list[Finding]] = field(default_factory=dict)
    scanned: dict[ResponseKey, bool] = field(default_factory=dict)


def load_evidence(store: Store, task_id: str) -> PairEvidence:
    """The latest stored test runs and findings of both responses."""
    evidence = PairEvidence()
    for key in RESPONSE_KEYS:
        evidence.runs[key] = store.latest_test_run(task_id, key)
        evidence.findings[key] = store.latest_findings(task_id, key)
        evidence.scanned[key] = store.is_scanned(task_id, key)
    return evidence


class EvidenceService(Protocol):
    """Produces fresh evidence and stores it; called from worker threads."""

    def run_tests(self, task: Task, key: ResponseKey) -> TestRun:
        """Run one response's tests in the sandbox, store and return the run."""
        ...

    def scan(self, task: Task) -> dict[ResponseKey, list[Finding]]:
        """Scan both responses, store and return their findings."""
        ...

    def close(self) -> None:
        """Release pooled resources (containers)."""
        ...


class LiveEvidence:
    """The real runner (``runners.service.RunnerService``) and scanner (``scan.batch``).

    The runner is created on the first keypress that needs it (so opening the app never
    waits for Docker) and reused, with its warm pool, for the rest of the session.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._runner: Any = None
        self._lock = threading.Lock()

    def _service(self) -> Any:
        with self._lock:
            if self._runner is None:
                try:
                    from coderlhf_tui.runners.docker_sandbox import SandboxError
                    from coderlhf_tui.runners.service import RunnerService
                except ImportError as exc:
                    raise EvidenceUnavailable(
                        f"the test runner is not in this build ({exc})"
                    ) from exc
                try:
                    self._runner = RunnerService(self.store)
                except SandboxError as exc:
                    raise EvidenceUnavailable(str(exc)) from exc
            return self._runner

    def run_tests(self, task: Task, key: ResponseKey) -> TestRun:
        from coderlhf_tui.runners.docker_sandbox import SandboxError

        service = self._service()
        try:
            run: TestRun = service.run(task, key)
        except SandboxError as exc:
            raise EvidenceUnavailable(str(exc)) from exc
        return run

    def scan(self, task: Task) -> dict[ResponseKey, list[Finding]]:
        """Through the scanner's own ``scan_tasks`` with the store as its cache, so the app,
        ``coderlhf scan`` and the audit share one cache key and reuse each other's scans."""
        try:
            from coderlhf_tui.scan.semgrep import SemgrepError, semgrep_binary
            from coderlhf_tui.scan.service import scan_tasks
        except ImportError as exc:
            raise EvidenceUnavailable(f"the security scanner is not in this build ({exc})") from exc
        if semgrep_binary() is None:
            raise EvidenceUnavailable("semgrep is not installed (pip install semgrep)")
        try:
            scans = scan_tasks([task], self.store)
        except SemgrepError as exc:
            raise EvidenceUnavailable(f"semgrep failed: {exc}") from exc
        return {scan.response_key: scan.findings for scan in scans}

    def close(self) -> None:
        with self._lock:
            if self._runner is not None:
                self._runner.close()
                self._runner = None
