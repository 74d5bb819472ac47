"""Grading one patch as SWE-bench does, with the tests run in the hardened sandbox.

The patch and the task's test patch are applied on the host (``patches``), the checkout's
files go into a fresh sandbox of the environment image (no network, read-only root,
limits, non-root: the runners' ``Sandbox``), and the task's test command runs with our
pytest plugin, which reports every test's outcome and then the completion record. No
record, no grade from the tests: the run is EXITED_EARLY. Grades:

- resolved: every FAIL_TO_PASS and PASS_TO_PASS test passes;
- partially resolved: some FAIL_TO_PASS pass and every PASS_TO_PASS passes;
- not resolved: anything else (a listed test the report lacks counts as failed; a skipped
  FAIL_TO_PASS fails, a skipped PASS_TO_PASS does not);
- patch failed: neither ``git apply`` nor its 3-way fallback took the patch.

A result is cached under a hash of everything it depends on (image id, snapshot, base,
patch, test patch, command, test lists, limits, harness version), as other runs are, in a
``run_cache`` (the workspace's ``repo_runs`` table from the command line).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from coderlhf_tui.domain import Limits, Verdict
from coderlhf_tui.repotasks.patches import apply_patch
from coderlhf_tui.repotasks.run_cache import FolderRunCache, RunCache
from coderlhf_tui.repotasks.snapshots import base_checkout, git, response_checkout
from coderlhf_tui.repotasks.task_format import PatchResponse, RepoTask, RepoTaskError
from coderlhf_tui.runners.completion import new_nonce, take_record
from coderlhf_tui.runners.docker_sandbox import Sandbox

HARNESS_VERSION = 1
PLUGIN = Path(__file__).with_name("harness") / "coderlhf_results.py"
PLUGIN_DIR = "/tmp/coderlhf-harness"
RESULTS_PREFIX = "coderlhf-results "
REPO_LIMITS = Limits(
    timeout_s=300.0, memory_mb=1024, cpus=1.0, pids=256, output_bytes=8_000_000, disk_mb=512
)
"""A repository's suite is bigger than one function's tests: more time, memory and disk."""
PASSING = frozenset({"passed", "xfailed"})


class Grade(StrEnum):
    """SWE-bench's grades, plus the run that did not reach the end of its suite."""

    RESOLVED = "resolved"
    PARTIALLY_RESOLVED = "partially_resolved"
    NOT_RESOLVED = "not_resolved"
    PATCH_FAILED = "patch_failed"
    EXITED_EARLY = "exited_early"


@dataclass(slots=True)
class RepoRun:
    """One response's patch, graded: the grade, the per-test outcomes and how it ran."""

    response: str
    grade: Grade
    verdict: str = ""
    applied: str = ""
    detail: str = ""
    fail_to_pass: dict[str, str] = field(default_factory=dict)
    pass_to_pass: dict[str, str] = field(default_factory=dict)
    tests: dict[str, str] = field(default_factory=dict)
    duration_s: float = 0.0
    content_hash: str = ""
    cached: bool = False

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RepoRun:
        return cls(**{**data, "grade": Grade(data["grade"])})


def grade_tests(
    outcomes: dict[str, str], fail_to_pass: tuple[str, ...], pass_to_pass: tuple[str, ...]
) -> tuple[Grade, dict[str, str], dict[str, str]]:
    """The grade from per-test outcomes; each listed test's outcome ('missing' if absent)."""
    f2p = {name: outcomes.get(name, "missing") for name in fail_to_pass}
    p2p = {name: outcomes.get(name, "missing") for name in pass_to_pass}
    f2p_passed = sum(outcome in PASSING for outcome in f2p.values())
    p2p_ok = all(outcome in PASSING or outcome == "skipped" for outcome in p2p.values())
    if p2p_ok and f2p_passed == len(f2p):
        return Grade.RESOLVED, f2p, p2p
    if p2p_ok and f2p_passed:
        return Grade.PARTIALLY_RESOLVED, f2p, p2p
    return Grade.NOT_RESOLVED, f2p, p2p


