"""Batch workers a run cannot reach: run N tampers with the worker, run N+1 finds it pristine.

A run shares the worker's uid, so it can ``prlimit`` the worker, renice it, pin its CPU
affinity, put it in SCHED_IDLE or the idle I/O class, and leave POSIX message queues and
System V IPC objects behind; every later run in the chunk would inherit the first five,
and see the rest. Each tampering run below checks that its change really took effect on
the worker (so the test cannot pass because the kernel refused it), then a sentinel run
checks its own limits and scheduling against the container's init (which no run can
touch: another uid) and that no IPC object is left. All runs go through one worker chunk
in order. What the worker can put back, it does in place (the sentinel runs in the same
worker); what it cannot (a lowered hard limit, a raised nice value, SCHED_IDLE) retires
the container, and the sentinel runs in a fresh one. Either way the sentinel passes.
"""

from __future__ import annotations

from typing import Any

import pytest

from coderlhf_tui.domain import Verdict
from coderlhf_tui.runners.base import PreparedRun, RunReport, finish_run, prepare_run
from coderlhf_tui.runners.docker_backend import DockerBackend
from coderlhf_tui.runners.settings import RunnerSettings
from tests.runners.helpers import IMAGE, python_task

pytestmark = [pytest.mark.docker, pytest.mark.xdist_group("hostile")]

COMMON = """
import ctypes, os, resource
libc = ctypes.CDLL(None, use_errno=True)
def status(pid):
    return dict(l.split(':', 1) for l in open(f'/proc/{pid}/status') if ':' in l)
def worker():
    pid = os.getpid()
    while True:
        parent = int(status(pid)['PPid'])
        if parent <= 1 or int(status(parent)['Uid'].split()[0]) != os.getuid():
            return pid
        pid = parent
WORKER = worker()
print('worker', open(f'/proc/{WORKER}/stat').read().rsplit(')', 1)[1].split()[19])
"""

SENTINEL = (
    COMMON
    + """
problems = []
if open('/proc/self/limits').read() != open('/proc/1/limits').read():
    problems.append('limits')
if os.getpriority(os.PRIO_PROCESS, 0) != 0:
    problems.append('nice')
cpus = status(1)['Cpus_allowed_list'].strip()
if status(os.getpid())['Cpus_allowed_list'].strip() != cpus:
    problems.append('affinity')
if os.sched_getscheduler(0) != os.SCHED_OTHER:
    problems.append('policy')
if libc.syscall(252, 1, 0) != 0:
    problems.append('ioprio')
if os.listdir('/dev/mqueue'):
    problems.append('mqueue')
for kind in ('shm', 'msg', 'sem'):
    if open('/proc/sysvipc/' + kind).read().splitlines()[1:]:
        problems.append(kind)
if problems:
    raise SystemExit(f'not pristine: {problems}')
"""
)

TAMPER = {
    "soft limit lowered": (
        "resource.prlimit(WORKER, resource.RLIMIT_NOFILE, (64, 1024))\n"
        "assert resource.prlimit(WORKER, resource.RLIMIT_NOFILE) == (64, 1024)\n",
        "same",
    ),
    "hard limit lowered": (
        "resource.prlimit(WORKER, resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))\n"
        "assert resource.prlimit(WORKER, resource.RLIMIT_FSIZE) == (1 << 20, 1 << 20)\n",
        "fresh",
    ),
    "reniced": (
        "os.setpriority(os.PRIO_PROCESS, WORKER, 19)\n"
        "assert os.getpriority(os.PRIO_PROCESS, WORKER) == 19\n",
        "fresh",
    ),
    "pinned to one CPU": (
        "os.sched_setaffinity(WORKER, {min(os.sched_getaffinity(0))})\n"
        "assert len(os.sched_getaffinity(WORKER)) == 1\n",
        "same",
    ),
    "SCHED_IDLE": (
        "os.sched_setscheduler(WORKER, os.SCHED_IDLE, os.sched_param(0))\n"
        "assert os.sched_getscheduler(WORKER) == os.SCHED_IDLE\n",
        "fresh",
    ),
    "idle I/O class": (
        "assert libc.syscall(251, 1, WORKER, 3 << 13) == 0, ctypes.get_errno()\n"
        "assert libc.syscall(252, 1, WORKER) == 3 << 13\n",
        "same",
    ),
    "POSIX message queue left": (
        "os.close(os.open('/dev/mqueue/left-behind', os.O_CREAT | os.O_RDWR, 0o600))\n"
        "assert os.listdir('/dev/mqueue') == ['left-behind']\n",
        "same",
    ),
    "System V objects left": (
        "assert libc.shmget(0, 4096, 0o1600) >= 0 and libc.msgget(0, 0o1600) >= 0\n"
        "assert libc.semget(0, 1, 0o1600) >= 0\n",
        "same",
    ),
}


def worker_of(report: RunReport) -> str:
    line = next(x for x in report.run.stdout.splitlines() if x.startswith("worker "))
    return line.split()[1]


@pytest.fixture(scope="module")
def worker_backend(client: Any) -> Any:
    settings = RunnerSettings(image=IMAGE, pool_size=0, jobs=1)
    backend = DockerBackend(settings, client=client, pooled=False)
    yield backend, settings
    backend.close()


def test_a_run_cannot_leave_its_mark_on_the_worker_for_the_next(
    worker_backend: tuple[DockerBackend, RunnerSettings],
) -> None:
    backend, settings = worker_backend
    prepared: list[PreparedRun] = []
    for number, (name, (code, _)) in enumerate(TAMPER.items()):
        for role, program in (("tamper", COMMON + code), ("sentinel", SENTINEL)):
            task = python_task(program, "pass", timeout_s=10, task_id=f"{number} {role} {name}")
            run = prepare_run(task, "a", backend=backend, settings=settings, force=True)
            assert isinstance(run, PreparedRun)
            prepared.append(run)
    worker = backend.batch_worker()
    try:
        plans = [(index, run.plan) for index, run in enumerate(prepared)]
        first = prepared[0]
        reports = {
            index: finish_run(prepared[index], results, 0.0, isolation=isolation)
            for index, results, isolation in worker.run(plans, first.limits, first.image)
        }
    finally:
        worker.close()
    assert len(reports) == len(prepared)
    for number, (name, (_, where)) in enumerate(TAMPER.items()):
        tamper, sentinel = reports[2 * number], reports[2 * number + 1]
        assert tamper.run.verdict is Verdict.PASSED, f"{name}: {tamper.run.stderr[-400:]}"
        assert sentinel.run.verdict is Verdict.PASSED, f"after {name}: {sentinel.run.stderr}"
        same = worker_of(tamper) == worker_of(sentinel)
        assert same is (where == "same"), f"{name}: expected the {where} worker"
