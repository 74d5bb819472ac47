"""Shared pieces of the runner tests: the real Docker engine, the toolbox image, leftovers.

Every test here runs real containers (or real bubblewrap sandboxes); nothing is mocked.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from coderlhf_tui.domain import IoCase, Language, Response, Task, TestKind, TestSpec
from coderlhf_tui.runners.docker_sandbox import LABEL, OWNER_LABEL, SandboxUnavailable, connect
from coderlhf_tui.runners.settings import DEFAULT_IMAGE
from tests.conftest import require_part

IMAGE = os.environ.get("CODERLHF_TEST_IMAGE", DEFAULT_IMAGE)
"""The toolbox image the tests run in (scripts/services/images.sh builds it)."""


def docker_client() -> Any:
    """A client for the real engine, or a skip (a failure under CI=true) naming the fix."""
    try:
        client = connect()
    except SandboxUnavailable as exc:
        require_part("Docker engine", False, f"{exc}")
        raise
    try:
        client.images.get(IMAGE)
        present = True
    except Exception:
        present = False
    require_part(f"image {IMAGE}", present, "scripts/services/images.sh")
    return client


def bwrap_ready() -> None:
    """Skip (fail under CI) when bubblewrap or the host's /usr/bin/python3 is missing."""
    require_part("bubblewrap", shutil.which("bwrap") is not None, "apt-get install -y bubblewrap")
    require_part("/usr/bin/python3", Path("/usr/bin/python3").exists(), "apt-get install python3")


def our_containers(client: Any, owner: str) -> list[dict[str, Any]]:
    """Containers (running or not) that the process ``owner`` (host:pid) created."""
    found: list[dict[str, Any]] = client.api.containers(
        all=True, filters={"label": [f"{LABEL}=1", f"{OWNER_LABEL}={owner}"]}
    )
    return found


def processes_of(container_ids: Iterable[str]) -> list[int]:
    """Host pids still living in any of these containers' cgroups."""
    ids = [cid for cid in container_ids if cid]
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cgroup = (entry / "cgroup").read_text()
        except OSError:
            continue
        if any(cid in cgroup for cid in ids):
            pids.append(int(entry.name))
    return pids


def processes_with(marker: str) -> list[int]:
    """Host pids whose command line contains ``marker``."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if marker in cmdline:
            pids.append(int(entry.name))
    return pids


def python_task(
    code: str,
    tests: str = "",
    *,
    kind: TestKind = TestKind.SCRIPT,
    entry_point: str | None = None,
    cases: tuple[IoCase, ...] = (),
    compare: str = "exact",
    timeout_s: float | None = None,
    memory_mb: int | None = None,
    task_id: str = "t-1",
    code_b: str = "",
) -> Task:
    """A Python task whose response A is ``code``."""
    spec = TestSpec(
        kind=kind,
        code=tests,
        cases=cases,
        entry_point=entry_point,
        compare=compare,
        timeout_s=timeout_s,
        memory_mb=memory_mb,
    )
    return Task(
        id=task_id,
        language=Language.PYTHON,
        prompt="p",
        responses=(Response("a", code), Response("b", code_b or code)),
        tests=spec,
    )
