"""``coderlhf test``: run every response's tests in the sandbox, in parallel, with progress.

Cached results (same code, tests, image, limits) are answered from the store; Ctrl-C (or
SIGTERM / SIGHUP) stops starting runs, kills the sandboxes in use and removes every
container before the command exits with status 130. Runs finished before are kept.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections import Counter
from dataclasses import replace
from types import FrameType
from typing import Any, TextIO

from coderlhf_tui.cli.common import (
    EXIT_OK,
    UserError,
    add_db_option,
    add_json_option,
    open_store,
    print_json,
    select_tasks,
)
from coderlhf_tui.cli.worker_cmd import add_cluster_options, cluster_options
from coderlhf_tui.config import ConfigError
from coderlhf_tui.domain import Language
from coderlhf_tui.runners.base import RunReport, RunRequest
from coderlhf_tui.runners.settings import BACKENDS, load_settings

BAR_WIDTH = 30


def register(subparsers: Any) -> None:
    """Add ``coderlhf test``."""
    p = subparsers.add_parser("test", help="run the responses' tests in the sandbox")
    p.add_argument("--language", choices=[lang.value for lang in Language])
    p.add_argument("--task", action="append", metavar="ID", help="only this task (repeatable)")
    p.add_argument("--jobs", type=int, help="runs in parallel (default: runner.jobs = cores)")
    p.add_argument("--runner", choices=BACKENDS, help="isolation (default: runner.backend)")
    p.add_argument("--force", action="store_true", help="run again even when a result is cached")
    p.add_argument(
        "--fresh-containers",
        action="store_true",
        help="one container per response, as a keypress gets (default: runner.reuse_containers,"
        " many responses one after another in each worker container, state reset between)",
    )
    add_cluster_options(p)
    add_db_option(p)
    add_json_option(p)
    p.set_defaults(handler=cmd_test)


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def cmd_test(args: argparse.Namespace) -> int:
    """Run the selected responses' tests and print a summary (or JSON)."""
    from coderlhf_tui.runners.docker_sandbox import SandboxUnavailable
    from coderlhf_tui.runners.service import RunnerService, make_backend

    if args.jobs is not None and args.jobs < 1:
        raise UserError("--jobs must be at least 1")
    try:
        settings = load_settings()
    except ConfigError as exc:
        raise UserError(str(exc)) from exc
    if args.fresh_containers:
        settings = replace(settings, reuse_containers=False)
    jobs = args.jobs or settings.jobs
    store = open_store(args)
    try:
        tasks = select_tasks(store, args.task, args.language)
        requests = [RunRequest(task, key) for task in tasks for key in task.keys]
        if not requests:
            raise UserError("no tasks match (import some with `coderlhf import FILE`)")
        for sig in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, _raise_interrupt)
        cluster = cluster_options(args, store)
        if cluster is not None:
            return _test_on_cluster(store, requests, settings, cluster, args)
        try:
            backend = make_backend(settings, args.runner, pooled=True)
            for image in sorted({settings.image_for(task.language) for task in tasks}):
                backend.check(image)
        except SandboxUnavailable as exc:
            raise UserError(str(exc)) from exc
        service = RunnerService(store, settings=settings, backend=backend)
        progress = _Progress(len(requests), sys.stderr)
        started = time.monotonic()
        try:
            reports = service.run_many(requests, jobs=jobs, force=args.force, progress=progress)
        except SandboxUnavailable as exc:
            raise UserError(str(exc)) from exc
        finally:
            progress.finish()
            service.close()
        elapsed = time.monotonic() - started
    finally:
        store.close()
    if args.json:
        print_json(_json_summary(reports, elapsed, jobs))
    else:
        _print_summary(reports, elapsed)
    return EXIT_OK


class _Progress:
    """A one-line progress bar on a terminal, a line every few seconds otherwise."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total = total
        self.stream = stream
        self.tty = stream.isatty()
        self.started = time.monotonic()
        self.last = 0.0
        self.counts: Counter[str] = Counter()
        self.cached = 0

    def __call__(self, report: RunReport, done: int, total: int) -> None:
        self.counts[report.run.verdict.value] += 1
        self.cached += report.cached
        now = time.monotonic()
        if not self.tty and now - self.last < 5.0 and done != total:
            return
        self.last = now
        rate = done / max(now - self.started, 1e-6)
        filled = int(BAR_WIDTH * done / max(total, 1))
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        top = " ".join(f"{v}:{n}" for v, n in self.counts.most_common(3))
        line = f"[{bar}] {done}/{total} {rate:.1f}/s cached:{self.cached} {top}"
        if self.tty:
            self.stream.write("\r\033[K" + line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


def _json_summary(reports: list[RunReport], elapsed: float, jobs: int) -> dict[str, Any]:
    results = [
        {
            "task_id": r.task.id,
            "response_id": r.task.response(r.key).id,
            "key": r.key,
            "language": r.task.language.value,
            "verdict": r.run.verdict.value,
            "passed": r.run.passed,
            "failed": r.run.failed,
            "failing_tests": r.run.failing_tests,
            "duration_s": r.run.duration_s,
            "cached": r.cached,
            "isolation": r.run.isolation,
            "detail": r.run.detail,
        }
        for r in reports
    ]
    results.sort(key=lambda item: (item["task_id"], item["key"]))
    return {
        "results": results,
        "counts": dict(Counter(r.run.verdict.value for r in reports)),
        "total": len(reports),
        "cached": sum(r.cached for r in reports),
        "duration_s": round(elapsed, 3),
        "jobs": jobs,
    }


def _print_summary(reports: list[RunReport], elapsed: float) -> None:
    counts = Counter(r.run.verdict.value for r in reports)
    cached = sum(r.cached for r in reports)
    print(f"{len(reports)} responses in {elapsed:.1f} s ({cached} from the cache)")
    for verdict, count in counts.most_common():
        print(f"  {verdict:<15}{count}")
    errors = [r for r in reports if r.run.verdict.value == "INTERNAL_ERROR"]
    for report in errors[:5]:
        print(f"  ! {report.task.id}/{report.key}: {report.run.detail}")


def _test_on_cluster(store: Any, requests: list[RunRequest], settings: Any, cluster: Any,
                     args: argparse.Namespace) -> int:  # fmt: skip
    """``coderlhf test --cluster``: the same summary, the runs done by the cluster's workers."""
    import contextlib

    from coderlhf_tui.cluster import ClusterUnavailable
    from coderlhf_tui.cluster.dispatch import run_on_cluster
    from coderlhf_tui.cluster.display import LiveDisplay
    from coderlhf_tui.cluster.spec import WorkerRefused

    display = contextlib.nullcontext(None) if args.json else LiveDisplay(sys.stderr, len(requests))
    try:
        with display as live:
            on_result = live.update if live is not None else None
            outcome = run_on_cluster(store, requests, settings, cluster, on_result=on_result)
    except (ClusterUnavailable, WorkerRefused) as exc:
        raise UserError(str(exc)) from exc
    figures = outcome.figures
    if args.json:
        summary = _json_summary(outcome.reports, figures.wall_s, cluster.jobs or settings.jobs)
        print_json({**summary, "cluster": figures.as_dict()})
    else:
        _print_summary(outcome.reports, figures.wall_s)
        for note in outcome.notes:
            print(f"note: {note}")
        print(figures.summary())
    return EXIT_OK
