"""The alembic migrations create exactly the tables of ``schema.py``, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from coderlhf_tui.sync.server import db
from coderlhf_tui.sync.server.schema import metadata


def test_migrations_match_the_schema(db_url: str) -> None:
    engine = db.make_engine(db_url)
    try:
        db.upgrade(engine)
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
    finally:
        engine.dispose()
    assert diff == []
