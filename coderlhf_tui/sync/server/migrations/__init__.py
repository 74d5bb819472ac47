"""Alembic migrations of the server database, shipped inside the package.

``coderlhf_tui.sync.server.db.upgrade`` runs them programmatically when the server starts; a
new schema change is a new file in ``versions/`` (``alembic revision`` with
``script_location`` pointing here), never an edit of an old one.
"""
