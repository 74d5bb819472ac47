"""Push and pull on their common path, answered in front of FastAPI's routing.

Profiled under ``benchmarks/sync_load.py``, about half of a sync request's server CPU
went to FastAPI's per-request machinery rather than to the work: matching the route
through the router stack, solving the dependency graph (three dependencies per
route), parsing the body with ``json.loads`` and then validating the resulting dict
through FastAPI's field wrappers, reading the query through ``QueryParams``. This layer
answers the two routes every annotator calls every few seconds with the same code and
the same checks, but directly: the caller's token goes through the very dependency
(``deps.current_user``: cache, throttle, lookup), the push body is validated from its
bytes in one call (``PushRequest.model_validate_json``), the pull query is read as the
plain ``cursor=N&limit=M`` clients send. The work runs on a plain thread pool
(``app.state.sync_threads``, one thread per pooled database connection): handing a
call to anyio's workers, as FastAPI does for a blocking route, took a Python-level
queue and condition, a capacity limiter and a cancel scope per call, about a tenth of
the request's CPU in the profile; ``loop.run_in_executor`` hands it over through C.

Whatever is not that common case is handed on, untouched, to FastAPI's route: a body
that does not validate (with the bytes replayed), an unusual content type or query, any
other path or method. FastAPI then answers exactly as it always did (its 422 details,
405s, content-type rules), so the API, the OpenAPI document and every error stay
FastAPI's; this layer only answers sooner when nothing is wrong. Refusals raised by the
work (403, 422, a value the database refuses) and by authentication (401, 429) are
rendered by the application's own exception handlers. ``ServerSettings.fast_routes``
turns the layer off (the benchmark's peer).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

from fastapi.security import HTTPAuthorizationCredentials
from pydantic import ValidationError
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException
from starlette.requests import Request

from coderlhf_tui.sync.server.accounts import Account
from coderlhf_tui.sync.server.body_limit import ASGIApp, Receive, Scope, Send, replaying
from coderlhf_tui.sync.server.deps import bearer, current_user
from coderlhf_tui.sync.server.errors import ApiError
from coderlhf_tui.sync.server.routes_sync import (
    DEFAULT_PULL,
    MAX_CURSOR,
    pull_json,
    push_json,
)
from coderlhf_tui.sync.wire.protocol import MAX_PULL, PushRequest

PUSH_PATH = "/v1/sync/push"
PULL_PATH = "/v1/sync/pull"
_HANDLED = (HTTPException, ApiError, DataError)  # answered by the app's handlers
_QUERY_BOUNDS = {"cursor": (0, MAX_CURSOR), "limit": (1, MAX_PULL)}


@dataclass(slots=True)
class FastRouteCounts:
    """How many push/pull requests this layer answered and how many it handed on.

    Kept in ``app.state.fast_routes``: the tests check with it that the common case
    really is answered here (an equivalence test alone would pass if nothing were).
    """

    answered: int = 0
    handed_on: int = 0


class FastRoutes:
    """ASGI middleware: answer ordinary pushes and pulls, hand everything else on."""

    def __init__(self, app: ASGIApp, counts: FastRouteCounts) -> None:
        self.app = app
        self.counts = counts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path, method = scope["path"], scope["method"]
            if path == PUSH_PATH and method == "POST" and _json_body(scope):
                await self._push(scope, receive, send)
                return
            if path == PULL_PATH and method == "GET":
                query = _pull_query(scope["query_string"])
                if query is not None:
                    await self._answer(scope, receive, send, lambda r, u: _pull(r, u, *query))
                    return
            if path in (PUSH_PATH, PULL_PATH):
                self.counts.handed_on += 1
        await self.app(scope, receive, send)

    async def _push(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = await _read_body(receive)

        async def work(request: Request, user: Account) -> str | None:
            try:
                batch = PushRequest.model_validate_json(body)
            except ValidationError:
                return None  # FastAPI's route answers with its own 422
            return await _in_thread(request, push_json, request.app.state.engine, user, batch)

        await self._answer(scope, replaying(body, receive), send, work)

    async def _answer(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        work: Callable[[Request, Account], Awaitable[str | None]],
    ) -> None:
        """Authenticate, run ``work``; its None hands the request on to FastAPI."""
        request = Request(scope, receive)
        try:
            credentials: HTTPAuthorizationCredentials | None = await bearer(request)
            user = await current_user(request, credentials)
            text = await work(request, user)
        except _HANDLED as exc:
            handler = _handler_for(request, exc)
            response = await handler(request, exc)
            self.counts.answered += 1
            await response(scope, receive, send)
            return
        if text is None:
            self.counts.handed_on += 1
            await self.app(scope, receive, send)
            return
        self.counts.answered += 1
        payload = text.encode()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-length", str(len(payload)).encode()),
                    (b"content-type", b"application/json"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})


async def _pull(request: Request, user: Account, cursor: int, limit: int) -> str:
    return await _in_thread(request, pull_json, request.app.state.engine, user, cursor, limit)


async def _in_thread(request: Request, work: Callable[..., str], *args: Any) -> str:
    """``work(*args)`` on the application's sync threads (blocking database calls)."""
    threads: Executor = request.app.state.sync_threads
    return await asyncio.get_running_loop().run_in_executor(threads, work, *args)


def _handler_for(request: Request, exc: Exception) -> Callable[[Request, Exception], Any]:
    """The application's exception handler for ``exc`` (nearest class first)."""
    handlers = request.app.exception_handlers
    for cls in type(exc).__mro__:
        if cls in handlers:
            handler: Callable[[Request, Exception], Any] = handlers[cls]
            return handler
    raise exc


def _json_body(scope: Scope) -> bool:
    """Whether the request says its body is JSON (``application/json``, parameters allowed)."""
    for name, value in scope["headers"]:
        if name == b"content-type":
            media = value.split(b";", 1)[0].strip().lower()
            return bool(media == b"application/json")
    return False


def _pull_query(raw: bytes) -> tuple[int, int] | None:
    """``cursor`` and ``limit`` from a plain query, or None for anything FastAPI should read.

    Only ``cursor`` and ``limit``, each at most once, as ASCII digits within the route's
    bounds; an empty query means the defaults.
    """
    values = {"cursor": 0, "limit": DEFAULT_PULL}
    if not raw:
        return values["cursor"], values["limit"]
    seen: set[str] = set()
    for part in raw.split(b"&"):
        name, sep, value = part.partition(b"=")
        key = name.decode("latin-1")
        if not sep or key not in _QUERY_BOUNDS or key in seen:
            return None
        if not (value.isdigit() and 0 < len(value) <= 19):
            return None
        number = int(value)
        low, high = _QUERY_BOUNDS[key]
        if not low <= number <= high:
            return None
        seen.add(key)
        values[key] = number
    return values["cursor"], values["limit"]


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)
