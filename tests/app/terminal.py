"""The app in a real pseudo-terminal (160x48) for the tests that need one: a subprocess
of ``coderlhf open`` and a thread that keeps reading what it draws."""

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
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Terminal:
    """A running app: write keys to ``master``; ``output`` grows with what it draws."""

    proc: subprocess.Popen[bytes]
    master: int
    output: bytearray

    def kill(self) -> None:
        """SIGKILL the app's process group and close the terminal."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        os.close(self.master)


def open_in_terminal(workspace: Path, annotator: str = "ak") -> Terminal:
    """Start ``coderlhf open`` on ``workspace`` in a new 160x48 pseudo-terminal."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 48, 160, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "160", "LINES": "48"}
    command = [sys.executable, "-m", "coderlhf_tui", "open", "--db", str(workspace)]
    proc = subprocess.Popen(
        [*command, "--annotator", annotator],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    output = bytearray()

    def drain() -> None:  # keep the pty from filling up; remember what was drawn
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            output.extend(chunk)

    threading.Thread(target=drain, daemon=True).start()
    return Terminal(proc, master, output)
