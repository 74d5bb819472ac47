"""The server's change sequence: numbers handed out in commit order.

``take`` bumps the single counter row. Its row lock is held until the writer commits, so
a transaction that takes numbers later also commits later; a reader that first reads the
counter value ``V`` can therefore trust that every row numbered up to ``V`` is visible
(``visible_until``). Writers call ``take`` as late as possible, after their reads and
checks, to keep the time they hold the lock short.
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from coderlhf_tui.sync.schema import sync_counter


def take(conn: Connection, count: int) -> int:
    """Reserve ``count`` numbers; returns the first (they are first .. first+count-1)."""
    if count <= 0:
        raise ValueError("count must be positive")
    value = conn.execute(
        sync_counter.update()
        .where(sync_counter.c.id == 1)
        .values(value=sync_counter.c.value + count)
        .returning(sync_counter.c.value)
    ).scalar_one()
    return int(value) - count + 1


def visible_until(conn: Connection) -> int:
    """The highest number whose row has committed (every lower one has too)."""
    return int(
        conn.execute(select(sync_counter.c.value).where(sync_counter.c.id == 1)).scalar_one()
    )


def lock(conn: Connection) -> None:
    """Hold the counter's row lock until commit: for whole-table decisions (assignment)."""
    conn.execute(
        select(sync_counter.c.value).where(sync_counter.c.id == 1).with_for_update()
    ).scalar_one()
