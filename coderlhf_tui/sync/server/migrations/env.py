"""Alembic's environment: run the migrations on the connection the caller passes in.

The server never reads an ``alembic.ini``: ``coderlhf_tui.sync.server.db.upgrade`` builds the
configuration in code and hands over an open connection in ``config.attributes``.
"""

from __future__ import annotations

from alembic import context

from coderlhf_tui.sync.server.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
