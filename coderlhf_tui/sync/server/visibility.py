"""Blind review as queries: which tasks a caller may read or write.

An annotator reaches only the tasks assigned to them; leads and admins reach every
task. Refusals name the first offending task, so a misconfigured client can be fixed.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, Select, bindparam, select

from coderlhf_tui.sync.server import db
from coderlhf_tui.sync.server.accounts import Account
from coderlhf_tui.sync.server.errors import Forbidden, Invalid, NotFound
from coderlhf_tui.sync.server.schema import assignments, tasks


def _assigned(postgresql: bool) -> Select[tuple[str]]:
    return select(assignments.c.task_id).where(
        assignments.c.user_id == bindparam("user_id"),
        db.one_of(assignments.c.task_id, "ids", postgresql=postgresql),
    )


# built once per dialect: checked on every push (no statement building per request)
_ASSIGNED = {postgresql: _assigned(postgresql) for postgresql in (False, True)}


def assigned_task_ids(conn: Connection, user: Account, task_ids: Iterable[str]) -> set[str]:
    """Which of ``task_ids`` are assigned to ``user``."""
    wanted = sorted(set(task_ids))
    if not wanted:
        return set()
    rows = conn.execute(_ASSIGNED[db.is_postgresql(conn)], {"user_id": user.id, "ids": wanted})
    return {row.task_id for row in rows}


def existing_task_ids(conn: Connection, task_ids: Iterable[str]) -> set[str]:
    """Which of ``task_ids`` exist on the server."""
    wanted = sorted(set(task_ids))
    if not wanted:
        return set()
    return {row.id for row in conn.execute(select(tasks.c.id).where(tasks.c.id.in_(wanted)))}


def refuse_unreachable(user: Account, task_ids: set[str], reachable: set[str]) -> None:
    """Refuse unless every one of ``task_ids`` is ``reachable``.

    Reachable: assigned to the caller; for a lead or admin, existing. A push reads which
    of its tasks are reachable in the statement that reads its annotations
    (``push_state``).
    """
    left = task_ids - reachable
    if not left:
        return
    if user.sees_everything:
        raise Invalid(f"unknown task {sorted(left)[0]!r}")
    raise Forbidden(f"task {sorted(left)[0]!r} is not assigned to you")


def check_task_readable(conn: Connection, user: Account, task_id: str) -> None:
    """Refuse unless ``user`` may read ``task_id`` (404 for a lead when it does not exist)."""
    if user.sees_everything:
        if not existing_task_ids(conn, [task_id]):
            raise NotFound(f"no task {task_id!r}")
        return
    if not assigned_task_ids(conn, user, [task_id]):
        raise Forbidden(f"task {task_id!r} is not assigned to you")
