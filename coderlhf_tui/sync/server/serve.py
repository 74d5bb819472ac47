"""Serving the app with uvicorn: in the foreground (the CLI) or on a background thread.

The background form binds its socket first (port 0 picks a free one), so a caller knows
the URL before the server accepts; tests and the load benchmark use it on loopback.
"""

from __future__ import annotations

import socket
import threading
import time

import uvicorn

from coderlhf_tui.sync.server.app import create_app
from coderlhf_tui.sync.server.settings import ServerSettings


def _config(
    settings: ServerSettings,
    host: str,
    port: int,
    log_level: str,
    forwarded_allow_ips: str = "127.0.0.1",
) -> uvicorn.Config:
    return uvicorn.Config(
        create_app(settings),
        host=host,
        port=port,
        log_level=log_level,
        access_log=False,
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips,
        timeout_keep_alive=30,
        backlog=2048,
    )


def serve(
    settings: ServerSettings,
    host: str = "127.0.0.1",
    port: int = 8765,
    log_level: str = "info",
    forwarded_allow_ips: str = "127.0.0.1",
) -> None:
    """Run the server until interrupted.

    ``forwarded_allow_ips``: the proxies whose X-Forwarded-For is trusted (docs/server.md).
    """
    uvicorn.Server(_config(settings, host, port, log_level, forwarded_allow_ips)).run()


class BackgroundServer:
    """A server on a thread of this process, stopped by ``stop()`` or the ``with`` exit."""

    def __init__(self, settings: ServerSettings, host: str = "127.0.0.1", port: int = 0):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, port))
        self.host, self.port = self.sock.getsockname()[:2]
        self.server = uvicorn.Server(_config(settings, host, self.port, "warning"))
        self.thread = threading.Thread(target=self._run, name="coderlhf-server", daemon=True)

    @property
    def url(self) -> str:
        """The base URL, e.g. http://127.0.0.1:40123."""
        return f"http://{self.host}:{self.port}"

    def _run(self) -> None:
        self.server.run(sockets=[self.sock])

    def start(self, timeout: float = 30.0) -> BackgroundServer:
        """Start and wait until the server accepts requests."""
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        """Ask the server to finish and wait for its thread."""
        self.server.should_exit = True
        self.thread.join(timeout=30)
        self.sock.close()

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
