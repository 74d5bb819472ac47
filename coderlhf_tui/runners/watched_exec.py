"""One exec in a sandbox container, read as it streams, under a watchdog.

``exec_run`` has no timeout of its own, and an exec whose output nobody reads stalls. So
every exec the runner starts goes through ``WatchedExec``: the caller reads the output as
it comes, and a watchdog thread kills the whole container when ``deadline`` (a monotonic
time, which the caller may move: the batch worker's moves from run to run) has passed.
With ``linger=True`` it also watches for the command's own end and, when a leftover child
(a process in a new session) still holds the output open 0.3 s later, clears the sandbox
user's processes so the stream ends. Used by a single run's steps
(``Sandbox.exec``) and by the batch worker's stream (``docker_batch``).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from typing import Any, Protocol

from coderlhf_tui.runners.errors import SandboxError

LINGER_S = 0.3
"""How long a finished command's output may stay open before its leftovers are cleared."""
WATCH_S = 0.1
"""The watchdog's poll interval when it only minds the deadline."""

Chunk = tuple[bytes | None, bytes | None]
"""(stdout bytes, stderr bytes) as the engine delivers them."""


class Container(Protocol):
    """What the watchdog needs of a sandbox (``docker_sandbox.Sandbox``)."""

    id: str
    api: Any

    def kill(self) -> None: ...

    def clear_processes(self) -> None: ...


class WatchedExec:
    """An exec started in ``container`` as ``user``; ``chunks()`` streams its output."""

    def __init__(
        self,
        container: Container,
        argv: list[str],
        deadline: float,
        *,
        user: str,
        workdir: str,
        linger: bool = False,
    ) -> None:
        self.container = container
        self.deadline = deadline
        self.killed = False
        self._api: Any = container.api
        self._done = threading.Event()
        self._linger = linger
        api = self._api
        try:
            created = api.exec_create(
                container.id,
                argv,
                stdout=True,
                stderr=True,
                stdin=False,
                user=user,
                workdir=workdir,
            )
            self._exec_id: str = created["Id"]
        except Exception as exc:  # docker raises several unrelated types here
            raise SandboxError(f"cannot start an exec: {exc}") from exc
        self._watcher = threading.Thread(target=self._watch, daemon=True)
        self._watcher.start()
        try:
            self._stream: Iterator[Chunk] = api.exec_start(self._exec_id, stream=True, demux=True)
        except Exception as exc:
            self.stop()
            raise SandboxError(f"cannot start an exec: {exc}") from exc

    def chunks(self) -> Iterator[Chunk]:
        """The output as it streams; breaks (raises) when the container is killed under it."""
        yield from self._stream

    def exit_code(self) -> int | None:
        """The command's exit status, once its output has ended."""
        code: int | None = self._api.exec_inspect(self._exec_id).get("ExitCode")
        return code

    def kill(self) -> None:
        """Kill the container now (the output passed a cap): the stream ends."""
        self.killed = True
        self.container.kill()

    def stop(self, drain_s: float | None = None) -> None:
        """Stop the watchdog; with ``drain_s``, first read what is left of the output for at
        most that long (the container is killed if it takes longer)."""
        if drain_s is not None:
            self.deadline = min(self.deadline, time.monotonic() + drain_s)
            with contextlib.suppress(Exception):  # a killed container breaks the stream
                for _ in self._stream:
                    pass
        self._done.set()
        self._watcher.join(timeout=5.0)

    def _watch(self) -> None:
        exited_at: float | None = None
        polls = 0
        while not self._done.wait(self._interval(exited_at, polls)):
            polls += 1
            now = time.monotonic()
            if now >= self.deadline:
                self.kill()
                return
            if not self._linger:
                continue
            if exited_at is None:
                try:
                    running = self._api.exec_inspect(self._exec_id).get("Running", True)
                except Exception:
                    continue
                if not running:
                    exited_at = now
            elif now - exited_at > LINGER_S:
                self._linger = False  # once: the command is over, its leftovers hold the pipe
                self.container.clear_processes()

    def _interval(self, exited_at: float | None, polls: int) -> float:
        if not self._linger:
            return WATCH_S
        if exited_at is not None:
            return 0.05
        return 0.15 if polls < 4 else 0.3
