"""The app in a real pseudo-terminal (160x48) for the tests that need one: a subprocess
of ``coderlhf open`` and a thread that keeps reading what it draws.

With ``controlling=True`` the pseudo-terminal becomes the app's controlling terminal, as
a login shell's terminal is: closing it then makes the kernel send the app SIGHUP, as
when an SSH connection drops. Without it, closing the terminal only hangs up stdin."""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Terminal:
    """A running app: write keys to ``master``; ``output`` grows with what it draws, and
    ``arrivals`` holds (monotonic time, length of ``output``) after each read."""

    proc: subprocess.Popen[bytes]
    master: int
    output: bytearray
    arrivals: list[tuple[float, int]] = field(default_factory=list)
    closed: bool = False

    def drawn_before(self, moment: float) -> bytes:
        """What the app had drawn by ``moment`` (time.monotonic())."""
        length = 0
        for at, size in list(self.arrivals):
            if at > moment:
                break
            length = size
        return bytes(self.output[:length])

    def hang_up(self) -> None:
        """Close the terminal's master side, as a terminal window or SSH connection closing."""
        if not self.closed:
            self.closed = True
            os.close(self.master)

    def kill(self) -> None:
        """SIGKILL the app's process group and close the terminal."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.hang_up()


TAKE_TERMINAL = (
    "import fcntl, os, sys, termios; fcntl.ioctl(0, termios.TIOCSCTTY, 0);"
    " os.execv(sys.executable, [sys.executable, *sys.argv[1:]])"
)
"""Run in the new session before the app: make stdin its controlling terminal, then exec."""


def open_in_terminal(
    workspace: Path, annotator: str = "ak", *, controlling: bool = False
) -> Terminal:
    """Start ``coderlhf open`` on ``workspace`` in a new 160x48 pseudo-terminal."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 48, 160, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "160", "LINES": "48"}
    command = [sys.executable, "-m", "coderlhf_tui", "open", "--db", str(workspace)]
    if controlling:
        command = [sys.executable, "-c", TAKE_TERMINAL, *command[1:]]
    proc = subprocess.Popen(
        [*command, "--annotator", annotator],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    terminal = Terminal(proc, master, bytearray())

    def drain() -> None:  # keep the pty from filling up; remember what was drawn, and when
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            terminal.output.extend(chunk)
            terminal.arrivals.append((time.monotonic(), len(terminal.output)))

    threading.Thread(target=drain, daemon=True).start()
    return terminal
