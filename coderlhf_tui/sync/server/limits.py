"""Two guards in front of the routes: a request-body size cap and a failed-auth limiter.

The body cap is plain ASGI middleware: it reads the body up to the route's limit and
answers 413 beyond it, before any parsing, whether or not a Content-Length was sent.
The limiter counts failed bearer tokens per client address in a sliding window; past the
threshold that address gets 429 with Retry-After until the window clears, which makes
guessing tokens hopeless. It is per process: behind several replicas an attacker gets
that many times the budget, still negligible against a 256-bit token.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Any]
Send = Callable[[Message], Any]
ASGIApp = Callable[[Scope, Receive, Send], Any]


class BodyLimit:
    """ASGI middleware: refuse bodies larger than the limit for their path with 413."""

    def __init__(self, app: ASGIApp, default: int, per_path: dict[str, int] | None = None):
        self.app = app
        self.default = default
        self.per_path = per_path or {}

    def limit_for(self, path: str) -> int:
        """The byte limit for requests to ``path``."""
        return self.per_path.get(path, self.default)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(send, limit)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _too_large(send, limit)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            message: Message = await receive()
            return message

        await self.app(scope, replay, send)


async def _too_large(send: Send, limit: int) -> None:
    payload = json.dumps({"detail": f"request body larger than {limit} bytes"}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


class FailedAuthLimiter:
    """Counts failed authentications per address; thread-safe."""

    def __init__(
        self,
        max_failures: int = 20,
        window_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.window_s = window_s
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, address: str) -> float | None:
        """Seconds until ``address`` may try again, or None when it may try now."""
        with self._lock:
            times = self._recent(address)
            if len(times) < self.max_failures:
                return None
            return max(0.0, times[0] + self.window_s - self._clock())

    def record_failure(self, address: str) -> None:
        """Note one failed attempt from ``address``."""
        with self._lock:
            self._recent(address).append(self._clock())
            if len(self._failures) > 100_000:  # bound memory under a spray of addresses
                self._failures.clear()

    def _recent(self, address: str) -> deque[float]:
        times = self._failures.setdefault(address, deque())
        cutoff = self._clock() - self.window_s
        while times and times[0] <= cutoff:
            times.popleft()
        return times
