"""Opening the server database: URL rules, engine settings, migrations, write transactions.

SQLite (a file, the default) and PostgreSQL share one schema. The differences are
contained here: SQLite gets WAL, a busy timeout and ``BEGIN IMMEDIATE`` for writers (so
two writers queue instead of failing on a lock upgrade), and writers of one process
queue on a lock of their own first (SQLite's busy handler waits by sleeping, up to
100 ms at a time, so a queue of threads polling the file lock wastes most of the time
it frees); PostgreSQL gets a connection
pool (a fixed number of connections, kept open, part of them for the sequence allocator
of ``seqs``) and an advisory lock around migrations, so several server processes
starting at once on one database migrate it exactly once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any, TypeVar

import platformdirs
from alembic import command
from alembic.config import Config
from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Connection,
    Engine,
    any_,
    bindparam,
    create_engine,
    event,
    text,
)
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.pool import NullPool, QueuePool

from coderlhf_tui.sync.server.seqs import ALLOCATOR_CONNECTIONS
from coderlhf_tui.sync.server.settings import DEFAULT_POOL

T = TypeVar("T")

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# the pipelines pipeline_writes opened, per connection (id) of this thread's write
_PIPELINES = threading.local()
_MIGRATION_LOCK = 7_262_001  # pg_advisory_lock key: "coderlhf migrations"
_RETRIES = 5
_SQLITE_WRITERS: dict[str, threading.RLock] = {}
_SQLITE_WRITERS_LOCK = threading.Lock()


def default_db_url() -> str:
    """The default server database: a SQLite file in the user data folder."""
    path = Path(platformdirs.user_data_dir("coderlhf")) / "server.db"
    return f"sqlite:///{path}"


def normalize_url(url: str) -> str:
    """Accept ``postgresql://`` (meaning psycopg 3) and bare file paths (meaning SQLite)."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    return url


def is_sqlite(engine: Engine) -> bool:
    """Whether the engine speaks SQLite."""
    return engine.dialect.name == "sqlite"


