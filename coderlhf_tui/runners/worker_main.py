"""The in-container worker of batch mode: runs a chunk of plans one after another.

Never imported on the host: ``docker_batch`` sends this file's text into a hardened
container as ``python3 -c SOURCE MANIFEST`` and reads its JSON lines. It must stay
standard-library Python 3.9+ (the toolbox image's interpreter is whatever Debian ships).

Why it exists: a fresh container costs the engine 0.2-0.45 s of a 2-core machine and an
exec 50 ms, while a typical unit test runs in 30-100 ms. Batch mode therefore runs many
responses in one hardened container, one at a time, and this worker makes every run start
from the state a fresh container has:

- It makes itself non-dumpable first, so a response (same uid) cannot ptrace it, read its
  memory or open its file descriptors; the plans of later runs live only in its memory
  (the manifest file is read and deleted before the first run starts).
- Every run gets empty /work, /tmp and /dev/shm, and before and after every step every
  other process of the sandbox user is killed (``kill(-1)``; the kernel's process list is
  locked against fork while it is walked, so nothing escapes it).
- A response's output only ever reaches pipes the worker reads, capped while it streams;
  it is re-encoded as JSON, so a response cannot forge a result line.
- Between runs, with every process of the sandbox user killed (so nothing can change it
  again until the next run starts), it removes every IPC object of the container's IPC
  namespace (System V shared memory, message queues and semaphores: ``IPC_RMID``; POSIX
  message queues: unlinked from the mqueue mount) and puts its own resource limits, nice
  value, CPU affinity, scheduling policy and I/O priority back to what they were when it
  started, then verifies both. A run shares the worker's uid, so it can lower those on the
  worker (and every later run would inherit them); what an unprivileged process cannot
  undo (a lowered hard limit, a raised nice value) stays different, and that retires it.
- After a run that hit a limit, or whose clean-up could not restore any of the above (a
  file, a process, an IPC object, a limit, scheduling), the worker says ``retire`` and
  stops: the host puts the remaining runs in a fresh container.

A response that kills or stops the worker itself (it can: same uid) ends the chunk; the
host sees a run begun and not finished, re-runs that one alone in a fresh container, and
the rest in another worker container.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import platform
import resource
import selectors
import signal
import stat
import subprocess
import sys
import time
from typing import Any

ROOTS = ("/work", "/tmp", "/dev/shm")
MQUEUE = "/dev/mqueue"
SYSV_KINDS = ("shm", "msg", "sem")
IPC_RMID = 0
RLIMITS = sorted(name for name in dir(resource) if name.startswith("RLIMIT_"))
IOPRIO_WHO_PROCESS = 1
IOPRIO_SYSCALLS = {"x86_64": (251, 252), "aarch64": (30, 31)}
"""(ioprio_set, ioprio_get) system call numbers; the standard library has no wrapper."""
WORKDIR = "/work"
PR_SET_DUMPABLE = 4
LINGER_S = 0.3
OOM_FILES = ("/sys/fs/cgroup/memory/memory.oom_control", "/sys/fs/cgroup/memory.events")


def emit(record: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(record) + "\n")
    sys.stdout.flush()


def oom_kills() -> int | None:
    """The container's OOM-kill count so far (cgroup v1 or v2), or None where unreadable."""
    for name in OOM_FILES:
        try:
            with open(name) as handle:
                for line in handle:
                    key, _, value = line.partition(" ")
                    if key == "oom_kill":
                        return int(value)
        except (OSError, ValueError):
            continue
    return None


def other_processes() -> list[int]:
    """Live (non-zombie) processes of our uid other than this worker."""
    me, uid = os.getpid(), os.getuid()
    found: list[int] = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == me:
            continue
        try:
            with open(f"/proc/{name}/status") as handle:
                fields = dict(line.split(":", 1) for line in handle if ":" in line)
        except OSError:
            continue
        if int(fields.get("Uid", "-1").split()[0]) == uid and "Z" not in fields.get("State", ""):
            found.append(int(name))
    return found


def kill_others() -> bool:
    """Kill every other process of the sandbox user; True when none is left."""
    for _ in range(20):
        with contextlib.suppress(ProcessLookupError):
            os.kill(-1, signal.SIGKILL)
        if not other_processes():
            return True
        time.sleep(0.01)
    return False


def wipe(path: str) -> None:
    """Remove everything under ``path`` (the response may have made it unreadable)."""
    try:
        entries = list(os.scandir(path))
    except OSError:
        return
    for entry in entries:
        full = os.path.join(path, entry.name)
        try:
            if entry.is_dir(follow_symlinks=False):
                os.chmod(full, stat.S_IRWXU)
                wipe(full)
                os.rmdir(full)
            else:
                os.unlink(full)
        except OSError:
            pass


