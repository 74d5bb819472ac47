"""The life of a runner's Docker containers: the engine connection, labels, a registry of
the live ones, and removal at exit or after a crash.

Every container is labelled ``coderlhf=1`` with its owner (``host:pid``), kept in
``REGISTRY`` while alive and removed on ``Sandbox.destroy``, at exit (an atexit hook), or by
``reap_orphans`` when the process that made it died without cleaning up.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import socket
import threading
from typing import TYPE_CHECKING, Any

import docker
import docker.errors

from coderlhf_tui.runners.errors import SandboxUnavailable

if TYPE_CHECKING:
    from coderlhf_tui.runners.docker_sandbox import Sandbox

LABEL = "coderlhf"
OWNER_LABEL = "coderlhf.owner"


def owner_label() -> str:
    """``host:pid`` of this process, so orphans of a dead process can be found and removed."""
    return f"{socket.gethostname()}:{os.getpid()}"


def connect(max_pool_size: int = 16) -> Any:
    """A docker client, or SandboxUnavailable with the command that starts an engine."""
    try:
        client = docker.from_env(max_pool_size=max_pool_size, timeout=120)
        client.ping()
    except Exception as exc:  # docker raises several unrelated types here
        raise SandboxUnavailable(
            "no Docker engine answers: start one with scripts/services/docker.sh "
            f"(or use --runner bwrap) [{type(exc).__name__}]"
        ) from exc
    return client


def require_image(client: Any, image: str) -> None:
    """SandboxUnavailable naming the build command when ``image`` is not present."""
    try:
        client.images.get(image)
    except docker.errors.ImageNotFound as exc:
        raise missing_image(image) from exc
    except docker.errors.APIError as exc:
        raise SandboxUnavailable(f"cannot inspect image {image}: {exc}") from exc


def missing_image(image: str) -> SandboxUnavailable:
    """The error for an image that is not there, with the command that builds it."""
    return SandboxUnavailable(
        f"image {image} is missing: build it with `coderlhf images build --from-debian`"
    )


class _Registry:
    """Every container this process has started and not yet removed (for exit and Ctrl-C)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._live: dict[str, Sandbox] = {}

    def add(self, sandbox: Sandbox) -> None:
        with self._lock:
            self._live[sandbox.id] = sandbox

    def discard(self, sandbox: Sandbox) -> None:
        with self._lock:
            self._live.pop(sandbox.id, None)

    def snapshot(self) -> list[Sandbox]:
        with self._lock:
            return list(self._live.values())


REGISTRY = _Registry()


def _remove_all_at_exit() -> None:
    for sandbox in REGISTRY.snapshot():
        sandbox.destroy()


atexit.register(_remove_all_at_exit)


def reap_orphans(client: Any) -> int:
    """Remove coderlhf containers whose owning process on this host is gone; returns how many."""
    host = socket.gethostname()
    removed = 0
    try:
        containers = client.api.containers(all=True, filters={"label": f"{LABEL}=1"})
    except docker.errors.APIError:
        return 0
    for info in containers:
        owner = (info.get("Labels") or {}).get(OWNER_LABEL, "")
        owner_host, _, pid = owner.rpartition(":")
        if owner_host != host or not pid.isdigit() or _alive(int(pid)):
            continue
        with contextlib.suppress(docker.errors.APIError):
            client.api.remove_container(info["Id"], force=True)
            removed += 1
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