def make_engine(url: str, *, pool_size: int = DEFAULT_POOL) -> Engine:
    """An engine for ``url`` with the settings this server relies on.

    ``pool_size`` is the most connections the engine opens, and it keeps them open: a
    pool that opens connections past its size and closes them on return (overflow)
    makes PostgreSQL start a backend per busy request. On PostgreSQL
    ``seqs.ALLOCATOR_CONNECTIONS`` of them are the sequence allocator's.
    """
    if pool_size < 1:
        raise ValueError("pool_size must be at least 1")
    url = normalize_url(url)
    if url.startswith("sqlite"):
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        memory = url in ("sqlite://", "sqlite:///:memory:")
        engine = create_engine(
            url,
            connect_args={"timeout": 30, "check_same_thread": False},
            poolclass=NullPool if memory else QueuePool,
            **({} if memory else {"pool_size": pool_size, "max_overflow": 0}),
        )
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(
        url,
        pool_size=max(1, pool_size - ALLOCATOR_CONNECTIONS),
        max_overflow=0,
    )


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy's begin event issues BEGIN itself
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    write = conn.get_execution_options().get("coderlhf_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def one_of(column: Any, name: str, *, postgresql: bool) -> ColumnElement[bool]:
    """``column`` is one of the list bound as ``name``, in the form each database runs best.

    SQLite: ``column IN (...)``, an expanding parameter. PostgreSQL: ``column =
    ANY(:name)``, one array parameter, so the SQL text is the same for every list:
    SQLAlchemy need not render an expanding IN anew on every execution (a visible share
    of a push's CPU), and psycopg prepares the statement once per connection instead of
    once per list length.
    """
    if postgresql:
        member: ColumnElement[bool] = column == any_(bindparam(name, type_=ARRAY(column.type)))
        return member
    listed: ColumnElement[bool] = column.in_(bindparam(name, expanding=True))
    return listed


def is_postgresql(conn: Connection) -> bool:
    """Whether ``conn`` speaks PostgreSQL (statements built per dialect pick by this)."""
    return conn.dialect.name == "postgresql"


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision``, the newest by default (a no-op when it is there)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _MIGRATION_LOCK})
            conn.commit()
        try:
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
            conn.commit()
        finally:
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _MIGRATION_LOCK})
                conn.commit()


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A connection for reading: one transaction on SQLite, autocommit on PostgreSQL.

    PostgreSQL's READ COMMITTED takes a new snapshot for every statement inside a
    transaction too, so a reader sees the same in autocommit and saves the round trips
    of BEGIN and COMMIT (two of a pull's four). Nothing here relies on one snapshot
    across statements: ``seqs.visible_until`` reads what it needs in one statement.
    """
    if is_sqlite(engine):
        with engine.connect() as conn, conn.begin():
            yield conn
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        yield conn


def write(engine: Engine, work: Callable[[Connection], T]) -> T:
    """Run ``work`` in one write transaction, retrying on a lost race.

    Retried: a unique-key race between two servers (IntegrityError), a PostgreSQL
    deadlock or serialization failure, a SQLite ``database is locked``. ``work`` must be
    safe to run again from the start (it only reads and writes through ``conn``).
    """
    for attempt in range(_RETRIES):
        try:
            with (
                _writer_turn(engine),
                engine.connect().execution_options(coderlhf_write=True) as conn,
            ):
                try:
                    with conn.begin():
                        try:
                            result = work(conn)
                        except BaseException:
                            # out of pipeline mode before the rollback, which would
                            # otherwise fail on the aborted pipeline and mask the error
                            _end_pipeline(conn, failed=False)
                            raise
                except BaseException:
                    _end_pipeline(conn, failed=True)  # the commit failed in the pipeline
                    raise
                _end_pipeline(conn, failed=False)
                return result
        except (IntegrityError, OperationalError, DBAPIError) as exc:
            if attempt == _RETRIES - 1 or not _retryable(exc):
                raise
    raise AssertionError("unreachable")


def pipeline_writes(conn: Connection) -> None:
    """Queue the rest of this write transaction's statements, sent with its commit.

    On PostgreSQL, from here to the commit every statement the transaction runs
    through the driver (``driver_sql``) is queued in psycopg's pipeline mode and sent
    with the COMMIT, in one round trip instead of one per statement plus the commit's:
    a push's history row, its sequence entry's removal and its annotation row go
    together. Only for a transaction that reads nothing more (a queued statement has no
    result until the commit) and whose remaining statements all go through the driver;
    an error in any of them is raised by the commit, as SQLAlchemy's wrapped exception,
    and the whole transaction is undone as before. Nothing on SQLite.
    """
    open_ = _open_pipelines()
    if conn.dialect.name != "postgresql" or id(conn) in open_:
        return
    driver = conn.connection.driver_connection
    assert driver is not None
    pipeline = driver.pipeline()
    pipeline.__enter__()
    open_[id(conn)] = pipeline


def _open_pipelines() -> dict[int, Any]:
    found: dict[int, Any] | None = getattr(_PIPELINES, "open", None)
    if found is None:
        found = _PIPELINES.open = {}
    return found


def _end_pipeline(conn: Connection, *, failed: bool) -> None:
    """Leave the pipeline ``pipeline_writes`` opened, if one is open.

    Leaving it sends what is queued; an error doing so belongs to a transaction that is
    failing anyway (its own error is the one raised). A connection whose commit failed
    inside the pipeline (``failed``) is not reused: psycopg may leave it in an aborted
    pipeline state, so it is invalidated and the pool opens another.
    """
    pipeline = _open_pipelines().pop(id(conn), None)
    if pipeline is None:
        return
    try:
        pipeline.__exit__(None, None, None)
    except Exception:
        failed = True
    if failed and not conn.invalidated:
        conn.invalidate()


def _writer_turn(engine: Engine) -> AbstractContextManager[object]:
    """This process's queue of SQLite writers for one file (nothing on PostgreSQL)."""
    if not is_sqlite(engine):
        return nullcontext()
    key = str(engine.url)
    with _SQLITE_WRITERS_LOCK:
        return _SQLITE_WRITERS.setdefault(key, threading.RLock())


def _retryable(exc: DBAPIError) -> bool:
    if isinstance(exc, IntegrityError) or exc.connection_invalidated:
        return True  # a lost race, or a connection lost (the pool replaces it)
    code = getattr(exc.orig, "sqlstate", None)
    if code in ("40001", "40P01"):
        return True
    return "database is locked" in str(exc.orig)