def clean() -> str:
    """Fresh-container state: no other process, empty work dirs, no IPC object left.
    Returns what could not be reset ("" when everything was)."""
    left = [] if kill_others() else ["a process"]
    for root in ROOTS:
        wipe(root)
    if not all(not os.path.isdir(root) or not os.listdir(root) for root in ROOTS):
        left.append("a file")
    remove_sysv_ipc()
    if sysv_ipc_objects():
        left.append("a System V IPC object")
    if not clear_mqueues():
        left.append("a POSIX message queue")
    return ", ".join(left)


def sysv_ipc_ids() -> dict[str, list[int]]:
    """The ids of the System V shared memory segments, message queues and semaphore sets
    of this IPC namespace (its own: no other container's are visible)."""
    found: dict[str, list[int]] = {}
    for kind in SYSV_KINDS:
        try:
            with open(f"/proc/sysvipc/{kind}") as handle:
                rows = handle.read().splitlines()[1:]
        except OSError:
            continue
        found[kind] = [int(row.split()[1]) for row in rows if row.split()]
    return found


def sysv_ipc_objects() -> bool:
    return any(sysv_ipc_ids().values())


def remove_sysv_ipc() -> None:
    """IPC_RMID every System V object a run left (they are the sandbox user's own)."""
    ids = sysv_ipc_ids()
    if not any(ids.values()):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for ident in ids.get("shm", []):
        libc.shmctl(ident, IPC_RMID, None)
    for ident in ids.get("msg", []):
        libc.msgctl(ident, IPC_RMID, None)
    for ident in ids.get("sem", []):
        libc.semctl(ident, 0, IPC_RMID)


def clear_mqueues() -> bool:
    """Unlink every POSIX message queue (each is a file of the namespace's mqueue mount);
    True when none is left. Without the mount nothing can be listed: False (retire)."""
    if not os.path.ismount(MQUEUE):
        return False
    for name in os.listdir(MQUEUE):
        with contextlib.suppress(OSError):
            os.unlink(os.path.join(MQUEUE, name))
    return not os.listdir(MQUEUE)


def ioprio(value: int | None = None) -> int | None:
    """This process's I/O priority (ioprio_get), or set it first; None where unknown."""
    numbers = IOPRIO_SYSCALLS.get(platform.machine())
    if numbers is None:
        return None
    libc = ctypes.CDLL(None, use_errno=True)
    if value is not None:
        libc.syscall(numbers[0], IOPRIO_WHO_PROCESS, 0, value)
    result: int = libc.syscall(numbers[1], IOPRIO_WHO_PROCESS, 0)
    return result


def scheduling() -> dict[str, Any]:
    """What a run inherits from the worker and could change in it (same uid: prlimit,
    setpriority, sched_setaffinity, sched_setscheduler and ioprio_set all succeed on a
    non-dumpable process): resource limits, nice value, CPU affinity, scheduling policy,
    I/O priority."""
    return {
        "limits": {name: resource.getrlimit(getattr(resource, name)) for name in RLIMITS},
        "nice": os.getpriority(os.PRIO_PROCESS, 0),
        "affinity": sorted(os.sched_getaffinity(0)),
        "policy": os.sched_getscheduler(0),
        "ioprio": ioprio(),
    }


def reassert(pristine: dict[str, Any]) -> str:
    """Put back the worker's limits and scheduling as they were at its start, as far as an
    unprivileged process may (a lowered hard limit, a raised nice value cannot be undone),
    then verify; returns what still differs ("" when nothing)."""
    for name, limits in pristine["limits"].items():
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(getattr(resource, name), limits)
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, 0, pristine["nice"])
    with contextlib.suppress(OSError, ValueError):
        os.sched_setaffinity(0, pristine["affinity"])
    with contextlib.suppress(OSError):
        os.sched_setscheduler(0, pristine["policy"], os.sched_param(0))
    if pristine["ioprio"] is not None:
        ioprio(pristine["ioprio"])
    now = scheduling()
    return ", ".join(f"the worker's {key}" for key in pristine if now[key] != pristine[key])


def write_files(files: dict[str, str]) -> None:
    old = os.umask(0o022)
    try:
        for path, text in files.items():
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
    finally:
        os.umask(old)


def set_oom_score(value: int) -> None:
    """Children inherit this: raised to 1000 around a spawn, the response rather than the
    worker is the OOM killer's first choice. (An unprivileged process may lower it back
    down to where it started.)"""
    try:
        with open("/proc/self/oom_score_adj", "w") as handle:
            handle.write(str(value))
    except OSError:
        pass


def nonce_pipe(nonce: str) -> int:
    """The reading end of a pipe that holds ``nonce`` and nothing more (writer closed)."""
    read_end, write_end = os.pipe()
    os.write(write_end, nonce.encode("ascii") + b"\n")
    os.close(write_end)
    return read_end


