"""The initial server schema: accounts, tasks, assignments, annotations, evidence.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_SEQ = sa.BigInteger()


def upgrade() -> None:
    """Create every table and seed the change counter."""
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("languages", sa.Text, nullable=False),
        sa.Column("years", sa.Integer, nullable=True),
        sa.Column("created_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("expires_at", sa.String(40), nullable=True),
        sa.Column("revoked", sa.Boolean, nullable=False),
    )
    counter = op.create_table(
        "sync_counter",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("value", _SEQ, nullable=False),
    )
    op.bulk_insert(counter, [{"id": 1, "value": 0}])
    op.create_table(
        "tasks",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("language", sa.String(32), nullable=False, index=True),
        sa.Column("is_gold", sa.Boolean, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("position", _SEQ, nullable=False),
        sa.Column("seq", _SEQ, nullable=False, index=True),
        sa.Column("imported_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "assignments",
        sa.Column("task_id", sa.String(200), sa.ForeignKey("tasks.id"), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("is_gold", sa.Boolean, nullable=False),
        sa.Column("seq", _SEQ, nullable=False, index=True),
        sa.Column("assigned_at", sa.String(40), nullable=False),
        sa.Index("assignments_user", "user_id", "seq"),
    )
    op.create_table(
        "annotations",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("task_id", sa.String(200), sa.ForeignKey("tasks.id"), nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("seq", _SEQ, nullable=False, index=True),
        sa.Column("updated_at", sa.String(40), nullable=False),
        sa.UniqueConstraint("task_id", "user_id", name="annotations_one_per_annotator"),
        sa.Index("annotations_user", "user_id", "seq"),
    )
    op.create_table(
        "annotation_revisions",
        sa.Column("annotation_id", sa.String(64), primary_key=True),
        sa.Column("revision", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("recorded_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "adjudications",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("task_id", sa.String(200), sa.ForeignKey("tasks.id"), nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("seq", _SEQ, nullable=False, index=True),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Index("ix_adjudications_task_id", "task_id"),
    )
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
        sa.Column("seq", _SEQ, nullable=False, index=True),
        sa.Column("updated_at", sa.String(40), nullable=False),
    )


def downgrade() -> None:
    """Drop every table, dependants first."""
    for name in (
        "response_evidence",
        "evidence_bodies",
        "adjudications",
        "annotation_revisions",
        "annotations",
        "assignments",
        "tasks",
        "sync_counter",
        "tokens",
        "users",
    ):
        op.drop_table(name)
