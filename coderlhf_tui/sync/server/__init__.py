"""The central sync server: an ASGI app over SQLite or PostgreSQL (the ``server`` extra).

Its modules import FastAPI, SQLAlchemy and alembic at the top; only the server process,
``coderlhf server`` (inside its handlers) and the tests import them. This file imports
nothing, so ``coderlhf_tui.sync.server.settings`` stays importable without the extra.
"""
