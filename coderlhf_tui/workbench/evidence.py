"""The automatic evidence beside a pair: stored test runs and findings, and the services
that produce new ones.

The pair screen reads what the store already holds (``load_evidence``) and asks an
``EvidenceService`` for fresh runs on a keypress. The service is an interface so the app
does not care whether the runner and scanner are in this build: ``LiveEvidence`` looks
them up when first used and says plainly when one is missing.
"""

from __future__ import annotations

import importlib
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
    """The real runner and scanner, imported on first use."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._runner: Any = None

    def _module(self, name: str, what: str) -> Any:
        try:
            return importlib.import_module(name)
        except ImportError as exc:
            raise EvidenceUnavailable(f"{what} is not available in this build ({exc})") from exc

    def run_tests(self, task: Task, key: ResponseKey) -> TestRun:
        module = self._module("coderlhf_tui.runners.service", "the test runner")
        run_response = getattr(module, "run_response", None)
        if run_response is None:
            raise EvidenceUnavailable("the test runner has no run_response yet")
        run: TestRun = run_response(task, key, store=self.store)
        return run

    def scan(self, task: Task) -> dict[ResponseKey, list[Finding]]:
        module = self._module("coderlhf_tui.scan.service", "the security scanner")
        scan_task = getattr(module, "scan_task", None)
        if scan_task is None:
            raise EvidenceUnavailable("the security scanner has no scan_task yet")
        result: dict[ResponseKey, list[Finding]] = scan_task(task, store=self.store)
        return result

    def close(self) -> None:
        return None