def run_key(task: RepoTask, response: PatchResponse, image_id: str, limits: Limits) -> str:
    """The cache key of one graded run: everything its result depends on."""
    parts = {
        "harness": HARNESS_VERSION,
        "plugin": hashlib.sha256(PLUGIN.read_bytes()).hexdigest(),
        "image": image_id,
        "snapshot": task.snapshot.sha256,
        "base": task.base_commit,
        "patch": response.patch,
        "test_patch": task.test_patch,
        "command": task.environment.test_command,
        "f2p": task.fail_to_pass,
        "p2p": task.pass_to_pass,
        "limits": asdict(limits),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def sandbox_files(checkout: Path) -> dict[str, str]:
    """The tracked and new files of a checkout as /work paths (text only; git's own
    files, symlinks and binary files stay out)."""
    listing = git(checkout, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    files: dict[str, str] = {}
    for name in filter(None, listing.stdout.split("\0")):
        path = checkout / name
        if path.is_symlink() or not path.is_file():
            continue
        try:
            files[f"/work/{name}"] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
    files[f"{PLUGIN_DIR}/coderlhf_results.py"] = PLUGIN.read_text(encoding="utf-8")
    return files


def test_command(task: RepoTask) -> str:
    """The task's command with our plugin loaded and no bytecode written."""
    return (
        f"PYTHONPATH={PLUGIN_DIR} PYTEST_PLUGINS=coderlhf_results PYTHONDONTWRITEBYTECODE=1 "
        + task.environment.test_command
    )


def read_report(stdout: str) -> dict[str, Any] | None:
    """The plugin's last results line, or None when there is none."""
    at = stdout.rfind("\n" + RESULTS_PREFIX)
    if at < 0:
        return None
    line = stdout[at + 1 + len(RESULTS_PREFIX) :].split("\n", 1)[0]
    try:
        report = json.loads(line)
    except json.JSONDecodeError:
        return None
    return report if isinstance(report, dict) else None


class RepoGrader:
    """Grades a task's responses in one environment image, caching results on disk."""

    def __init__(
        self,
        client: Any,
        image: str,
        cache: Path,
        limits: Limits = REPO_LIMITS,
        runs: RunCache | None = None,
    ) -> None:
        self.client = client
        self.image = image
        self.image_id = client.images.get(image).id
        self.cache = cache
        self.limits = limits
        self.runs: RunCache = runs if runs is not None else FolderRunCache(cache)

    def grade(self, task: RepoTask, response: PatchResponse, use_cache: bool = True) -> RepoRun:
        key = run_key(task, response, self.image_id, self.limits)
        stored = self.runs.load(key) if use_cache else None
        if stored is not None:
            run = RepoRun.from_json(stored)
            run.cached = True
            return run
        run = self._grade(task, response)
        run.content_hash = key
        self.runs.save(key, task.instance_id, run.to_json())
        return run

    def _grade(self, task: RepoTask, response: PatchResponse) -> RepoRun:
        base = base_checkout(task, self.cache)
        with tempfile.TemporaryDirectory(prefix="repo-run-") as tmp:
            checkout = response_checkout(base, Path(tmp) / "repo")
            applied = apply_patch(checkout, response.patch, response.name)
            if not applied.ok:
                return RepoRun(response.name, Grade.PATCH_FAILED, detail=applied.error)
            if task.test_patch:
                tests_applied = apply_patch(checkout, task.test_patch, "test_patch")
                if not tests_applied.ok:
                    raise RepoTaskError(task.source, tests_applied.error, field="test_patch")
            files = sandbox_files(checkout)
            shutil.rmtree(checkout, ignore_errors=True)
        run = self._run(task, files)
        run.response, run.applied = response.name, applied.method
        return run

    def _run(self, task: RepoTask, files: dict[str, str]) -> RepoRun:
        started = time.monotonic()
        sandbox = Sandbox.start(self.client, self.image, self.limits, role="repo")
        try:
            sandbox.write_files(files)
            nonce = new_nonce()
            result = sandbox.run_step(
                test_command(task),
                None,
                self.limits.timeout_s,
                self.limits.output_bytes,
                proof_nonce=nonce,
            )
        finally:
            sandbox.destroy()
        duration = time.monotonic() - started
        stdout, proved = take_record(result.stdout, nonce)
        report = read_report(stdout) if proved else None
        if result.killed or result.output_truncated:
            verdict = Verdict.OUTPUT_LIMIT if result.output_truncated else Verdict.TIME_LIMIT
            return RepoRun("", Grade.NOT_RESOLVED, verdict.value, detail=verdict.value,
                           duration_s=duration)  # fmt: skip
        if report is None:
            tail = (stdout + result.stderr).strip()[-400:]
            return RepoRun(
                "", Grade.EXITED_EARLY, Verdict.EXITED_EARLY.value,
                detail=f"the suite did not run to its end (exit {result.exit_code}): {tail}",
                duration_s=duration,
            )  # fmt: skip
        tests = {str(k): str(v) for k, v in dict(report.get("tests") or {}).items()}
        grade, f2p, p2p = grade_tests(tests, task.fail_to_pass, task.pass_to_pass)
        verdict = Verdict.PASSED if grade is Grade.RESOLVED else Verdict.FAILED
        errors = report.get("collect_errors") or []
        detail = f"{len(tests)} tests ran" + (f"; collection errors: {errors}" if errors else "")
        return RepoRun("", grade, verdict.value, detail=detail, fail_to_pass=f2p,
                       pass_to_pass=p2p, tests=tests, duration_s=duration)  # fmt: skip
