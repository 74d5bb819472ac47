"""Fixtures of the sync tests: a server database per test on SQLite or PostgreSQL.

PostgreSQL comes from scripts/services/postgres.sh (role and database ``coderlhf``);
each test gets a database of its own, created from that connection and dropped after.
Without PostgreSQL the PostgreSQL variants skip locally and fail under CI=true.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import ProgrammingError

from coderlhf_tui.sync.server.serve import BackgroundServer
from coderlhf_tui.sync.server.settings import ServerSettings
from tests.conftest import require_part
from tests.sync.helpers import Team, make_team

PG_ADMIN_URL = os.environ.get(
    "CODERLHF_TEST_PG", "postgresql+psycopg://coderlhf:coderlhf@127.0.0.1:5432/coderlhf_test"
)


def _pg_available() -> bool:
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def pg_available() -> bool:
    return _pg_available()


@pytest.fixture
def pg_url(pg_available: bool) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test."""
    require_part("PostgreSQL", pg_available, "run scripts/services/postgres.sh")
    name = f"coderlhf_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    _drop_database(admin, name)
    admin.dispose()


def _drop_database(admin: Engine, name: str) -> None:
    """Drop a test database, retrying while an autovacuum worker is inside it: FORCE cannot end
    that worker for a role without pg_signal_backend (scripts/services/postgres.sh grants it)."""
    for attempt in range(10):
        try:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except ProgrammingError:
            if attempt == 9:
                raise
            time.sleep(0.5)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A server database URL: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'server.db'}"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def team(db_url: str, tmp_path: Path) -> Team:
    """Accounts, tasks and assignments on a fresh server database."""
    return make_team(db_url, tmp_path)


@pytest.fixture
def server(team: Team) -> Iterator[BackgroundServer]:
    """The server on loopback (a thread of this process) over the team's database."""
    with BackgroundServer(ServerSettings(db_url=team.url, auth_failures=10_000)) as live:
        yield live
