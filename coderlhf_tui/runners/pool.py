"""A warm pool of pre-started, single-use sandbox containers, so a keypress pays no start.

Containers are kept per (image, limits), because memory, CPU, pids and tmpfs sizes are fixed
when a container is created. ``acquire`` hands out a warm container (or starts one at once
when none is ready) and never gives it to anyone else; after its run, ``discard`` destroys it
in the background and a replacement is started, so the pool stays at ``size`` per key.
``close`` removes every pooled container; an atexit hook does the same for the forgetful.
"""

from __future__ import annotations

import atexit
import contextlib
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from coderlhf_tui.domain import Limits
from coderlhf_tui.runners.docker_sandbox import Sandbox, SandboxError

PoolKey = tuple[str, Limits]


class WarmPool:
    """Pre-started single-use containers per (image, limits)."""

    def __init__(self, client: Any, size: int = 2, workers: int = 2) -> None:
        self.client = client
        self.size = max(0, size)
        self._ready: dict[PoolKey, deque[Sandbox]] = {}
        self._starting: dict[PoolKey, int] = {}
        self._lock = threading.Lock()
        self._closed = False
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="coderlhf-pool")
        self.last_error: str = ""
        atexit.register(self.close)

    def warm(self, image: str, limits: Limits) -> None:
        """Begin keeping ``size`` containers ready for (image, limits)."""
        self._refill((image, limits))

    def acquire(self, image: str, limits: Limits) -> Sandbox:
        """A container nobody else will ever get: warm if one is ready, else started now."""
        key = (image, limits)
        with self._lock:
            ready = self._ready.setdefault(key, deque())
            sandbox = ready.popleft() if ready else None
        if sandbox is not None:
            return sandbox  # refilled after the run: a start now would compete with it
        self._refill(key)
        return Sandbox.start(self.client, image, limits, role="run")

    def discard(self, sandbox: Sandbox) -> None:
        """Destroy a used container in the background and start its replacement."""
        with self._lock:
            closed = self._closed
        if closed:
            sandbox.destroy()
            return
        try:
            self._executor.submit(self._replace, sandbox)
        except RuntimeError:  # the executor is shutting down
            sandbox.destroy()

    def _replace(self, sandbox: Sandbox) -> None:
        sandbox.destroy()
        self._refill((sandbox.image, sandbox.limits))

    def ready_count(self, image: str, limits: Limits) -> int:
        """How many containers are warm for (image, limits) right now."""
        with self._lock:
            return len(self._ready.get((image, limits), ()))

    def close(self) -> None:
        """Stop refilling and remove every pooled container. Idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._executor.shutdown(wait=True)  # pending destroys must run; refills see _closed
        with self._lock:
            leftovers = [sandbox for ready in self._ready.values() for sandbox in ready]
            self._ready.clear()
        for sandbox in leftovers:
            sandbox.destroy()
        with contextlib.suppress(Exception):
            atexit.unregister(self.close)

    # ------------------------------------------------------------------------------------

    def _refill(self, key: PoolKey) -> None:
        with self._lock:
            if self._closed:
                return
            have = len(self._ready.setdefault(key, deque())) + self._starting.get(key, 0)
            missing = self.size - have
            if missing <= 0:
                return
            self._starting[key] = self._starting.get(key, 0) + missing
        for _ in range(missing):
            try:
                self._executor.submit(self._start_one, key)
            except RuntimeError:
                with self._lock:
                    self._starting[key] -= 1

    def _start_one(self, key: PoolKey) -> None:
        sandbox: Sandbox | None = None
        try:
            sandbox = Sandbox.start(self.client, key[0], key[1], role="pool")
        except SandboxError as exc:
            self.last_error = str(exc)
        finally:
            with self._lock:
                self._starting[key] -= 1
                keep = sandbox is not None and not self._closed
                if keep and sandbox is not None:
                    self._ready.setdefault(key, deque()).append(sandbox)
        if sandbox is not None and not keep:
            sandbox.destroy()
