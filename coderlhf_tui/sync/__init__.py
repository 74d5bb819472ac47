"""Sync: two programs that speak one wire format.

- ``client/``: the annotator's program (httpx, the local store): pushes the outbox,
  pulls the change feed. It is what the app and ``coderlhf sync``/``login`` import.
- ``server/``: the central server (FastAPI, SQLAlchemy, alembic; the ``server`` extra).
  Only the server and ``coderlhf server`` import it, so an annotator's install never
  needs, nor loads, the server's stack.
- ``wire/``: what both sides agree on: the protocol's request and response shapes and
  how evidence travels (docs/server.md, "The protocol").

This file imports nothing, so importing either program never pulls in the other.
"""
