"""One hardened, single-use Docker container and the few things the runner does with it.

Every container gets the hardening docs/runners.md describes: no network, a read-only root,
size-capped tmpfs at /work (exec allowed, for compiled binaries) and /tmp, user 65534, no
capabilities, no-new-privileges, pids / memory (= memory + swap) / CPU limits, nofile / fsize /
core=0 ulimits, an init that reaps zombies, no stdin, and an environment we write ourselves (no
host variable reaches it). It idles in ``sleep infinity`` until a run execs into it.

Files go in through an exec's argv (base64 chunks), because ``put_archive`` is refused on a
read-only root. A step's output is read while it streams and the container is killed when
the cap is passed or the time limit is over (the limit is enforced inside too, by
``timeout -s KILL``). Labels, the registry of live containers and their removal at exit
or after a crash are in ``container_lifecycle``; paths and the environment in
``sandbox_env``; reading the memory cgroup in ``cgroups``.
"""

from __future__ import annotations

import base64
import contextlib
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docker
import docker.errors
import docker.types

from coderlhf_tui.domain import Limits
from coderlhf_tui.runners.cgroups import known_cgroup, memory_cgroup, read_memory
from coderlhf_tui.runners.completion import heredoc_redirect
from coderlhf_tui.runners.container_lifecycle import (
    LABEL,
    OWNER_LABEL,
    REGISTRY,
    connect,
    missing_image,
    owner_label,
    reap_orphans,
    require_image,
)
from coderlhf_tui.runners.errors import SandboxError, SandboxUnavailable
from coderlhf_tui.runners.sandbox_env import (
    ENVIRONMENT,
    WORKDIR,
    safe_relative_path,
    safe_sandbox_path,
)
from coderlhf_tui.runners.watched_exec import WatchedExec

__all__ = [
    "ENVIRONMENT",
    "LABEL",
    "OWNER_LABEL",
    "REGISTRY",
    "WORKDIR",
    "ExecResult",
    "Sandbox",
    "SandboxError",
    "SandboxUnavailable",
    "connect",
    "host_config",
    "owner_label",
    "reap_orphans",
    "require_image",
    "safe_relative_path",
]

USER = "65534:65534"
"""Who runs the response's code (nobody)."""
KEEPER = "65533:65533"
"""Who runs the container's init and idle ``sleep``: a different unprivileged user, so the
response cannot kill its own sandbox's init, while ``kill -9 -1`` as USER clears every
process the response started (escaped sessions included) between steps."""
CHUNK = 60_000
"""Base64 characters per argv entry (Linux caps one argument at 128 KiB)."""
ARGV_BUDGET = 900_000
"""Base64 characters per exec (the whole argv must stay under ARG_MAX, 2 MiB by default)."""

_WRITER = (
    "set -e; umask 022; while [ $# -gt 1 ]; do "
    'case "$1" in */*) mkdir -p "${1%/*}";; esac; '
    'printf %s "$2" | base64 -d >> "$1"; shift 2; done'
)
_STEP = 'cd "$0" && exec timeout -s KILL "$1" sh -c "$2" < "$3"'
_STEP_TAIL = "cd /work && exec timeout"
_WRITE_THEN_STEP = (
    "n=$1 t=$2 c=$3 i=$4; shift 4; umask 022; while [ $# -gt 1 ]; do "
    'case "$1" in */*) mkdir -p "${1%/*}" || { echo "write-failed-$n" >&2; exit 125; };; esac; '
    'printf %s "$2" | base64 -d >> "$1" || { echo "write-failed-$n" >&2; exit 125; }; '
    "shift 2; done\n"
    'cd /work && exec timeout -s KILL "$t" sh -c "$c" < "$i"'
)
"""Writes the last batch of files, then becomes the first step: one exec instead of two.
The nonce only lives in this shell's argv, which ``exec`` replaces before the response runs,
so a response cannot fake a failed write."""