def run_step(
    command: str, stdin_path: str | None, budget: float, cap: int, nonce: str | None = None
) -> dict[str, Any]:
    """One step, killed (with everything it started) when its budget is spent; output
    capped while it streams. The worker is the in-container enforcer here (``timeout``
    would only add an exec per step); the host's watchdog is the outside one. A proof
    step's nonce arrives as its stdin (the host's command moves it to fd 9)."""
    argv = ["sh", "-c", command]
    stdin: Any = subprocess.DEVNULL
    if nonce:
        stdin = nonce_pipe(nonce)
    elif stdin_path:
        stdin = open(stdin_path, "rb")  # noqa: SIM115
    started = time.monotonic()
    deadline = started + budget
    set_oom_score(1000)
    proc = subprocess.Popen(
        argv,
        cwd=WORKDIR,
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        close_fds=True,
        start_new_session=True,
    )
    set_oom_score(0)
    if nonce:
        os.close(stdin)
    elif stdin_path:
        stdin.close()
    out, err = bytearray(), bytearray()
    killed = truncated = False
    status: int | None = None
    rusage: Any = None
    exited_at = 0.0
    selector = selectors.DefaultSelector()
    for pipe, sink in ((proc.stdout, out), (proc.stderr, err)):
        assert pipe is not None
        selector.register(os.dup(pipe.fileno()), selectors.EVENT_READ, sink)
        pipe.close()
    while selector.get_map():
        now = time.monotonic()
        if now >= deadline and not killed:
            killed = True
            kill_others()
        if status is None:
            pid, raw, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                status, rusage, exited_at = raw, usage, now
        elif now - exited_at > LINGER_S:
            kill_others()  # the command is over; a leftover child holds its output open
        for key, _ in selector.select(timeout=0.05):
            chunk = os.read(key.fd, 65536)
            if not chunk:
                selector.unregister(key.fd)
                os.close(key.fd)
                continue
            if not truncated:
                key.data.extend(chunk)
                if len(out) + len(err) > cap:
                    truncated = True
                    kill_others()
    selector.close()
    if status is None:
        _, status, rusage = os.wait4(proc.pid, 0)
    proc.returncode = 0  # reaped above; keeps Popen from waiting again
    code = os.waitstatus_to_exitcode(status)
    if code < 0:
        code = 128 - code  # as a shell reports a signal
    return {
        "exit_code": None if killed or truncated else code,
        "stdout": bytes(out[:cap]).decode("utf-8", "replace"),
        "stderr": bytes(err[:cap]).decode("utf-8", "replace"),
        "duration_s": time.monotonic() - started,
        "killed": killed,
        "truncated": truncated,
        "peak_mb": rusage.ru_maxrss / 1024 if rusage else None,
    }


def run_job(job: dict[str, Any], limits: dict[str, Any]) -> tuple[list[dict[str, Any]], bool]:
    """The plan's steps in order, with the single-run backend's stopping rules; also says
    whether a step was killed (time, memory, output or a SIGKILL), which retires the worker."""
    write_files(job["files"])
    results: list[dict[str, Any]] = []
    run_budget, hit_limit = float(limits["timeout_s"]), False
    for index, step in enumerate(job["steps"]):
        if index:
            kill_others()
        budget = limits["compile_timeout_s"] if step["kind"] == "compile" else run_budget
        if budget <= 0.05:
            results.append({"skipped": True})
            return results, True
        before = oom_kills()
        raw = run_step(
            step["command"], step.get("stdin_path"), budget, limits["cap"], step.get("nonce")
        )
        after = oom_kills()
        raw["oom"] = before is not None and after is not None and after > before
        results.append(raw)
        if step["kind"] == "run":
            run_budget -= raw["duration_s"]
        code = raw["exit_code"]
        timed_out = raw["killed"] or (code == 137 and raw["duration_s"] >= budget)
        oom_killed = raw["oom"] and code in (137, None)
        hit_limit = hit_limit or code == 137 or raw["oom"]
        if timed_out or oom_killed or raw["truncated"] or code is None:
            return results, True
        if step["kind"] == "compile" and code != 0:
            break
    return results, hit_limit


def main() -> None:
    ctypes.CDLL(None).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    manifest_path = sys.argv[1]
    with open(manifest_path, encoding="utf-8") as handle:
        manifest = json.load(handle)
    os.unlink(manifest_path)
    left = clean()
    if left:
        emit({"retire": f"not clean before the first run: {left}"})
        return
    pristine = scheduling()
    for job in manifest["jobs"]:
        steps, hit_limit = run_job(job, manifest["limits"])
        left = ", ".join(filter(None, [clean(), reassert(pristine)]))
        emit({"id": job["id"], "steps": steps})
        if hit_limit or left:
            emit({"retire": "a limit was hit" if hit_limit else f"could not reset {left}"})
            return
    emit({"done": True})


if __name__ == "__main__":
    main()
