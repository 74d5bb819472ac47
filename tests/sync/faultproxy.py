"""A small loopback TCP proxy that injects network faults, for the fault harness.

Every chunk consults the current ``fault``, so a fault applies to connections already
open (httpx keeps them alive) as well as new ones:

- ``pass``: forward both ways;
- ``delay``: wait ``delay_s`` before forwarding each chunk;
- ``drop_request``: cut the connection when the client sends (the server never hears);
- ``drop_response``: forward the request, cut the connection when the server answers
  (the server did the work; the client never learns it);
- ``refuse``: close new connections at once.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time


class FaultProxy:
    """Listens on 127.0.0.1:<port> and forwards to 127.0.0.1:<upstream_port>."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.fault = "pass"
        self.delay_s = 0.0
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(256)
        self.port = self.listener.getsockname()[1]
        self._closing = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def set(self, fault: str, delay_s: float = 0.0) -> None:
        self.fault = fault
        self.delay_s = delay_s

    def close(self) -> None:
        self._closing = True
        self.listener.close()

    def _accept(self) -> None:
        while not self._closing:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.fault == "refuse":
                client.close()
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            for src, dst, direction in ((client, upstream, "up"), (upstream, client, "down")):
                threading.Thread(
                    target=self._pump, args=(src, dst, direction, client, upstream), daemon=True
                ).start()

    def _pump(
        self,
        src: socket.socket,
        dst: socket.socket,
        direction: str,
        client: socket.socket,
        upstream: socket.socket,
    ) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                fault = self.fault
                if (fault == "drop_request" and direction == "up") or (
                    fault == "drop_response" and direction == "down"
                ):
                    break
                if fault == "delay":
                    time.sleep(self.delay_s)
                dst.sendall(data)
        except OSError:
            pass
        for sock in (client, upstream):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
