"""The sync routes: push a batch of local changes, pull changes after a cursor."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from coderlhf_tui.sync import db
from coderlhf_tui.sync.deps import DbEngine, User
from coderlhf_tui.sync.protocol import MAX_PULL, PullResponse, PushRequest, PushResponse
from coderlhf_tui.sync.pull import pull
from coderlhf_tui.sync.push import apply_push, prepare

router = APIRouter(prefix="/v1/sync", tags=["sync"])
MAX_CURSOR = 2**62


@router.post("/push", response_model=PushResponse, summary="Push a batch of local changes")
def push_route(batch: PushRequest, user: User, engine: DbEngine) -> PushResponse:
    """Idempotent: replaying a batch returns `duplicate` for what is already stored."""
    prepared = prepare(user, batch)  # the CPU work, before the transaction opens
    return db.write(engine, lambda conn: apply_push(conn, user, batch, prepared))


@router.get("/pull", response_model=PullResponse, summary="Changes after a cursor")
def pull_route(
    user: User,
    engine: DbEngine,
    cursor: Annotated[int, Query(ge=0, le=MAX_CURSOR)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PULL)] = 500,
) -> PullResponse:
    """Pass the returned `cursor` next time; repeat while `more` is true."""
    with db.reading(engine) as conn:
        return pull(conn, user, cursor, limit)
