"""Evidence per producer, bodies addressed by their own digest.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07

Evidence stored before this revision names no producer: it cannot be attributed to an
annotator nor trusted, so it is dropped rather than served under a guessed name.
Annotators push their evidence again with their next change; an admin's audit
(``coderlhf server evidence import``) restores shared, trusted evidence.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Replace ``evidence_bodies``/``response_evidence`` by documents and per-producer records."""
    op.drop_table("response_evidence")
    op.drop_table("evidence_bodies")
    op.create_table(
        "evidence_documents",
        sa.Column("digest", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
    )
    op.create_table(
        "evidence_records",
        sa.Column("task_id", sa.String(200), sa.ForeignKey("tasks.id"), primary_key=True),
        sa.Column("response_key", sa.String(1), primary_key=True),
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("producer_id", sa.Integer, sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("trusted", sa.Boolean, primary_key=True),
        sa.Column("hash", sa.String(128), nullable=False),
        sa.Column(
            "digest",
            sa.String(64),
            sa.ForeignKey("evidence_documents.digest"),
            nullable=False,
        ),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
    )
    op.create_index("ix_evidence_records_seq", "evidence_records", ["seq"])


def downgrade() -> None:
    """Back to one unattributed evidence link per response (the records are dropped)."""
    op.drop_index("ix_evidence_records_seq", "evidence_records")
    op.drop_table("evidence_records")
    op.drop_table("evidence_documents")
    op.create_table(
        "evidence_bodies",
        sa.Column("hash", sa.String(128), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
    )
    op.create_table(
        "response_evidence",
        sa.Column("task_id", sa.String(200), sa.ForeignKey("tasks.id"), primary_key=True),
        sa.Column("response_key", sa.String(1), primary_key=True),
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("hash", sa.String(128), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False, index=True),
        sa.Column("updated_at", sa.String(40), nullable=False),
    )