def host_config(limits: Limits) -> dict[str, Any]:
    """The hardening every sandbox container gets, as ``containers.create`` keyword arguments."""
    disk = f"{limits.disk_mb}m"
    return {
        "network_mode": "none",
        "read_only": True,
        "tmpfs": {
            WORKDIR: f"rw,exec,nosuid,nodev,size={disk},mode=1777",
            "/tmp": f"rw,exec,nosuid,nodev,size={disk},mode=1777",
        },
        "shm_size": f"{min(limits.disk_mb, 64)}m",
        "user": KEEPER,
        "cap_drop": ["ALL"],
        "security_opt": ["no-new-privileges:true"],
        "pids_limit": limits.pids,
        "mem_limit": f"{limits.memory_mb}m",
        "memswap_limit": f"{limits.memory_mb}m",
        "nano_cpus": int(limits.cpus * 1e9),
        "ulimits": [
            docker.types.Ulimit(name="nofile", soft=1024, hard=1024),
            docker.types.Ulimit(name="fsize", soft=limits.disk_mb << 20, hard=limits.disk_mb << 20),
            docker.types.Ulimit(name="core", soft=0, hard=0),
        ],
        "init": True,
        "privileged": False,
        "stdin_open": False,
        "tty": False,
        "environment": dict(ENVIRONMENT),
        "working_dir": "/",  # not /work: the engine would re-create it 0755 over the tmpfs
        "hostname": "sandbox",
        "log_config": docker.types.LogConfig(type="none"),
    }


@dataclass(slots=True)
class ExecResult:
    """What one exec did."""

    exit_code: int | None
    stdout: str
    stderr: str
    duration_s: float
    killed: bool = False
    output_truncated: bool = False


