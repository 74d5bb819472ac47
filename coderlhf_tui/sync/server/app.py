"""The server as an ASGI application: routes, guards, error mapping, start-up migration.

``create_app(settings)`` is all a process needs: uvicorn serves it in production and
the tests serve it on loopback. On start it upgrades the database schema (under a lock
on PostgreSQL, so several processes may start at once).
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from sqlalchemy.pool import QueuePool

from coderlhf_tui.sync.server import (
    db,
    gc_tune,
    routes_admin,
    routes_audit,
    routes_read,
    routes_sync,
)
from coderlhf_tui.sync.server.accounts import usable_token_hashes
from coderlhf_tui.sync.server.auth_throttle import AuthThrottle, TokenRoster
from coderlhf_tui.sync.server.body_limit import BodyLimit
from coderlhf_tui.sync.server.errors import ApiError
from coderlhf_tui.sync.server.fast_routes import FastRouteCounts, FastRoutes
from coderlhf_tui.sync.server.settings import ServerSettings
from coderlhf_tui.sync.server.tokencache import TokenCache

DESCRIPTION = """The coderlhf central server: accounts, task assignment and the offline-first
sync protocol (docs/server.md). Every route but `/v1/health` needs a bearer token."""


def _version() -> str:
    try:
        return version("coderlhf")
    except PackageNotFoundError:
        return "0"


def create_app(settings: ServerSettings) -> FastAPI:
    """A configured application; its database is opened and migrated on start-up."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = db.make_engine(settings.db_url, pool_size=settings.pool_size)
        db.upgrade(engine)
        app.state.engine = engine
        # the threads of fast_routes' blocking work: one per pooled connection, so that
        # none of them waits in the pool's queue (a condition wait and wake-up per call)
        threads = engine.pool.size() if isinstance(engine.pool, QueuePool) else settings.pool_size
        app.state.sync_threads = ThreadPoolExecutor(threads, "coderlhf-sync")
        if settings.tune_gc:
            gc_tune.settle()
        try:
            yield
        finally:
            app.state.sync_threads.shutdown(wait=False)
            engine.dispose()

    app = FastAPI(
        title="coderlhf server",
        version=_version(),
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    roster = TokenRoster(lambda: _usable_tokens(app))
    app.state.auth_throttle = AuthThrottle(
        roster,
        settings.auth_failures,
        settings.auth_token_failures or settings.auth_failures,
        settings.auth_window_s,
    )
    app.state.token_cache = TokenCache(settings.token_cache_s)
    app.include_router(routes_read.router)
    app.include_router(routes_sync.router)
    app.include_router(routes_admin.router)
    app.include_router(routes_audit.router)

    @app.exception_handler(ApiError)
    async def api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"detail": exc.message}, status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        try:
            return await request_validation_exception_handler(request, exc)
        except ValueError:
            # the refused input echoed back held NaN or Infinity (Python's JSON parser
            # reads them; JSON has neither): the same 422 with those values as text
            detail = _finite(jsonable_encoder(exc.errors()))
            return JSONResponse({"detail": detail}, status_code=422)

    @app.exception_handler(DataError)
    async def unstorable(_request: Request, exc: DataError) -> JSONResponse:
        # a value the database refuses (a defence behind the protocol's own checks)
        return JSONResponse({"detail": "a value cannot be stored"}, status_code=422)

    if settings.fast_routes:
        app.state.fast_routes = FastRouteCounts()
        # inside BodyLimit: it sees bodies within the limit
        app.add_middleware(FastRoutes, counts=app.state.fast_routes)
    app.add_middleware(
        BodyLimit,
        default=settings.max_body_bytes,
        per_path={"/v1/admin/import": settings.max_import_bytes},
    )
    return app


def _finite(value: Any) -> Any:
    """``value`` with every NaN or infinite float replaced by its text ("nan", "inf")."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value


def _usable_tokens(app: FastAPI) -> set[str]:
    with db.reading(app.state.engine) as conn:
        return usable_token_hashes(conn)
