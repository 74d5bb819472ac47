"""Scanning tasks' responses with the store as a cache.

A response's scan result is keyed by a hash of (rule-pack version, language, code): the
store is asked first, and only the responses it has never seen (or has seen under another
pack version) go to semgrep, all in one batch. Every response's result is then recorded as
its latest, so the app, the exports and the audit read findings from the store.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from coderlhf_tui.domain import Finding, Language, ResponseKey, Task
from coderlhf_tui.scan.batch import ScanItem, scan_batch
from coderlhf_tui.scan.pack import EXTENSIONS, pack_version


class FindingsCache(Protocol):
    """The part of the store the scanner uses (coderlhf_tui.store.Store satisfies it)."""

    def cached_findings(self, scan_hash: str) -> list[Finding] | None: ...

    def save_findings(
        self, task_id: str, response_key: ResponseKey, scan_hash: str, findings: Sequence[Finding]
    ) -> None: ...


@dataclass(frozen=True, slots=True)
class ResponseScan:
    """The findings of one response of one task."""

    task_id: str
    response_key: ResponseKey
    response_id: str
    language: Language
    code: str
    scan_hash: str
    findings: list[Finding]
    cached: bool

    @property
    def uri(self) -> str:
        """The response's path in reports and SARIF: ``<task>/<response key>.<ext>``."""
        return f"{self.task_id}/{self.response_key}{EXTENSIONS[self.language]}"


def scan_hash(language: Language, code: str, version: str | None = None) -> str:
    """The cache key of one scan: sha256 of (pack version, language, code)."""
    payload = f"{version or pack_version()}\0{language.value}\0{code}".encode()
    return hashlib.sha256(payload).hexdigest()


def scan_tasks(
    tasks: Iterable[Task],
    cache: FindingsCache | None = None,
    *,
    jobs: int | None = None,
) -> list[ResponseScan]:
    """Scan every response of every task; cached results are reused, misses batched."""
    version = pack_version()
    pending: list[tuple[Task, ResponseKey, str, list[Finding] | None]] = []
    for task in tasks:
        for key in task.keys:
            digest = scan_hash(task.language, task.response(key).code, version)
            found = cache.cached_findings(digest) if cache is not None else None
            pending.append((task, key, digest, found))
    misses = {
        digest: ScanItem(digest, task.language, task.response(key).code)
        for task, key, digest, found in pending
        if found is None
    }
    fresh = scan_batch(list(misses.values()), jobs=jobs) if misses else {}
    out: list[ResponseScan] = []
    for task, key, digest, found in pending:
        findings = found if found is not None else fresh[digest]
        if cache is not None:
            cache.save_findings(task.id, key, digest, findings)
        response = task.response(key)
        out.append(
            ResponseScan(
                task_id=task.id,
                response_key=key,
                response_id=response.id,
                language=task.language,
                code=response.code,
                scan_hash=digest,
                findings=findings,
                cached=found is not None,
            )
        )
    return out