class Sandbox:
    """A started hardened container, used for exactly one run and then destroyed."""

    def __init__(self, client: Any, container_id: str, image: str, limits: Limits) -> None:
        self.client = client
        self.api = client.api
        self.id = container_id
        self.image = image
        self.limits = limits
        self._cgroup: Path | None = None
        self._destroyed = False
        self._lock = threading.Lock()

    @classmethod
    def start(cls, client: Any, image: str, limits: Limits, role: str = "run") -> Sandbox:
        """Create and start one idle sandbox (SandboxError when the engine refuses)."""
        labels = {LABEL: "1", OWNER_LABEL: owner_label(), "coderlhf.role": role}
        try:
            container = client.containers.create(
                image, ["sleep", "infinity"], labels=labels, **host_config(limits)
            )
        except docker.errors.ImageNotFound as exc:
            raise missing_image(image) from exc
        except docker.errors.APIError as exc:
            raise SandboxError(f"cannot create a container: {exc}") from exc
        sandbox = cls(client, container.id, image, limits)
        REGISTRY.add(sandbox)
        try:
            container.start()
            sandbox.find_cgroup(container)
        except Exception as exc:
            sandbox.destroy()
            raise SandboxError(f"cannot start a container: {exc}") from exc
        return sandbox

    def find_cgroup(self, container: Any) -> None:
        """Where the started container's memory cgroup is on this host, if it can be seen."""
        self._cgroup = known_cgroup(self.id)
        if self._cgroup is None:  # another cgroup layout: ask where the process lives
            container.reload()
            self._cgroup = memory_cgroup(int(container.attrs["State"].get("Pid") or 0))

    # -- files --------------------------------------------------------------------------

    @staticmethod
    def file_batches(files: Mapping[str, str]) -> list[list[str]]:
        """(path, base64 chunk) argv pairs for absolute paths under /work or /tmp, in batches
        that each fit one exec's argv (``put_archive`` is refused on a read-only root)."""
        batches: list[list[str]] = [[]]
        size = 0
        for name, text in files.items():
            path = safe_sandbox_path(name)
            data = base64.b64encode(text.encode("utf-8")).decode("ascii")
            chunks = [data[i : i + CHUNK] for i in range(0, len(data), CHUNK)] or [""]
            for chunk in chunks:
                if size + len(chunk) > ARGV_BUDGET and batches[-1]:
                    batches.append([])
                    size = 0
                batches[-1] += [path, chunk]
                size += len(chunk) + len(path)
        return batches

    def write_files(self, files: Mapping[str, str]) -> None:
        """Write files through execs' argv, one exec per batch."""
        for batch in self.file_batches(files):
            self.write_batch(batch)

    def write_batch(self, batch: list[str]) -> None:
        """Write one batch of (path, base64 chunk) pairs."""
        result = self.exec(["sh", "-c", _WRITER, "write", *batch], deadline_s=60.0, cap=4096)
        if result.exit_code != 0:
            raise SandboxError(f"cannot write the files: {result.stderr.strip()[:200]}")

    # -- running ------------------------------------------------------------------------

    def run_step(
        self,
        command: str,
        stdin_path: str | None,
        budget_s: float,
        cap: int,
        files: list[str] | None = None,
        proof_nonce: str | None = None,
    ) -> ExecResult:
        """Run one shell command under ``timeout -s KILL``, killing the container past ``cap``.

        ``files``: a last batch of files to write first, in the same exec. ``proof_nonce``:
        the step finds it on fd 9 (a here-document's pipe; the wrapper shell whose argv
        held it ``exec``s the step before any of the response's code runs).
        """
        stdin = stdin_path or "/dev/null"
        budget = f"{budget_s:.3f}"
        deadline = budget_s + 1.0 + budget_s * 0.1
        proof = heredoc_redirect(proof_nonce) if proof_nonce else ""
        if not files:
            argv = ["sh", "-c", proof + _STEP, WORKDIR, budget, command, stdin]
            return self.exec(argv, deadline_s=deadline, cap=cap)
        nonce = secrets.token_hex(8)
        script = _WRITE_THEN_STEP.replace(_STEP_TAIL, proof + _STEP_TAIL)
        argv = ["sh", "-c", script, "step", nonce, budget, command, stdin, *files]
        result = self.exec(argv, deadline_s=deadline + 5.0, cap=cap)
        if result.exit_code == 125 and f"write-failed-{nonce}" in result.stderr:
            raise SandboxError(f"cannot write the files: {result.stderr.strip()[:200]}")
        return result

    def exec(self, argv: list[str], deadline_s: float, cap: int) -> ExecResult:
        """Run ``argv`` as the sandbox user, reading output as it streams, killing on excess.

        The watchdog (``WatchedExec``) kills the container at the deadline, and clears the
        sandbox user's processes when the command has exited but a leftover child still
        holds its output open (a process in a new session that outlives the step).
        """
        started = time.monotonic()
        out, err = bytearray(), bytearray()
        truncated = False
        watched: WatchedExec | None = None
        try:
            watched = WatchedExec(
                self, argv, started + deadline_s, user=USER, workdir=WORKDIR, linger=True
            )
            for chunk_out, chunk_err in watched.chunks():
                if truncated:
                    continue  # drain: the engine cannot end the exec while its output is unread
                if chunk_out:
                    out += chunk_out
                if chunk_err:
                    err += chunk_err
                if len(out) + len(err) > cap:
                    truncated = True
                    threading.Thread(target=self.clear_processes, daemon=True).start()
            exit_code = None if truncated else watched.exit_code()
        except Exception as exc:  # the stream breaks when the container is killed under it
            if not ((watched is not None and watched.killed) or truncated):
                raise SandboxError(f"exec failed: {exc}") from exc
            exit_code = None
        finally:
            if watched is not None:
                watched.stop()
        killed = watched is not None and watched.killed
        return ExecResult(
            exit_code=None if killed else exit_code,
            stdout=bytes(out[:cap]).decode("utf-8", "replace"),
            stderr=bytes(err[:cap]).decode("utf-8", "replace"),
            duration_s=time.monotonic() - started,
            killed=killed,
            output_truncated=truncated,
        )

    def clear_processes(self) -> None:
        """Kill every process of the sandbox user (init and the idle keeper survive)."""
        with contextlib.suppress(Exception):
            exec_id = self.api.exec_create(self.id, ["sh", "-c", "kill -9 -1"], user=USER)["Id"]
            self.api.exec_start(exec_id)

    # -- memory -------------------------------------------------------------------------

    def memory(self) -> tuple[float | None, int | None]:
        """(peak MB, OOM kills so far) from the container's memory cgroup, where readable."""
        if self._cgroup is not None:
            return read_memory(self._cgroup)
        return None, None

    def state(self) -> dict[str, Any]:
        """The container's State (Running, OOMKilled, ...); {} when it is gone."""
        try:
            state: dict[str, Any] = self.api.inspect_container(self.id)["State"]
        except docker.errors.APIError:
            return {}
        return state

    # -- ending -------------------------------------------------------------------------

    def kill(self) -> None:
        """Kill every process in the container at once (it is not reused afterwards)."""
        with contextlib.suppress(docker.errors.APIError, OSError):
            self.api.kill(self.id)

    def destroy(self) -> None:
        """Remove the container, whatever state it is in. Idempotent."""
        with self._lock:
            if self._destroyed:
                return
            self._destroyed = True
        try:
            self.api.remove_container(self.id, force=True)
        except docker.errors.NotFound:
            pass
        except (docker.errors.APIError, OSError):
            with contextlib.suppress(Exception):  # one retry; the reaper catches the rest
                time.sleep(0.2)
                self.api.remove_container(self.id, force=True)
        finally:
            REGISTRY.discard(self)
