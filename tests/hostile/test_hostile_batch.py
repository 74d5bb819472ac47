"""The hostile set through batch mode: many runs share one worker container, one at a time.

Every hostile case runs in one batch, each followed by a sentinel response that fails
unless it finds fresh-container state: empty /tmp and /dev/shm, only its own file in
/work, no other process of the sandbox user but its own ancestors (the worker), no System
V IPC object. Then: every hostile case got its verdict, every sentinel passed, the batch
ended within the cases' limits, no container or escaped process is left, the host is
untouched. A spy run also checks that a later run's code cannot be read from the worker.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from coderlhf_tui.domain import Verdict
from coderlhf_tui.runners.base import RunReport, RunRequest, run_many
from coderlhf_tui.runners.docker_backend import DockerBackend
from coderlhf_tui.runners.docker_batch import ISOLATION
from coderlhf_tui.runners.docker_sandbox import owner_label
from coderlhf_tui.runners.settings import RunnerSettings
from tests.hostile.test_hostile import CASES, HOST_FILE, MARK, SECRET, TIMEOUT_S, host_traps
from tests.runners.helpers import our_containers, processes_with, python_task

__all__ = ["host_traps"]

SENTINEL = """
import os
def ancestors():
    pid, seen = os.getpid(), set()
    while pid > 1:
        seen.add(pid)
        fields = dict(l.split(':', 1) for l in open(f'/proc/{pid}/status') if ':' in l)
        pid = int(fields['PPid'])
    return seen
mine = ancestors()
others = []
for name in os.listdir('/proc'):
    if name.isdigit() and int(name) not in mine:
        try:
            fields = dict(l.split(':', 1) for l in open(f'/proc/{name}/status') if ':' in l)
        except OSError:
            continue
        if int(fields['Uid'].split()[0]) == os.getuid() and 'Z' not in fields['State']:
            others.append(name + ' ' + open(f'/proc/{name}/cmdline').read())
left = os.listdir('/tmp') + os.listdir('/dev/shm')
left += sorted(set(os.listdir('/work')) - {'program.py'})
ipc = [l for k in ('shm', 'msg', 'sem') for l in open('/proc/sysvipc/' + k).read().splitlines()[1:]]
if others or left or ipc:
    raise SystemExit(f'not fresh: processes {others} files {left} ipc {ipc}')
"""

SPY = """
import os
marker = 'LATER' + '-' + 'SECRET'
found, refused = [], []
for name in os.listdir('/proc'):
    if not name.isdigit() or int(name) == os.getpid():
        continue
    try:
        if marker in open(f'/proc/{name}/cmdline', errors='replace').read():
            found.append('cmdline ' + name)
    except OSError:
        pass
    for part in ('environ', 'mem', 'fd'):
        try:
            if part == 'fd':
                os.listdir(f'/proc/{name}/fd')
            else:
                open(f'/proc/{name}/{part}', 'rb').read(1)
        except PermissionError:
            refused.append(part)
        except OSError:
            pass
for root in ('/tmp', '/work', '/dev/shm'):
    for dirpath, _, files in os.walk(root):
        for f in files:
            if marker in open(os.path.join(dirpath, f), errors='replace').read():
                found.append(os.path.join(dirpath, f))
if found:
    raise SystemExit(f'later run readable: {found}')
assert {'mem', 'fd'} <= set(refused), refused
"""

LATER = f"SECRET_HELD = 'LATER-SECRET-{uuid.uuid4().hex[:8]}'\n"


@pytest.fixture(scope="module")
def batch_backend(client: Any) -> Any:
    settings = RunnerSettings(image=_image(), pool_size=1, jobs=1, compile_timeout_s=30.0)
    backend = DockerBackend(settings, client=client)
    yield backend, settings
    backend.close()


def _image() -> str:
    from tests.runners.helpers import IMAGE

    return IMAGE


@pytest.mark.xdist_group("hostile")
def test_hostile_cases_in_one_batch_are_contained_and_leave_nothing(
    batch_backend: tuple[DockerBackend, RunnerSettings],
    client: Any,
    host_traps: dict[str, Any],
) -> None:
    backend, settings = batch_backend
    requests, expected = [], {}
    for number, case in enumerate(CASES):
        code = case.code.replace("PORT", str(host_traps["port"]))
        hostile = python_task(
            code, case.tests, timeout_s=TIMEOUT_S, memory_mb=case.memory_mb, task_id=f"h{number}"
        )
        sentinel = python_task(
            SENTINEL, "pass", timeout_s=TIMEOUT_S, memory_mb=case.memory_mb, task_id=f"s{number}"
        )
        requests += [RunRequest(hostile, "a"), RunRequest(sentinel, "a")]
        expected[hostile.id] = case
    spy = python_task(SPY, "pass", timeout_s=TIMEOUT_S, task_id="spy")
    later = python_task(LATER, "pass", timeout_s=TIMEOUT_S, task_id="later")
    requests += [RunRequest(spy, "a"), RunRequest(later, "a")]
    started = time.monotonic()
    reports = run_many(requests, backend=backend, settings=settings, jobs=1)
    elapsed = time.monotonic() - started
    by_id: dict[str, RunReport] = {r.task.id: r for r in reports}
    assert len(by_id) == len(requests)
    for task_id, case in expected.items():
        run = by_id[task_id].run
        assert run.verdict in case.verdicts, f"{case.name}: {run.verdict}: {run.detail}"
        if case.must_not_print:
            assert case.must_not_print not in run.stdout + run.stderr, case.name
    for number in range(len(CASES)):
        run = by_id[f"s{number}"].run
        assert run.verdict is Verdict.PASSED, f"after {CASES[number].name}: {run.stderr[-600:]}"
    assert by_id["spy"].run.verdict is Verdict.PASSED, by_id["spy"].run.stderr[-600:]
    assert by_id["later"].run.verdict is Verdict.PASSED
    isolations = {r.run.isolation for r in reports}
    assert ISOLATION in isolations, isolations  # the sentinels really shared workers
    limited = sum(1 for c in CASES if Verdict.TIME_LIMIT in c.verdicts)
    assert elapsed < limited * (TIMEOUT_S + 6.0) + 60.0, f"took {elapsed:.1f} s"
    assert our_containers(client, owner_label()) == [] or _only_pooled(client)
    assert processes_with(f"7777.{MARK[:6]}") == []
    with pytest.raises(TimeoutError):
        host_traps["listener"].accept()
    assert not HOST_FILE.exists()
    assert not Path("/pwned").exists() and not Path("/usr/pwned").exists()
    assert SECRET.read_text() == f"secret {MARK}"


def _only_pooled(client: Any) -> bool:
    """Warm pool containers (idle, never used) may remain until the backend closes."""
    left = our_containers(client, owner_label())
    return all((c.get("Labels") or {}).get("coderlhf.role") == "pool" for c in left)
