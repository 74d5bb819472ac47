"""Keys typed into the real app through a real pseudo-terminal, costed by the kernel (issue 18).

The truest measure of what a key costs: the app runs as a user runs it (``python -m
coderlhf_tui open``) in a 160x48 pseudo-terminal, each key is written to the terminal as
the bytes a terminal emulator writes, and the cost is the app's main-thread CPU time as
the kernel accounts it (``/proc/<pid>/task/<pid>/schedstat``, nanoseconds), read before
the byte is written and again once the app's output has been quiet for ``QUIET_S`` (it
drew its frame). Nothing is subtracted. The in-process measures of ``app_perf.py`` run
the harness on the app's own thread and event loop and skip Textual's input thread and
key parsing; here the harness is another process and the app does all it really does
for a key: read and parse the bytes, dispatch, edit, autosave, lay out, draw, write.

What a window with no key costs (timers, the cursor blink, the sync tick) is measured the
same way and printed beside the keys, not subtracted. The peer is the same harness on a
bare Textual app holding only a soft-wrapped ``TextArea`` (``--peer-app``), started the
same way in a fresh process; the ratio is ours to it.

Reuse for other keys: ``PtyApp.start(argv)`` starts any command in a terminal;
``open_first_task``, ``focus_rationale``, ``time_keys(app, keys)`` (main-thread CPU per
key, in ms) and ``idle_windows(app, n)`` are the steps; ``KEYS`` holds the bytes of a few
named keys (``enter``, ``ctrl+s``, ...).

Run: .venv/bin/python benchmarks/pty_keys.py [--tasks 10000] [--chars 198] [--db WORKSPACE]
     [--json]
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SIZE = (160, 48)
"""Columns and rows of the terminal (as app_perf)."""

QUIET_S = 0.04
"""A key is done when the app has written nothing for this long (its frame is out)."""

LONGEST_KEY_S = 2.0
"""A window that never goes quiet ends here (counted as ``not_quiet``)."""

TYPED = "the left response handles empty input and the right one does not " * 3
"""What both the app and the peer type, one key per character (as app_perf types)."""

KEYS = {
    "enter": b"\r",
    "backspace": b"\x7f",
    "escape": b"\x1b",
    "tab": b"\t",
    "up": b"\x1b[A",
    "down": b"\x1b[B",
    "right": b"\x1b[C",
    "left": b"\x1b[D",
    "ctrl+q": b"\x11",
    "ctrl+s": b"\x13",
    "space": b" ",
}
"""The bytes an xterm sends for a few named keys (a character is its own UTF-8 bytes)."""


def schedstat_path(pid: int) -> Path:
    """The kernel's CPU account of a process's main thread (its tid is its pid)."""
    return Path(f"/proc/{pid}/task/{pid}/schedstat")


def schedstat_readable() -> bool:
    """Whether this kernel keeps per-thread CPU time in nanoseconds where we read it."""
    return schedstat_path(os.getpid()).is_file()


@dataclass
class PtyApp:
    """A process in a pseudo-terminal: ``output`` is everything it has drawn, read by the
    harness itself (no thread of ours competes with the app for a core)."""

    proc: subprocess.Popen[bytes]
    master: int
    output: bytearray = field(default_factory=bytearray)
    last_output: float = 0.0
    not_quiet: int = 0

    @classmethod
    def start(cls, argv: Sequence[str], env: dict[str, str] | None = None) -> PtyApp:
        """Start ``argv`` on a new 160x48 terminal, in its own session."""
        master, slave = pty.openpty()
        columns, rows = SIZE
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        environment = {
            **(env or os.environ),
            "TERM": "xterm-256color",
            "COLUMNS": str(columns),
            "LINES": str(rows),
        }
        proc = subprocess.Popen(
            list(argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=environment,
            start_new_session=True,
            cwd=ROOT,
        )
        os.close(slave)
        return cls(proc, master, last_output=time.monotonic())

    def main_thread_cpu_ns(self) -> int:
        """The app's main thread's CPU time so far, as the kernel counts it."""
        return int(schedstat_path(self.proc.pid).read_text().split()[0])

    def read(self, timeout: float) -> bool:
        """Take what the app wrote within ``timeout`` seconds; False when it wrote nothing."""
        ready, _, _ = select.select([self.master], [], [], max(timeout, 0.0))
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 1 << 16)
        except OSError:  # the app closed its terminal
            chunk = b""
        if not chunk:
            raise RuntimeError(f"the app ended (exit {self.proc.wait(5)}): {self.tail()}")
        self.output.extend(chunk)
        self.last_output = time.monotonic()
        return True

    def tail(self, size: int = 600) -> str:
        return bytes(self.output[-size:]).decode(errors="replace")

    def wait_quiet(self, since: float, quiet_s: float = QUIET_S) -> None:
        """Return once nothing was written for ``quiet_s`` after ``since`` (and after the
        last output), or after ``LONGEST_KEY_S``."""
        give_up = since + LONGEST_KEY_S
        while True:
            now = time.monotonic()
            quiet_until = max(since, self.last_output) + quiet_s
            if now >= quiet_until:
                return
            if now >= give_up:
                self.not_quiet += 1
                return
            self.read(min(quiet_until, give_up) - now)

    def wait_for(self, text: bytes, start: int = 0, timeout: float = 60.0) -> bool:
        """Read until ``text`` is in the output after offset ``start``."""
        deadline = time.monotonic() + timeout
        while text not in self.output[start:]:
            if time.monotonic() >= deadline:
                return False
            self.read(deadline - time.monotonic())
        return True

    def write(self, key: bytes) -> None:
        os.write(self.master, key)

    def key_cpu_ms(self, key: bytes) -> float:
        """Write one key; its main-thread CPU (ms) until the app's output went quiet."""
        before = self.main_thread_cpu_ns()
        self.write(key)
        self.wait_quiet(time.monotonic())
        return (self.main_thread_cpu_ns() - before) / 1e6

    def idle_cpu_ms(self) -> float:
        """The same window with no key: main-thread CPU (ms) until the output is quiet."""
        before = self.main_thread_cpu_ns()
        self.wait_quiet(time.monotonic())
        return (self.main_thread_cpu_ns() - before) / 1e6

    def close(self, quit_key: bytes = KEYS["ctrl+q"]) -> int:
        """Quit with ``quit_key`` (the app saves first); end it if it does not go."""
        try:
            with suppress(OSError):  # the app may have ended already
                self.write(quit_key)
            deadline = time.monotonic() + 15
            while self.proc.poll() is None and time.monotonic() < deadline:
                try:
                    self.read(0.1)
                except RuntimeError:
                    break
        finally:
            if self.proc.poll() is None:
                self.proc.terminate()
                try:
                    self.proc.wait(10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(10)
            os.close(self.master)
        return self.proc.returncode


def key_bytes(char: str) -> bytes:
    """What a terminal sends for one typed character."""
    return char.encode()


def open_app(db: Path, annotator: str, env: dict[str, str] | None = None) -> PtyApp:
    """``coderlhf open`` on ``db``, waited for until its queue is drawn and settled."""
    app = PtyApp.start(
        [sys.executable, "-m", "coderlhf_tui", "open", "--db", str(db), "--annotator", annotator],
        env,
    )
    if not app.wait_for(b"Next unfinished", timeout=120):
        app.close()
        raise RuntimeError(f"the queue was not drawn: {app.tail()}")
    app.wait_quiet(time.monotonic(), 0.5)
    return app


def open_first_task(app: PtyApp) -> None:
    """Open the queue's first task with ``enter`` and wait for its screen to settle."""
    start = len(app.output)
    app.write(KEYS["enter"])
    if not app.wait_for(b"Rationale", start, timeout=60):
        raise RuntimeError(f"the task did not open: {app.tail()}")
    app.wait_quiet(time.monotonic(), 0.5)


def focus_rationale(app: PtyApp, probe: str = "Q") -> None:
    """Put the cursor in the rationale with ``r``: an unbound ``probe`` typed after it
    shows as "1 characters" once the editor has the keys; it is then deleted."""
    for _ in range(20):
        app.write(b"r")
        app.wait_quiet(time.monotonic(), 0.2)
        start = len(app.output)
        app.write(key_bytes(probe))
        if app.wait_for(b"1 characters", start, timeout=3):
            break
    else:
        raise RuntimeError(f"the rationale did not take the keys: {app.tail()}")
    start = len(app.output)
    app.write(KEYS["backspace"])
    if not app.wait_for(b"0 characters", start, timeout=30):
        raise RuntimeError(f"the probe was not deleted: {app.tail()}")
    app.wait_quiet(time.monotonic(), 0.5)


def time_keys(app: PtyApp, keys: Iterable[bytes]) -> list[float]:
    """Main-thread CPU (ms) of each key, one at a time, each after the last went quiet."""
    return [app.key_cpu_ms(key) for key in keys]


def idle_windows(app: PtyApp, count: int) -> list[float]:
    """Main-thread CPU (ms) of ``count`` windows with no key."""
    return [app.idle_cpu_ms() for _ in range(count)]


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def summary(prefix: str, values: Sequence[float]) -> dict[str, float]:
    return {
        f"{prefix}_cpu_ms_p50": round(statistics.median(values), 2),
        f"{prefix}_cpu_ms_p95": round(percentile(values, 0.95), 2),
        f"{prefix}_cpu_ms_max": round(max(values), 2),
    }


def isolated_env(folder: Path) -> dict[str, str]:
    """The user's environment with config and data folders of the run's own (no login, so
    no background sync, and no user keymap)."""
    return {
        **os.environ,
        "CODERLHF_CONFIG": str(folder / "config.yaml"),
        "XDG_DATA_HOME": str(folder / "data"),
    }


def measure_ours(db: Path, text: str, env: dict[str, str]) -> dict[str, float]:
    app = open_app(db, "bench", env)
    try:
        open_first_task(app)
        focus_rationale(app)
        idle = idle_windows(app, 20)
        start = len(app.output)
        keys = time_keys(app, [key_bytes(char) for char in text])
        counted = f"{len(text.strip())} characters".encode()
        if not app.wait_for(counted, start, timeout=10):
            raise RuntimeError(f"not every key reached the rationale: {app.tail()}")
        idle += idle_windows(app, 20)
        not_quiet = app.not_quiet
    finally:
        app.close()
    return {
        **summary("typing_key", keys),
        **summary("idle_window", idle),
        "keys": len(keys),
        "windows_not_quiet": not_quiet,
    }


def measure_peer(text: str) -> dict[str, float]:
    app = PtyApp.start([sys.executable, __file__, "--peer-app"])
    try:
        if not app.wait_for(b"peer ready", timeout=60):
            raise RuntimeError(f"the peer did not start: {app.tail()}")
        app.wait_quiet(time.monotonic(), 0.5)
        idle = idle_windows(app, 20)
        keys = time_keys(app, [key_bytes(char) for char in text])
        idle += idle_windows(app, 20)
    finally:
        app.close()
    return {**summary("peer_typing_key", keys), **summary("peer_idle_window", idle)}


def peer_app() -> None:
    """The peer: a bare Textual app holding only a soft-wrapped, focused TextArea."""
    from textual.app import App, ComposeResult
    from textual.widgets import TextArea

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield TextArea("", soft_wrap=True)

        def on_mount(self) -> None:
            self.query_one(TextArea).border_title = "peer ready"

    Bare().run()


def make_workspace(db: Path, tasks: int) -> None:
    """The 10,000-task workspace of app_perf, built in a child process."""
    script = Path(__file__).with_name("app_perf.py")
    subprocess.run(
        [sys.executable, str(script), "--make", str(db), "--tasks", str(tasks)], check=True
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--chars", type=int, default=len(TYPED), help="keys typed")
    parser.add_argument("--db", type=Path, help="an existing workspace instead of a new one")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--peer-app", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.peer_app:
        peer_app()
        return 0
    if not schedstat_readable():
        print("this kernel does not expose /proc/<pid>/task/<tid>/schedstat", file=sys.stderr)
        return 2
    text = (TYPED * (args.chars // len(TYPED) + 1))[: args.chars]
    load_at_start = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        db = args.db
        if db is None:
            db = Path(folder) / "bench.db"
            make_workspace(db, args.tasks)
        ours = measure_ours(db, text, isolated_env(Path(folder)))
    peer = measure_peer(text)
    result: dict[str, object] = {"tasks": args.tasks if args.db is None else str(args.db)}
    result.update(ours)
    result.update(peer)
    for share in ("p95", "p50"):
        result[f"typing_to_peer_ratio_{share}"] = round(
            ours[f"typing_key_cpu_ms_{share}"] / peer[f"peer_typing_key_cpu_ms_{share}"], 2
        )
    result["load_average_at_start"] = [round(load, 1) for load in load_at_start]
    result["load_average_1m_at_end"] = round(os.getloadavg()[0], 1)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    for key, value in result.items():
        print(f"{key:36} {value}")
    print(
        f"\ntyping in the rationale, real terminal, main-thread CPU per key (target p95 <= 10 ms):"
        f"\n  ours p50/p95 {result['typing_key_cpu_ms_p50']} / {result['typing_key_cpu_ms_p95']} ms"
        f"   bare TextArea peer {result['peer_typing_key_cpu_ms_p50']}"
        f" / {result['peer_typing_key_cpu_ms_p95']} ms"
        f"   ratio p95 {result['typing_to_peer_ratio_p95']}x"
        f"\n  idle window (no key) p50/p95 {result['idle_window_cpu_ms_p50']}"
        f" / {result['idle_window_cpu_ms_p95']} ms (not subtracted)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
