"""Admin routes: accounts and tokens, task import, assignment."""

from __future__ import annotations

import tempfile
from pathlib import Path as FilePath
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from coderlhf_tui.sync.server import accounts, db
from coderlhf_tui.sync.server.assign import assign
from coderlhf_tui.sync.server.deps import Admin, DbEngine
from coderlhf_tui.sync.server.errors import Invalid
from coderlhf_tui.sync.server.tasks_import import import_task_file
from coderlhf_tui.sync.wire.protocol import (
    AccountOut,
    AssignOut,
    AssignRequest,
    ImportOut,
    NewUser,
    NewUserOut,
)

router = APIRouter(prefix="/v1/admin", tags=["admin"])

NamePath = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]

_IMPORT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-ndjson": {"schema": {"type": "string"}},
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


class TokenOut(BaseModel):
    """A new token, shown this once."""

    token: str


def _out(account: accounts.Account) -> AccountOut:
    return AccountOut(
        name=account.name,
        role=account.role.value,
        languages=list(account.languages),
        years=account.years,
    )


@router.post("/users", response_model=NewUserOut, status_code=201, summary="Add a user")
def add_user(request: NewUser, _admin: Admin, engine: DbEngine) -> NewUserOut:
    """The token in the answer is shown only this once; the server keeps its hash."""
    try:
        account, token = accounts.create_user(
            engine,
            request.name,
            request.role,
            request.languages,
            request.years,
            expires_days=request.expires_days,
        )
    except accounts.AccountError as exc:
        raise Invalid(str(exc)) from exc
    return NewUserOut(user=_out(account), token=token)


@router.get("/users", response_model=list[AccountOut], summary="Every account")
def users(_admin: Admin, engine: DbEngine) -> list[AccountOut]:
    """Names, roles, languages and years (never tokens)."""
    with db.reading(engine) as conn:
        return [_out(a) for a in accounts.list_accounts(conn)]


@router.post(
    "/users/{name}/tokens", response_model=TokenOut, status_code=201, summary="Issue another token"
)
def new_token(
    name: NamePath,
    _admin: Admin,
    engine: DbEngine,
    expires_days: Annotated[float | None, Query(gt=0, le=3650)] = None,
) -> TokenOut:
    """Earlier tokens stay valid."""
    try:
        return TokenOut(token=accounts.issue_token(engine, name, expires_days=expires_days))
    except accounts.AccountError as exc:
        raise Invalid(str(exc)) from exc


@router.post(
    "/import", response_model=ImportOut, summary="Import a task file", openapi_extra=_IMPORT_BODY
)
async def import_tasks(
    request: Request,
    _admin: Admin,
    engine: DbEngine,
    format: Annotated[Literal["jsonl", "parquet"], Query()] = "jsonl",  # noqa: A002
) -> ImportOut:
    """The body is the file itself; the local import's validation applies, all or nothing."""
    body = await request.body()
    with tempfile.TemporaryDirectory(prefix="coderlhf-import-") as folder:
        path = FilePath(folder) / f"upload.{format}"
        path.write_bytes(body)
        return await run_in_threadpool(import_task_file, engine, path, label="upload")


@router.post("/assign", response_model=AssignOut, summary="Assign unassigned tasks")
def assign_route(request: AssignRequest, _admin: Admin, engine: DbEngine) -> AssignOut:
    """k annotators of the task's language per task, balanced, with gold mixed in."""
    return assign(engine, request.k, request.gold_rate)
