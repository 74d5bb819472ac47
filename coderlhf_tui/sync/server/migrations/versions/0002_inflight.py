"""Numbers taken by PostgreSQL writers that have not committed yet (``seqs``).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``sync_inflight`` (on SQLite too, where it stays empty: one schema)."""
    op.create_table(
        "sync_inflight",
        sa.Column("first_seq", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("xid", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    """Drop ``sync_inflight``."""
    op.drop_table("sync_inflight")
