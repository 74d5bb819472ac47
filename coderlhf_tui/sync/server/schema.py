"""The server's tables, as SQLAlchemy Core objects shared by SQLite and PostgreSQL.

Every row another machine may need to learn about carries ``seq``, its place in the
server's change sequence: a pull asks for rows with ``seq`` above the caller's cursor.
``sync_counter`` holds the last sequence number handed out and, on PostgreSQL,
``sync_inflight`` the numbers of writers still running, so that a pull's cursor never
skips a row that commits late (``seqs``; docs/server.md, "The protocol"). The alembic
migrations in ``migrations/versions`` create exactly these tables; tests/sync/test_schema.py
compares the two.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("languages", Text, nullable=False, default=""),
    Column("years", Integer, nullable=True),
    Column("created_at", String(40), nullable=False),
)

tokens = Table(
    "tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", String(40), nullable=False),
    Column("expires_at", String(40), nullable=True),
    Column("revoked", Boolean, nullable=False, default=False),
)

sync_counter = Table(
    "sync_counter",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("value", BigInteger, nullable=False),
)

# PostgreSQL only: numbers taken by writers that have not committed yet (see ``seqs``)
sync_inflight = Table(
    "sync_inflight",
    metadata,
    Column("first_seq", BigInteger, primary_key=True, autoincrement=False),
    Column("xid", BigInteger, nullable=False),
)

tasks = Table(
    "tasks",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("language", String(32), nullable=False, index=True),
    Column("is_gold", Boolean, nullable=False, default=False),
    Column("body", Text, nullable=False),
    Column("position", BigInteger, nullable=False),
    Column("seq", BigInteger, nullable=False, index=True),
    Column("imported_at", String(40), nullable=False),
)

assignments = Table(
    "assignments",
    metadata,
    Column("task_id", String(200), ForeignKey("tasks.id"), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("is_gold", Boolean, nullable=False, default=False),
    Column("seq", BigInteger, nullable=False, index=True),
    Column("assigned_at", String(40), nullable=False),
    Index("assignments_user", "user_id", "seq"),
)

annotation_table = Table(
    "annotations",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("task_id", String(200), ForeignKey("tasks.id"), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("body", Text, nullable=False),
    Column("seq", BigInteger, nullable=False, index=True),
    Column("updated_at", String(40), nullable=False),
    UniqueConstraint("task_id", "user_id", name="annotations_one_per_annotator"),
    Index("annotations_user", "user_id", "seq"),
)

annotation_revisions = Table(
    "annotation_revisions",
    metadata,
    Column("annotation_id", String(64), primary_key=True),
    Column("revision", Integer, primary_key=True, autoincrement=False),
    Column("body", Text, nullable=False),
    Column("recorded_at", String(40), nullable=False),
)

adjudications = Table(
    "adjudications",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("task_id", String(200), ForeignKey("tasks.id"), nullable=False, index=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("body", Text, nullable=False),
    Column("seq", BigInteger, nullable=False, index=True),
    Column("created_at", String(40), nullable=False),
)

# Evidence is kept per producer: an annotator's pushed test run or scan is a claim that
# only they (and leads, labelled) ever see; evidence shared with every annotator of a task
# comes only from a trusted producer (an admin's or audit worker's audit, ``trusted``).
# Bodies are addressed by the SHA-256 of their own canonical text, so a body pushed under
# someone else's run hash can never stand in for theirs (docs/server.md, "Evidence").
evidence_documents = Table(
    "evidence_documents",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("body", Text, nullable=False),
)

evidence_records = Table(
    "evidence_records",
    metadata,
    Column("task_id", String(200), ForeignKey("tasks.id"), primary_key=True),
    Column("response_key", String(1), primary_key=True),
    Column("kind", String(16), primary_key=True),
    Column("producer_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("trusted", Boolean, primary_key=True),
    Column("hash", String(128), nullable=False),
    Column("digest", String(64), ForeignKey("evidence_documents.digest"), nullable=False),
    Column("seq", BigInteger, nullable=False, index=True),
    Column("updated_at", String(40), nullable=False),
)
