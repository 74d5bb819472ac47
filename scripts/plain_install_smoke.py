"""The smoke run of a plain install: what a user's `pip install coderlhf` (no extras) must run.

scripts/check-plain-install runs this with the fresh virtualenv's Python (``python -I``, so only
the installed wheel is importable). It checks, and exits non-zero on the first failure:

- ``coderlhf --help`` through the console script;
- the ``--help`` of every command and sub-command, found by walking the parser (a new command
  is covered the day it is registered). These run in this process: ``--help`` exits while the
  arguments are parsed, before any handler, so a child process per command would only add
  start-up time;
- ``coderlhf demo --no-open``: the demo workspace is created, and ``coderlhf tasks`` lists it;
- ``coderlhf server`` and ``coderlhf worker`` name the extra they need (exit 2, no traceback);
- ``coderlhf open`` on the demo workspace in a real pseudo-terminal: the queue draws a demo
  task, and the app quits cleanly on ctrl+q.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import io
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import coderlhf_tui
from coderlhf_tui.cli import build_parser, main

BIN = Path(sys.prefix) / "bin"
EXTRA_COMMANDS = {
    "server": ("server", "user", "list", "--db", "server.db"),
    "cluster": ("worker", "--scheduler", "tcp://127.0.0.1:9", "--check-only"),
}
"""Per extra, a command that needs it: on a plain install it must say which extra to install."""
APP_START_SECONDS = 90
"""How long the app may take to draw its queue (a loaded machine is slow to import Textual)."""


def fail(message: str) -> NoReturn:
    print(f"plain install: {message}", file=sys.stderr)
    raise SystemExit(1)


def command_paths(
    parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    """Every command path of the parser: (), ("import",), ("server", "user", "add"), ..."""
    yield prefix
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from command_paths(sub, (*prefix, name))


def check_helps() -> int:
    """Every command's ``--help`` exits 0 and prints its usage."""
    paths = list(command_paths(build_parser()))
    for path in paths:
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            try:
                main([*path, "--help"])
                code: object = "no exit"
            except SystemExit as exc:
                code = exc.code
        if code not in (0, None) or "usage:" not in out.getvalue():
            fail(f"coderlhf {' '.join(path)} --help (exit {code}):\n{out.getvalue()}")
    return len(paths)


def run(*args: str, status: int = 0) -> subprocess.CompletedProcess[str]:
    """One console-script command, which must exit with ``status``."""
    done = subprocess.run([str(BIN / "coderlhf"), *args], capture_output=True, text=True)
    if done.returncode != status:
        fail(f"coderlhf {' '.join(args)} exited {done.returncode}:\n{done.stdout}{done.stderr}")
    return done


def open_app(db: Path, task_ids: list[str]) -> float:
    """``coderlhf open`` in an 80x24 pseudo-terminal until a task id is drawn, then ctrl+q."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    started = time.monotonic()
    proc = subprocess.Popen(
        [str(BIN / "coderlhf"), "open", "--db", str(db), "--annotator", "smoke"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**os.environ, "TERM": "xterm-256color"},
        start_new_session=True,
    )
    os.close(slave)
    drawn = bytearray()

    def drain() -> None:
        with contextlib.suppress(OSError):
            while chunk := os.read(master, 65536):
                drawn.extend(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        while not any(task_id.encode() in drawn for task_id in task_ids):
            if proc.poll() is not None or time.monotonic() - started > APP_START_SECONDS:
                fail(f"coderlhf open did not draw the queue:\n{drawn.decode(errors='replace')}")
            time.sleep(0.1)
        seconds = time.monotonic() - started
        os.write(master, b"\x11")  # ctrl+q: quit
        code = proc.wait(timeout=30)
        if code != 0:
            fail(f"coderlhf open exited {code} on ctrl+q:\n{drawn.decode(errors='replace')}")
        return seconds
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, 9)
            proc.wait()
        os.close(master)


def smoke() -> None:
    package = Path(coderlhf_tui.__file__).resolve()
    if not package.is_relative_to(Path(sys.prefix).resolve()):
        fail(f"coderlhf_tui came from {package}, not from the plain install at {sys.prefix}")
    if "usage: coderlhf" not in run("--help").stdout:
        fail("coderlhf --help printed no usage")
    commands = check_helps()
    db = Path.cwd() / "demo.db"
    created = run("demo", "--no-open", "--db", str(db)).stdout
    counts = re.search(r": (\d+) tasks \((\d+) new\)", created)
    if counts is None or counts[1] != counts[2] or int(counts[1]) == 0:
        fail(f"coderlhf demo --no-open did not create the demo workspace:\n{created}")
    tasks = [row["id"] for row in json.loads(run("tasks", "--json", "--db", str(db)).stdout)]
    if len(tasks) != int(counts[1]):
        fail(f"the demo workspace holds {len(tasks)} tasks, the demo said {counts[1]}")
    for extra, command in EXTRA_COMMANDS.items():
        refused = run(*command, status=2)
        if f"coderlhf[{extra}]" not in refused.stderr or "Traceback" in refused.stderr:
            fail(f"coderlhf {command[0]} without the {extra} extra:\n{refused.stderr}")
    seconds = open_app(db, tasks)
    print(
        f"plain install: {commands} --help pages, the demo workspace ({len(tasks)} tasks),"
        f" the missing extras named, the app drew its queue in {seconds:.1f} s and"
        " quit cleanly"
    )


if __name__ == "__main__":
    smoke()
