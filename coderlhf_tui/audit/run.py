"""The audit, step by step: import, tests, scan, signals, report.

Each step reads what the store already has: imported tasks are not imported again, test
runs and scans are cached by content hash, so after an interruption (Ctrl-C, a lost SSH
session) the same command picks up where it stopped.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from coderlhf_tui.audit.pair_signals import signals_for_task, signals_record, styles_for
from coderlhf_tui.audit.progress import Progress
from coderlhf_tui.audit.report import build_report, write_reports
from coderlhf_tui.domain import Finding, Limits, ResponseKey, Task, TestRun
from coderlhf_tui.ingest import load_task_file
from coderlhf_tui.scan.service import ResponseScan, scan_tasks
from coderlhf_tui.scan.signals.weights import SignalWeights
from coderlhf_tui.store import Store

SCAN_CHUNK = 500
"""Responses per semgrep call: big enough to amortise start-up, small enough that an
interrupted audit loses little scanning."""


class AuditError(Exception):
    """The audit cannot start (bad task file); the message says why."""


@dataclass(frozen=True, slots=True)
class AuditOptions:
    """How to run the audit."""

    out_dir: Path
    run_tests: bool = True
    runner: str | None = None
    jobs: int | None = None
    weights: SignalWeights = field(default_factory=SignalWeights)
    scale: tuple[int, int] = (1, 5)
    cluster: Any = None
    """A cluster.dispatch.ClusterOptions: tests and scans on a Dask cluster (None: here)."""
    quiet: bool = False
    """No progress display (--json)."""


@dataclass(slots=True)
class AuditResult:
    """What the audit produced."""

    report: dict[str, Any]
    files: list[Path]
    notes: list[str]


def load_tasks(store: Store, path: Path) -> tuple[list[Task], int]:
    """Validate the file and store the tasks not in the workspace yet."""
    tasks, errors = load_task_file(path)
    if errors:
        shown = "\n".join(str(e) for e in errors[:20])
        raise AuditError(f"{path}: {len(errors)} invalid record(s):\n{shown}")
    existing = store.existing_task_ids(t.id for t in tasks)
    new = [t for t in tasks if t.id not in existing]
    if new:
        store.insert_tasks(new)
    return tasks, len(new)


def _run_tests(
    store: Store, tasks: list[Task], options: AuditOptions, stream: TextIO, notes: list[str]
) -> tuple[dict[tuple[str, ResponseKey], TestRun | None], Any]:
    """Run (or read cached) tests; returns the runs and the backend for sandboxed style."""
    from coderlhf_tui.audit.plan import audit_requests
    from coderlhf_tui.runners.base import RunReport
    from coderlhf_tui.runners.errors import SandboxUnavailable
    from coderlhf_tui.runners.service import RunnerService, make_backend
    from coderlhf_tui.runners.settings import load_settings

    settings = load_settings()
    try:
        backend = make_backend(settings, options.runner, pooled=True)
        for image in sorted({settings.image_for(t.language) for t in tasks}):
            backend.check(image)
    except SandboxUnavailable as exc:
        notes.append(f"tests not run: {exc}")
        return {}, None
    service = RunnerService(store, settings=settings, backend=backend)
    requests = audit_requests(tasks)
    bar = Progress(stream, "tests", len(requests))

    def tick(report: RunReport, done: int, total: int) -> None:
        bar.step(1, "cached" if report.cached else report.run.verdict.value)

    reports = service.run_many(requests, jobs=options.jobs or settings.jobs, progress=tick)
    bar.finish()
    return {(r.task.id, r.key): r.run for r in reports}, service


def _scan(
    store: Store, tasks: list[Task], stream: TextIO
) -> dict[tuple[str, ResponseKey], ResponseScan]:
    bar = Progress(stream, "scan", sum(len(t.keys) for t in tasks))
    out: dict[tuple[str, ResponseKey], ResponseScan] = {}
    chunk = max(1, SCAN_CHUNK // 2)
    for start in range(0, len(tasks), chunk):
        scans = scan_tasks(tasks[start : start + chunk], store)
        for s in scans:
            out[(s.task_id, s.response_key)] = s
        bar.step(len(scans), f"cached {sum(s.cached for s in scans)}")
    bar.finish()
    return out


def run_audit(
    store: Store,
    task_file: Path,
    options: AuditOptions,
    *,
    stream: TextIO | None = None,
    now: Callable[[], str] | None = None,
) -> AuditResult:
    """Import, test, scan, compute signals, store them, and write the three reports."""
    stream = stream or sys.stderr
    notes: list[str] = []
    tasks, imported = load_tasks(store, task_file)
    if not tasks:
        raise AuditError(f"{task_file}: no tasks")
    notes.append(f"{len(tasks)} tasks in the file, {imported} newly imported")
    runs: dict[tuple[str, ResponseKey], TestRun | None] = {}
    service: Any = None
    cluster_figures: dict[str, Any] | None = None
    if options.cluster is not None:
        from coderlhf_tui.cluster.audit_step import run_audit_on_cluster

        runs, cluster_figures = run_audit_on_cluster(store, tasks, options, stream, notes)
    elif options.run_tests:
        runs, service = _run_tests(store, tasks, options, stream, notes)
    else:
        notes.append("tests not run (--skip-tests)")
    try:
        scans = _scan(store, tasks, stream)
        backend = service.backend if service is not None else None
        settings = service.settings if service is not None else None
        images = {t.language: settings.image_for(t.language) for t in tasks} if settings else {}
        styles = styles_for(tasks, backend, images, Limits(timeout_s=20, memory_mb=256))
    finally:
        if service is not None:
            service.close()
    records: dict[tuple[str, ResponseKey], dict[str, Any]] = {}
    bar = Progress(stream, "signals", len(tasks))
    for task in tasks:
        task_runs: dict[ResponseKey, TestRun | None] = {
            k: runs.get((task.id, k)) or store.latest_test_run(task.id, k) for k in task.keys
        }
        task_findings: dict[ResponseKey, list[Finding] | None] = {
            k: scans[(task.id, k)].findings for k in task.keys
        }
        signals = signals_for_task(
            task, task_runs, task_findings, {k: styles.get((task.id, k)) for k in task.keys},
            options.weights,
        )  # fmt: skip
        for key in task.keys:
            record = signals_record(signals[key], options.weights, options.scale)
            store.save_signals(task.id, key, record)
            records[(task.id, key)] = record
            runs.setdefault((task.id, key), task_runs[key])
        bar.step()
    bar.finish()
    report = build_report(
        tasks, runs, scans, records, options.weights, source=str(task_file), notes=notes, now=now
    )
    if cluster_figures is not None:
        report["cluster"] = cluster_figures
    files = write_reports(report, options.out_dir)
    return AuditResult(report, files, notes)
