"""The sync routes: push a batch of local changes, pull changes after a cursor.

The two busiest routes answer with the model already serialised (``model_dump_json``)
in a plain ``Response``: FastAPI would otherwise validate the returned model against
``response_model`` a second time and encode it through ``jsonable_encoder``, a
measurable share of a request's CPU under load. ``response_model`` still documents the
shape in the OpenAPI spec.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from coderlhf_tui.sync.server import db
from coderlhf_tui.sync.server.deps import DbEngine, User
from coderlhf_tui.sync.server.pull import pull
from coderlhf_tui.sync.server.push import apply_push, prepare
from coderlhf_tui.sync.wire.protocol import MAX_PULL, PullResponse, PushRequest, PushResponse

router = APIRouter(prefix="/v1/sync", tags=["sync"])
MAX_CURSOR = 2**62


def _json(model: BaseModel) -> Response:
    return Response(model.model_dump_json(), media_type="application/json")


@router.post("/push", response_model=PushResponse, summary="Push a batch of local changes")
def push_route(batch: PushRequest, user: User, engine: DbEngine) -> Response:
    """Idempotent: replaying a batch returns `duplicate` for what is already stored."""
    prepared = prepare(user, batch)  # the CPU work, before the transaction opens
    return _json(db.write(engine, lambda conn: apply_push(conn, user, batch, prepared)))


@router.get("/pull", response_model=PullResponse, summary="Changes after a cursor")
def pull_route(
    user: User,
    engine: DbEngine,
    cursor: Annotated[int, Query(ge=0, le=MAX_CURSOR)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PULL)] = 500,
) -> Response:
    """Pass the returned `cursor` next time; repeat while `more` is true."""
    with db.reading(engine) as conn:
        page = pull(conn, user, cursor, limit)
    return _json(page)
