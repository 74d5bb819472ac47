"""Hostile responses in the Docker sandbox: each contained, with the right verdict, in time.

After every case: the run ended within its limit (plus a fixed grace for the sandbox), no
container this process made is left, no process of the containers it used survives, and
the host shows no trace (no file written, no connection received, no secret read).
"""

from __future__ import annotations

import os
import shutil
import socket
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from coderlhf_tui.domain import TestRun, Verdict
from coderlhf_tui.runners.base import run_response
from coderlhf_tui.runners.docker_backend import DockerBackend
from coderlhf_tui.runners.docker_sandbox import owner_label
from coderlhf_tui.runners.settings import RunnerSettings
from tests.runners.helpers import our_containers, processes_of, processes_with, python_task

TIMEOUT_S = 3.0
GRACE_S = 6.0
"""Container start, file writing and removal on a loaded 2-core machine."""

MARK = uuid.uuid4().hex[:12]
HOST_FILE = Path(f"/tmp/coderlhf-hostile-{MARK}")
SECRET = Path(f"/root/coderlhf-secret-{MARK}")


@dataclass
class Case:
    name: str
    code: str
    verdicts: tuple[Verdict, ...]
    tests: str = "pass"
    memory_mb: int | None = None
    must_not_print: str = ""
    extra_checks: list[str] = field(default_factory=list)


CASES = [
    Case(
        "fork bomb",
        "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass",
        (Verdict.TIME_LIMIT, Verdict.RUNTIME_ERROR),
    ),
    Case("infinite loop", "while True:\n    pass", (Verdict.TIME_LIMIT,)),
    Case("sleep forever", "import time\ntime.sleep(10**6)", (Verdict.TIME_LIMIT,)),
    Case(
        "memory bomb",
        "chunks = []\nwhile True:\n    chunks.append(bytearray(64 * 1024 * 1024))",
        (Verdict.MEMORY_LIMIT,),
        memory_mb=256,
    ),
    Case("endless stdout", "while True:\n    print('y' * 4096)", (Verdict.OUTPUT_LIMIT,)),
    Case(
        "endless stderr",
        "import sys\nwhile True:\n    sys.stderr.write('e' * 4096)",
        (Verdict.OUTPUT_LIMIT,),
    ),
    Case(
        "disk fill",
        "import os\n"
        "for d in ('/work', '/tmp', '/dev/shm'):\n"
        "    with open(d + '/fill', 'wb') as f:\n"
        "        try:\n"
        "            while True:\n"
        "                f.write(b'0' * (1 << 20))\n"
        "        except OSError:\n"
        "            pass\n"
        "raise SystemExit('disk is full')",
        (Verdict.RUNTIME_ERROR,),
    ),
    Case(
        "thread exhaustion",
        "import threading, time\n"
        "while True:\n"
        "    threading.Thread(target=time.sleep, args=(1000,), daemon=True).start()",
        (Verdict.RUNTIME_ERROR,),
    ),
    Case(
        "network connection",
        "import socket\n"
        "for host in ('1.1.1.1', '127.0.0.1', 'host.docker.internal'):\n"
        "    try:\n"
        "        socket.create_connection((host, PORT), timeout=1)\n"
        "    except OSError:\n"
        "        continue\n"
        "    raise SystemExit('connected to ' + host)\n"
        "raise SystemExit('no network')",
        (Verdict.RUNTIME_ERROR,),
        must_not_print="connected",
    ),
    Case(
        "read /etc/shadow",
        "print(open('/etc/shadow').read())",
        (Verdict.RUNTIME_ERROR,),
        must_not_print="root:",
    ),
    Case(
        "read /root",
        f"import os\nprint(os.listdir('/root'))\nprint(open('{SECRET}').read())",
        (Verdict.RUNTIME_ERROR,),
        must_not_print=MARK,
    ),
    Case(
        "docker socket",
        "import socket\n"
        "s = socket.socket(socket.AF_UNIX)\n"
        "s.connect('/var/run/docker.sock')\n"
        "s.sendall(b'GET /containers/json HTTP/1.0\\r\\n\\r\\n')\n"
        "print(s.recv(1000))",
        (Verdict.RUNTIME_ERROR,),
        must_not_print="HTTP/1",
    ),
    Case(
        "write outside the work dir",
        "import os\n"
        f"for p in ('/usr/pwned', '/etc/pwned', '/pwned', '/work/../pwned', '{HOST_FILE}'):\n"
        "    try:\n"
        "        open(p, 'w').write('x')\n"
        "    except OSError:\n"
        "        continue\n"
        "    if not p.startswith('/tmp/'):\n"
        "        raise SystemExit('wrote ' + p)\n"
        "raise SystemExit('nothing written')",
        (Verdict.RUNTIME_ERROR,),
        must_not_print="wrote",
    ),
    Case(
        "setuid",
        "import os, subprocess\n"
        "for attempt in (lambda: os.setuid(0), lambda: os.setgid(0)):\n"
        "    try:\n"
        "        attempt()\n"
        "        raise SystemExit('became root')\n"
        "    except PermissionError:\n"
        "        pass\n"
        "print(subprocess.run(['id', '-u'], capture_output=True, text=True).stdout)\n"
        "assert os.getuid() == 65534 and os.geteuid() == 65534\n"
        "raise SystemExit('still nobody')",
        (Verdict.RUNTIME_ERROR,),
        must_not_print="became root",
    ),
    Case(
        "child in a new session outlives the run",
        "import subprocess\n"
        f"subprocess.Popen(['setsid', 'sh', '-c', 'sleep 7777.{MARK[:6]}; touch /work/x'])\n",
        (Verdict.PASSED,),
        extra_checks=["no_sleeper"],
    ),
    Case(
        "ignores SIGTERM",
        "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "while True:\n    time.sleep(0.1)",
        (Verdict.TIME_LIMIT,),
    ),
    Case(
        "reads stdin forever",
        "import sys\nwhile True:\n    line = sys.stdin.readline()\n    if not line:\n"
        "        raise SystemExit('stdin is closed')",
        (Verdict.RUNTIME_ERROR,),
    ),
    Case("segfault", "import ctypes\nctypes.string_at(0)", (Verdict.RUNTIME_ERROR,)),
    Case("compile error", "def broken(:\n    pass", (Verdict.COMPILE_ERROR,)),
    Case(
        "kills its own sandbox",
        "import os, signal\nos.kill(-1, signal.SIGKILL)",
        (Verdict.RUNTIME_ERROR,),
    ),
]


