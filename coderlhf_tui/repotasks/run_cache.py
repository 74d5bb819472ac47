"""Where graded repository runs are kept, by content hash: a folder or the workspace.

The grader asks for a run by its key before running anything, and hands every new run
back; the command line keeps them in the workspace database (table ``repo_runs``: grade
and per-test outcomes, queryable with the rest of the data), a library caller may use a
folder of JSON files.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol


class RunCache(Protocol):
    """Graded runs by content hash."""

    def load(self, key: str) -> dict[str, Any] | None: ...

    def save(self, key: str, instance_id: str, run: dict[str, Any]) -> None: ...


class FolderRunCache:
    """One JSON file per run under ``folder/results``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder / "results"

    def load(self, key: str) -> dict[str, Any] | None:
        path = self.folder / f"{key}.json"
        if not path.is_file():
            return None
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data

    def save(self, key: str, instance_id: str, run: dict[str, Any]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(run, sort_keys=True)
        (self.folder / f"{key}.json").write_text(text, encoding="utf-8")


class StoreRunCache:
    """Rows of the workspace's ``repo_runs`` table (a ``Store``)."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def load(self, key: str) -> dict[str, Any] | None:
        row = self.store.conn.execute(
            "SELECT result FROM repo_runs WHERE content_hash = ?", (key,)
        ).fetchone()
        if row is None:
            return None
        data: dict[str, Any] = json.loads(row[0])
        return data

    def save(self, key: str, instance_id: str, run: dict[str, Any]) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO repo_runs"
                "(content_hash, instance_id, response, grade, result, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (key, instance_id, run["response"], str(run["grade"]), json.dumps(run), now),
            )

    def runs_of(self, instance_id: str) -> list[dict[str, Any]]:
        """Every stored run of one task, oldest first."""
        rows = self.store.conn.execute(
            "SELECT result FROM repo_runs WHERE instance_id = ? ORDER BY created_at",
            (instance_id,),
        ).fetchall()
        return [json.loads(row[0]) for row in rows]
