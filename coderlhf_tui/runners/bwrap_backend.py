"""The bubblewrap backend (``--runner bwrap``), for Linux machines without Docker.

Each step runs in a new ``bwrap --unshare-all --new-session --die-with-parent`` sandbox: no
network, its own pid/ipc/uts/user namespaces, user 65534, a cleared environment, a
read-only toolchain root and a fresh work dir. When coderlhf runs as root the sandbox is
entered as the host user 65534 (``setpriv``), so even its user namespace maps to nobody.

The toolchain root is ``runner.bwrap_root``: ``/`` binds the host's /usr (and the few /etc
entries toolchains need: alternatives, the loader cache, java and php config; never the
rest of /etc); a directory such as one made by ``coderlhf images rootfs DIR`` (the toolbox
image unpacked) is bound read-only as the whole root.

What it enforces, and how (the verdicts it can give follow from it):

- time: ``timeout -s KILL`` inside, and the whole process group killed from outside at the
  deadline -> TIME_LIMIT; RLIMIT_CPU as a backstop.
- memory: RLIMIT_AS (address space, not resident memory); an allocation failure
  (MemoryError, std::bad_alloc, "out of memory") -> MEMORY_LIMIT. Runtimes that reserve
  much more address space than they use (JVM, Go, Node) need a larger ``memory_mb`` here.
  Peak memory is not measured (a forked child's max RSS starts at its parent's).
- processes: RLIMIT_NPROC (the sandbox user's processes now + ``pids``); a fork bomb fails
  to fork instead of being frozen by a cgroup.
- output: read as it streams, process group killed past ``output_bytes`` -> OUTPUT_LIMIT.
- disk: /tmp is a tmpfs of ``disk_mb``; each file is capped at ``disk_mb`` (RLIMIT_FSIZE);
  the work dir is a fresh host temp dir (shared by a run's steps, removed afterwards) whose
  total size is not capped.
- files, core dumps: RLIMIT_NOFILE 1024, RLIMIT_CORE 0.

No CPU quota (``cpus`` is not enforced). Every result records isolation ``bwrap``.
"""

from __future__ import annotations

import contextlib
import glob
import os
import selectors
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from coderlhf_tui.domain import Limits
from coderlhf_tui.runners.completion import (
    STDIN_TO_PROOF_FD,
    new_nonce,
    nonce_pipe,
    take_record,
)
from coderlhf_tui.runners.errors import SandboxError, SandboxUnavailable
from coderlhf_tui.runners.recipe import Plan, Step, StepResult
from coderlhf_tui.runners.sandbox_env import ENVIRONMENT, safe_relative_path
from coderlhf_tui.runners.settings import RunnerSettings
from coderlhf_tui.runners.step_loop import run_steps