@pytest.fixture(scope="module")
def host_traps() -> Iterator[dict[str, Any]]:
    """A secret under /root and a loopback listener the sandbox must not reach."""
    SECRET.write_text(f"secret {MARK}")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(0.05)
    yield {"port": listener.getsockname()[1], "listener": listener}
    listener.close()
    SECRET.unlink(missing_ok=True)
    HOST_FILE.unlink(missing_ok=True)


@pytest.mark.xdist_group("hostile")
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_response_is_contained(
    case: Case,
    backend: DockerBackend,
    settings: RunnerSettings,
    client: Any,
    host_traps: dict[str, Any],
) -> None:
    code = case.code.replace("PORT", str(host_traps["port"]))
    task = python_task(code, case.tests, timeout_s=TIMEOUT_S, memory_mb=case.memory_mb)
    disk_before = shutil.disk_usage("/").used
    started = time.monotonic()
    run: TestRun = run_response(task, "a", backend=backend, settings=settings)
    elapsed = time.monotonic() - started
    assert run.verdict in case.verdicts, f"{run.verdict}: {run.detail}\n{run.stderr[-500:]}"
    assert elapsed < TIMEOUT_S + GRACE_S, f"took {elapsed:.1f} s"
    if case.must_not_print:
        assert case.must_not_print not in run.stdout + run.stderr
    # nothing left: no container of ours, no process of the containers used
    assert our_containers(client, owner_label()) == []
    assert processes_of(list(backend.history)[-1:]) == []
    # the host is untouched
    with pytest.raises(TimeoutError):
        host_traps["listener"].accept()
    assert not HOST_FILE.exists()
    assert not Path("/pwned").exists() and not Path("/usr/pwned").exists()
    assert SECRET.read_text() == f"secret {MARK}"
    assert shutil.disk_usage("/").used - disk_before < 200 << 20
    if "no_sleeper" in case.extra_checks:
        assert processes_with(f"7777.{MARK[:6]}") == []


@pytest.mark.xdist_group("hostile")
def test_symlinks_in_the_work_dir_stay_inside(
    backend: DockerBackend, settings: RunnerSettings
) -> None:
    code = (
        "import os\n"
        "os.symlink('/etc/passwd', '/work/link')\n"
        "os.symlink('/', '/work/rootlink')\n"
        "try:\n"
        "    open('/work/rootlink/usr/evil', 'w')\n"
        "    raise SystemExit('escaped')\n"
        "except OSError:\n"
        "    pass\n"
    )
    run = run_response(python_task(code, "pass"), "a", backend=backend, settings=settings)
    assert run.verdict is Verdict.PASSED, run.detail
    assert not Path("/usr/evil").exists()
    assert os.path.exists("/etc/passwd")
