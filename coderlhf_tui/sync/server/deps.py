"""FastAPI dependencies: the engine, the caller's account, role gates.

The dependencies are ``async`` and do no blocking work on the event loop (a token
lookup that misses the cache goes to the thread pool), which saves a thread hop per
dependency per request. A missing token is 401; a wrong, revoked or expired one is 401
and counts against the caller's address and against the token itself; past either
limit failures are 429, and a valid token still gets in (``auth_throttle``). A known
caller lacking the role is 403.
"""

from __future__ import annotations

import asyncio
import math
from concurrent.futures import Executor
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine

from coderlhf_tui.clock import utc_now
from coderlhf_tui.domain import Role
from coderlhf_tui.sync.server import db
from coderlhf_tui.sync.server.accounts import Account, hash_token, lookup_token
from coderlhf_tui.sync.server.auth_throttle import AuthThrottle
from coderlhf_tui.sync.server.tokencache import TokenCache

bearer = HTTPBearer(auto_error=False, description="a token from `coderlhf server user add`")
_CHALLENGE = {"WWW-Authenticate": "Bearer"}


async def engine_of(request: Request) -> Engine:
    """The server's database engine."""
    engine: Engine = request.app.state.engine
    return engine


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def current_user(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Account:
    """The account behind the request's bearer token."""
    if credentials is None or not credentials.credentials:
        raise HTTPException(401, "a bearer token is required", headers=_CHALLENGE)
    throttle: AuthThrottle = request.app.state.auth_throttle
    token = credentials.credentials
    token_hash = hash_token(token)
    _refuse_if_waiting(throttle.token_wait(token_hash))  # this token failed too often
    address = _address(request)
    source_wait = throttle.source_wait(address)
    if source_wait is not None and not await throttle.roster.holds(token_hash):
        throttle.record_failure(address, token_hash)  # a guess from a throttled source
        _refuse_if_waiting(source_wait)
    account = await _authenticate(request, token, token_hash)
    if account is None:
        throttle.record_failure(address, token_hash)
        _refuse_if_waiting(source_wait)
        raise HTTPException(401, "unknown, revoked or expired token", headers=_CHALLENGE)
    return account


def _refuse_if_waiting(wait: float | None) -> None:
    if wait is not None:
        raise HTTPException(
            429,
            "too many failed authentications; try again later",
            headers={"Retry-After": str(max(1, math.ceil(wait)))},
        )


async def _authenticate(request: Request, token: str, token_hash: str) -> Account | None:
    if len(token) > 200 or not token.isprintable():
        return None
    cache: TokenCache = request.app.state.token_cache
    now = utc_now()
    account = cache.get(token_hash, now)
    if account is not None:
        return account
    # on the sync threads, as fast_routes' work, not through anyio's worker hand-over
    # (a Python-level queue, limiter and cancel scope per call; fast_routes): a miss is
    # about one request in ten in the load benchmark (a cached token lives 5-10 s)
    threads: Executor = request.app.state.sync_threads
    found = await asyncio.get_running_loop().run_in_executor(
        threads, _lookup, request.app.state.engine, token_hash
    )
    if found is None or (found[1] is not None and found[1] <= now):
        return None
    cache.put(token_hash, *found)
    return found[0]


def _lookup(engine: Engine, token_hash: str) -> tuple[Account, str | None] | None:
    with db.reading(engine) as conn:
        return lookup_token(conn, token_hash)


User = Annotated[Account, Depends(current_user)]


async def lead_user(user: User) -> Account:
    """The caller, who must be a lead or an admin."""
    if not user.sees_everything:
        raise HTTPException(403, "this needs the lead or admin role")
    return user


async def admin_user(user: User) -> Account:
    """The caller, who must be an admin."""
    if user.role is not Role.ADMIN:
        raise HTTPException(403, "this needs the admin role")
    return user


async def audit_producer(user: User) -> Account:
    """The caller, who must be an admin or an audit worker (role ``auditor``)."""
    if user.role not in (Role.ADMIN, Role.AUDITOR):
        raise HTTPException(403, "this needs the admin or auditor role")
    return user


Lead = Annotated[Account, Depends(lead_user)]
AuditProducer = Annotated[Account, Depends(audit_producer)]
Admin = Annotated[Account, Depends(admin_user)]
DbEngine = Annotated[Engine, Depends(engine_of)]
