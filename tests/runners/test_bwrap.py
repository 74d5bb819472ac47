"""The bubblewrap backend: real sandboxes on the host's toolchain (/usr), no Docker needed."""

from __future__ import annotations

import socket
import tempfile
import time
from pathlib import Path

import pytest

from coderlhf_tui.domain import IoCase, TestKind, Verdict
from coderlhf_tui.runners.base import run_response
from coderlhf_tui.runners.bwrap_backend import BwrapBackend
from coderlhf_tui.runners.settings import RunnerSettings
from tests.runners.helpers import bwrap_ready, processes_with, python_task

CHECK = "def check(candidate):\n    assert candidate(2) == 3\n"


@pytest.fixture(scope="module")
def bw() -> BwrapBackend:
    bwrap_ready()
    return BwrapBackend(RunnerSettings(bwrap_root="/"))


SETTINGS = RunnerSettings(bwrap_root="/")


def run(task, work_root: Path | None = None):  # type: ignore[no-untyped-def]
    bwrap_ready()
    backend = BwrapBackend(SETTINGS, work_root=work_root)
    return run_response(task, "a", backend=backend, settings=SETTINGS)


@pytest.mark.parametrize(
    ("code", "verdict"),
    [
        ("def inc(x): return x + 1", Verdict.PASSED),
        ("def inc(x): return x", Verdict.FAILED),
        ("def inc(x) return x", Verdict.COMPILE_ERROR),
        ("import ctypes\ndef inc(x): return ctypes.string_at(0)", Verdict.RUNTIME_ERROR),
    ],
)
def test_basic_verdicts(code: str, verdict: Verdict) -> None:
    result = run(python_task(code, CHECK, entry_point="inc"))
    assert result.verdict is verdict, result.detail
    assert result.isolation == "bwrap"


def test_io_and_limits() -> None:
    cases = (IoCase("2\n", "4\n"), IoCase("3\n", "6\n"))
    assert run(python_task("print(int(input())*2)", kind=TestKind.IO, cases=cases)).passed == 2
    started = time.monotonic()
    loop = run(python_task("while True: pass", "pass", timeout_s=1))
    assert loop.verdict is Verdict.TIME_LIMIT and time.monotonic() - started < 4
    spam = run(python_task("while True: print('x' * 1000)", "pass"))
    assert spam.verdict is Verdict.OUTPUT_LIMIT
    big = run(python_task("x = bytearray(4 * 1024**3)", "pass"))
    assert big.verdict is Verdict.MEMORY_LIMIT


def test_host_is_out_of_reach(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("s3cret")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.1)
    port = listener.getsockname()[1]
    code = (
        "import os, socket\n"
        f"for p in ['/etc/shadow', {str(secret)!r}, '/root', '/var/run/docker.sock']:\n"
        "    assert not os.path.exists(p), p\n"
        "try:\n"
        f"    socket.create_connection(('127.0.0.1', {port}), timeout=1)\n"
        "    raise SystemExit('connected')\n"
        "except OSError:\n"
        "    pass\n"
        "for p in ['/usr/pwned', '/etc/pwned', '/pwned']:\n"
        "    try:\n"
        "        open(p, 'w')\n"
        "        raise SystemExit('wrote ' + p)\n"
        "    except OSError:\n"
        "        pass\n"
        "os.symlink('/', '/work/root-link')\n"
        "assert os.getuid() == 65534\n"
        "import subprocess\n"
        "subprocess.Popen(['setsid', 'sleep', '8765.4321'])\n"
    )
    work_root = Path(tempfile.mkdtemp(prefix="coderlhf-test-runs-"))
    work_root.chmod(0o755)  # the sandbox user must reach its work dir inside
    result = run(python_task(code, "pass"), work_root)
    assert result.verdict is Verdict.PASSED, result.detail + result.stderr
    with pytest.raises(TimeoutError):
        listener.accept()
    listener.close()
    assert secret.read_text() == "s3cret"
    assert not Path("/usr/pwned").exists() and not Path("/pwned").exists()
    time.sleep(0.2)
    assert processes_with("8765.4321") == []
    assert list(work_root.iterdir()) == []  # the work dir is gone, symlink and all
    work_root.rmdir()


def test_fork_bomb_is_contained() -> None:
    started = time.monotonic()
    result = run(python_task("import os\nwhile True:\n    os.fork()", "pass", timeout_s=3))
    assert result.verdict in (Verdict.RUNTIME_ERROR, Verdict.TIME_LIMIT)
    assert time.monotonic() - started < 8
