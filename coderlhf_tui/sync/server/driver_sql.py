"""The sync routes' statements on PostgreSQL, executed by psycopg itself.

Profiled under ``benchmarks/sync_load.py``, most of a push's or pull's server CPU went
to executing its handful of statements, and most of that to SQLAlchemy's machinery
around each execution (the statement's cache key and compiled-cache lookup, parameter
processing, the result's metadata, event dispatch): a small statement cost about 50 us
of CPU that way against about 22 us through the driver. A ``DriverStatement`` is still
written once, as SQLAlchemy Core: on PostgreSQL it is rendered once per connection
dialect and parameter shape into psycopg's own SQL text and executed on the
connection's psycopg connection, inside the transaction SQLAlchemy opened (psycopg
prepares it on the server after a few executions, as before); on SQLite it runs
through SQLAlchemy as it always did.

What SQLAlchemy added around an execution and these statements rely on is kept: a
database error is raised as SQLAlchemy's wrapped exception (``IntegrityError``,
``DataError``, ...), so ``db.write``'s retries and the application's 422 for a refused
value work unchanged, and a lost connection is invalidated so that the pool replaces it.
The statements use only types psycopg reads and writes natively (text, integers,
booleans, arrays of them): no result or bind processing is skipped that they need, and
rows come back as named tuples, read by column name like SQLAlchemy's.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Any, cast

from psycopg.rows import namedtuple_row
from sqlalchemy import Connection, Executable
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement

Params = Mapping[str, Any]


class DriverStatement:
    """A Core statement run through the driver on PostgreSQL, through SQLAlchemy elsewhere."""

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        self._rendered: dict[tuple[str, ...], tuple[str, dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def rows(self, conn: Connection, params: Params) -> list[Any]:
        """Every row the statement returns, each a named tuple (``row.column``)."""
        if conn.dialect.name != "postgresql":
            return list(conn.execute(self.statement, dict(params)).all())
        found: list[Any] = self._execute(conn, [params], rows=True)
        return found

    def run(self, conn: Connection, params: Params | Sequence[Params]) -> None:
        """Execute for one set of parameters or, given a list, for each (executemany)."""
        many = list(params) if isinstance(params, Sequence) else [params]
        # one row as a plain execute: executemany runs psycopg's pipeline mode, worth it
        # for a batch, pure overhead for the single revision of a steady-state push
        if conn.dialect.name != "postgresql":
            conn.execute(self.statement, many[0] if len(many) == 1 else many)
            return
        self._execute(conn, many)

    def _execute(self, conn: Connection, many: list[Params], *, rows: bool = False) -> Any:
        """Execute; the rows when ``rows``. In a pipeline (``db.pipeline_writes``) the
        statement is only queued, and an error of an earlier queued one may surface here."""
        sql, fixed = self._render(conn, tuple(many[0]))
        values = [{**fixed, **p} for p in many] if fixed else many
        driver = conn.connection.driver_connection
        assert driver is not None
        cursor = driver.cursor(row_factory=namedtuple_row) if rows else driver.cursor()
        try:
            if len(values) == 1:
                cursor.execute(sql, values[0])
            else:
                cursor.executemany(sql, values)
            return cursor.fetchall() if rows else None
        except conn.dialect.loaded_dbapi.Error as exc:
            lost = conn.dialect.is_disconnect(exc, conn.connection.dbapi_connection, cursor)
            if lost:
                conn.invalidate(exc)
            raise DBAPIError.instance(
                sql,
                values,
                exc,
                conn.dialect.loaded_dbapi.Error,
                connection_invalidated=lost,
                dialect=conn.dialect,
            ) from exc

    def _render(self, conn: Connection, keys: tuple[str, ...]) -> tuple[str, dict[str, Any]]:
        """The SQL text for these parameter names, and the statement's own fixed values."""
        found = self._rendered.get(keys)
        if found is not None:
            return found
        element = cast(ClauseElement, self.statement)
        compiled = cast(SQLCompiler, element.compile(dialect=conn.dialect, column_keys=list(keys)))
        fixed = {
            compiled.bind_names[bind]: bind.effective_value
            for bind in compiled.binds.values()
            if not bind.required and bind.key not in keys
        }
        found = (str(compiled), fixed)
        with self._lock:
            self._rendered[keys] = found
        return found
