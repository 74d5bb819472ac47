"""A real Dask cluster for the cluster tests: a scheduler and two workers, as subprocesses.

Each worker is its own ``coderlhf worker`` (checks the engine and image, then becomes
``dask worker`` with the preload), started in a session of its own so a test can kill one
with everything it started (its nanny too) mid-audit.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require_part

BIN = Path(sys.executable).parent
START_TIMEOUT_S = 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def engine_and_image() -> bool:
    try:
        from coderlhf_tui.cluster.readiness import check_machine

        check_machine()
        return True
    except Exception:
        return False


@dataclass
class LiveCluster:
    """The scheduler's address and the worker processes by name."""

    address: str
    workers: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    scheduler: subprocess.Popen[bytes] | None = None
    logs: Path = Path()

    def start(self, argv: list[str], log: str) -> subprocess.Popen[bytes]:
        """Start a process of the cluster in a session of its own, its output in ``log``."""
        env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
        out = open(self.logs / log, "wb")  # noqa: SIM115 (the process holds it)
        return subprocess.Popen(argv, stdout=out, stderr=out, env=env, start_new_session=True)

    def kill_worker(self, name: str) -> None:
        """SIGKILL the worker and its nanny (the whole session), as a machine dying would."""
        proc = self.workers.pop(name)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)

    def stop_worker(self, name: str) -> None:
        """SIGTERM the ``dask worker`` command: its nanny closes the worker process (the
        plugins' teardown runs), then exits; what is left of the session is killed after."""
        proc = self.workers.pop(name)
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)

    def stop(self) -> None:
        for name in list(self.workers):
            if self.workers[name].poll() is None:
                self.stop_worker(name)
        if self.scheduler is not None and self.scheduler.poll() is None:
            os.killpg(self.scheduler.pid, signal.SIGKILL)
            self.scheduler.wait(timeout=30)


def wait_workers(address: str, count: int, security: Any = None) -> None:
    """Wait until ``count`` workers have joined the scheduler at ``address``."""
    from distributed import Client

    with Client(address, timeout=START_TIMEOUT_S, security=security) as client:
        client.wait_for_workers(count, timeout=START_TIMEOUT_S)


@pytest.fixture
def live_cluster(tmp_path: Path) -> Iterator[LiveCluster]:
    """A scheduler on loopback and two one-process workers (one thread each)."""
    require_part("Docker engine with the toolbox image", engine_and_image(), "scripts/test")
    address = f"tcp://127.0.0.1:{free_port()}"
    port = address.rsplit(":", 1)[1]
    cluster = LiveCluster(address, logs=tmp_path)
    try:
        cluster.scheduler = cluster.start(
            [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
             "--port", port, "--no-dashboard"],
            "scheduler.log",
        )  # fmt: skip
        for name in ("w1", "w2"):
            cluster.workers[name] = cluster.start(
                [str(BIN / "coderlhf"), "worker", "--scheduler", address, "--name", name],
                f"{name}.log",
            )
        wait_workers(address, 2)
        yield cluster
    finally:
        cluster.stop()
        time.sleep(0.5)