SANDBOX_UID = 65534
_ETC_ALLOW = ("alternatives", "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "php", "java-*")
_MEMORY_MESSAGES = ("MemoryError", "std::bad_alloc", "out of memory", "Cannot allocate memory")
_KILL_STATUS = 128 + signal.SIGKILL


class BwrapBackend:
    """Runs plans with bubblewrap and rlimits (isolation ``bwrap``)."""

    isolation = "bwrap"

    def __init__(self, settings: RunnerSettings, work_root: Path | None = None) -> None:
        self.settings = settings
        self.work_root = work_root
        """Where each run's work dir is made (default: the system temp dir)."""
        self.root = settings.bwrap_root
        self._procs: set[subprocess.Popen[bytes]] = set()
        self._lock = threading.Lock()
        self._interrupted = threading.Event()
        if shutil.which("bwrap") is None:
            raise SandboxUnavailable(
                "bubblewrap is not installed: run `apt-get install -y bubblewrap` (or use Docker)"
            )

    def check(self, image: str) -> None:
        """SandboxUnavailable when the toolchain root is missing (the image is not used)."""
        if not Path(self.root, "usr").is_dir():
            raise SandboxUnavailable(
                f"bwrap root {self.root} has no usr/: unpack one with `coderlhf images rootfs DIR`"
            )

    def image_digest(self, image: str) -> str:
        """None: bubblewrap runs on an unpacked root, not an image the engine can name."""
        return ""

    def execute(self, plan: Plan, limits: Limits, image: str) -> list[StepResult]:
        """Run the plan's steps in order with a shared fresh work dir."""
        work = Path(tempfile.mkdtemp(prefix="coderlhf-bwrap-", dir=self.work_root))
        try:
            for name, text in plan.files.items():
                path = work / safe_relative_path(name)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
            if os.geteuid() == 0:
                for path in [work, *work.rglob("*")]:
                    os.chown(path, SANDBOX_UID, SANDBOX_UID, follow_symlinks=False)
            work.chmod(0o700)
            return self._run_steps(plan.steps, limits, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def interrupt(self) -> None:
        """Kill every sandbox running now and refuse new ones."""
        self._interrupted.set()
        with self._lock:
            procs = list(self._procs)
        for proc in procs:
            _kill_group(proc)

    def close(self) -> None:
        """Nothing is pooled."""

    # ------------------------------------------------------------------------------------

    def _run_steps(self, steps: Sequence[Step], limits: Limits, work: Path) -> list[StepResult]:
        return run_steps(
            steps,
            limits,
            self.settings.compile_timeout_s,
            lambda _, step, budget: self._run_one(step, limits, work, budget),
            interrupted=self._interrupted.is_set,
        )

    def _run_one(self, step: Step, limits: Limits, work: Path, budget: float) -> StepResult:
        nonce = new_nonce() if step.proof else None
        argv = self._argv(step, limits, work, budget)
        started = time.monotonic()
        with tempfile.TemporaryFile() as stdin_file:
            stdin: Any = subprocess.DEVNULL
            if nonce is not None:  # the nonce pipe as stdin, moved to fd 9 by the command
                stdin = nonce_pipe(nonce)
            elif step.stdin is not None:
                stdin_file.write(step.stdin.encode("utf-8"))
                stdin_file.seek(0)
                stdin = stdin_file
            try:
                proc = subprocess.Popen(
                    argv,
                    stdin=stdin,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    start_new_session=True,
                    env={"PATH": ENVIRONMENT["PATH"]},
                    close_fds=True,
                )
            except OSError as exc:
                raise SandboxError(f"cannot start bwrap: {exc}") from exc
            finally:
                if nonce is not None:
                    os.close(stdin)
        with self._lock:
            self._procs.add(proc)
        try:
            out, err, truncated, killed = _collect(proc, limits.output_bytes, budget + 1.0)
            proc.wait()
        finally:
            _kill_group(proc)
            with self._lock:
                self._procs.discard(proc)
        duration = time.monotonic() - started
        code = proc.returncode
        exit_code = 128 - code if code < 0 else code
        signal_number = exit_code - 128 if 128 < exit_code <= 192 else None
        stderr = err.decode("utf-8", "replace")
        timed_out = killed or (exit_code == _KILL_STATUS and duration >= budget)
        oom = exit_code != 0 and any(m in stderr for m in _MEMORY_MESSAGES)
        if exit_code == 1 and "bwrap:" in stderr[:200] and not out:
            raise SandboxError(f"bwrap failed: {stderr.strip()[:300]}")
        stdout, completed = take_record(out.decode("utf-8", "replace"), nonce)
        return StepResult(
            step=step,
            exit_code=None if killed else exit_code,
            stdout=stdout,
            stderr=stderr,
            duration_s=round(duration, 4),
            signal=signal_number,
            timed_out=timed_out and not truncated,
            oom_killed=oom and not timed_out and not truncated,
            output_truncated=truncated,
            completed=completed,
        )

    def _argv(self, step: Step, limits: Limits, work: Path, budget: float) -> list[str]:
        as_root = os.geteuid() == 0
        uid = SANDBOX_UID if as_root else os.getuid()
        mb = 1 << 20
        prlimit = [
            "prlimit",
            f"--as={limits.memory_mb * mb}",
            f"--nproc={_process_count(uid) + limits.pids + 4}",
            f"--fsize={limits.disk_mb * mb}",
            "--nofile=1024",
            "--core=0",
            f"--cpu={int(budget * max(limits.cpus, 1.0)) + 2}",
            "--",
        ]
        drop = (
            ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--"]
            if as_root
            else []
        )
        bwrap = [
            "bwrap",
            "--unshare-all",
            "--die-with-parent",
            "--new-session",
            *self._root_binds(),
            "--proc",
            "/proc",
            "--dev",
            "/dev",
            "--size",
            str(limits.disk_mb * mb),
            "--tmpfs",
            "/tmp",
            "--bind",
            str(work),
            "/work",
            "--remount-ro",
            "/",
            "--chdir",
            "/work",
            "--clearenv",
            *[arg for key, value in ENVIRONMENT.items() for arg in ("--setenv", key, value)],
            "--uid",
            str(SANDBOX_UID),
            "--gid",
            str(SANDBOX_UID),
            "--",
            "timeout",
            "-s",
            "KILL",
            f"{budget:.3f}",
            "sh",
            "-c",
            STDIN_TO_PROOF_FD + step.command if step.proof else step.command,
        ]
        return [*prlimit, *drop, *bwrap]

    def _root_binds(self) -> list[str]:
        root = Path(self.root)
        if root != Path("/"):
            return ["--ro-bind", str(root), "/"]
        binds = ["--ro-bind", "/usr", "/usr"]
        for name in ("bin", "lib", "lib32", "lib64", "sbin"):
            path = Path("/") / name
            if path.is_symlink():
                binds += ["--symlink", os.readlink(path), f"/{name}"]
            elif path.is_dir():
                binds += ["--ro-bind", str(path), f"/{name}"]
        for pattern in _ETC_ALLOW:
            for found in sorted(glob.glob(f"/etc/{pattern}")):
                binds += ["--ro-bind", found, found]
        return binds


def _collect(
    proc: subprocess.Popen[bytes], cap: int, deadline_s: float
) -> tuple[bytes, bytes, bool, bool]:
    """Read stdout and stderr as they stream; kill the group past ``cap`` or the deadline."""
    assert proc.stdout is not None and proc.stderr is not None
    buffers = {proc.stdout.fileno(): bytearray(), proc.stderr.fileno(): bytearray()}
    selector = selectors.DefaultSelector()
    for stream in (proc.stdout, proc.stderr):
        selector.register(stream, selectors.EVENT_READ)
    deadline = time.monotonic() + deadline_s
    truncated = killed = False
    open_streams = 2
    try:
        while open_streams:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                killed = True
                _kill_group(proc)
                break
            for key, _ in selector.select(timeout=min(remaining, 0.5)):
                data = os.read(key.fd, 65536)
                if not data:
                    selector.unregister(key.fileobj)
                    open_streams -= 1
                    continue
                buffers[key.fd] += data
                if sum(len(b) for b in buffers.values()) > cap:
                    truncated = True
                    _kill_group(proc)
                    open_streams = 0
                    break
    finally:
        selector.close()
        proc.stdout.close()
        proc.stderr.close()
    out, err = (bytes(b[:cap]) for b in buffers.values())
    return out, err, truncated, killed


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def _process_count(uid: int) -> int:
    """How many processes ``uid`` has now (RLIMIT_NPROC counts them all)."""
    count = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            for line in status.read_text().splitlines():
                if line.startswith("Uid:"):
                    count += int(line.split()[1]) == uid
                    break
        except (OSError, ValueError, IndexError):
            continue
    return count
