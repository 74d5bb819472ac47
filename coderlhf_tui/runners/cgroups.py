"""Reading a container's memory cgroup from the host: its peak memory and OOM-kill count.

The engine is local, so the host can read the cgroup files of the container's memory
controller directly (cgroup v1 ``memory.max_usage_in_bytes`` / ``memory.oom_control``, or
v2 ``memory.peak`` / ``memory.events``) without an exec into the sandbox. Where the layout
is unknown, the values are None and the runner says nothing about memory.
"""

from __future__ import annotations

import contextlib
from pathlib import Path


def known_cgroup(container_id: str) -> Path | None:
    """The memory cgroup of a container under the engine's usual layouts, if one exists."""
    for candidate in (
        Path("/sys/fs/cgroup/memory/docker") / container_id,
        Path("/sys/fs/cgroup/memory/system.slice") / f"docker-{container_id}.scope",
        Path("/sys/fs/cgroup/system.slice") / f"docker-{container_id}.scope",
        Path("/sys/fs/cgroup/docker") / container_id,
    ):
        if (candidate / "memory.max_usage_in_bytes").exists() or (
            candidate / "memory.peak"
        ).exists():
            return candidate
    return None


def memory_cgroup(pid: int) -> Path | None:
    """The host directory of a process's memory cgroup (v1 or v2), when this host can see it."""
    if pid <= 0:
        return None
    try:
        lines = Path(f"/proc/{pid}/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if "memory" in controllers.split(","):
            candidate = Path("/sys/fs/cgroup/memory") / path.lstrip("/")
            if (candidate / "memory.max_usage_in_bytes").exists():
                return candidate
    for line in lines:
        if line.startswith("0::"):
            candidate = Path("/sys/fs/cgroup") / line[3:].lstrip("/")
            if (candidate / "memory.peak").exists() or (candidate / "memory.events").exists():
                return candidate
    return None


def read_memory(cgroup: Path) -> tuple[float | None, int | None]:
    peak: float | None = None
    kills: int | None = None
    for name in ("memory.max_usage_in_bytes", "memory.peak"):
        with contextlib.suppress(OSError, ValueError):
            peak = int((cgroup / name).read_text().split()[0]) / (1 << 20)
            break
    for name in ("memory.oom_control", "memory.events"):
        with contextlib.suppress(OSError, ValueError):
            for line in (cgroup / name).read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill":
                    kills = int(value)
            if kills is not None:
                break
    return peak, kills
