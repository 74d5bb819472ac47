"""An admin's task import on the server, with the local import's validation.

The records are checked by ``coderlhf_tui.ingest`` (the same rules and the same
``file:line: field: message`` errors as ``coderlhf import``); any error stores nothing.
Tasks already on the server are skipped, so importing a file twice is harmless.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, Engine

from coderlhf_tui.clock import utc_now
from coderlhf_tui.domain import Task
from coderlhf_tui.ingest import validated_tasks
from coderlhf_tui.record_files import RecordError
from coderlhf_tui.serialize import task_to_dict
from coderlhf_tui.sync.server import db, seqs
from coderlhf_tui.sync.server.schema import tasks
from coderlhf_tui.sync.server.visibility import existing_task_ids
from coderlhf_tui.sync.wire.evidence_items import canonical
from coderlhf_tui.sync.wire.protocol import ImportOut

MAX_ERRORS = 200
_CHUNK = 1000


def import_task_file(engine: Engine, path: Path, *, label: str | None = None) -> ImportOut:
    """Validate ``path`` and store its new tasks in one transaction."""
    valid: list[Task] = []
    errors: list[str] = []
    for item in validated_tasks(path):
        if isinstance(item, RecordError):
            if label is not None:
                item = RecordError(label, item.line, item.field, item.message)
            if len(errors) < MAX_ERRORS:
                errors.append(str(item))
            continue
        valid.append(item[1])
    if errors:
        return ImportOut(imported=0, skipped_existing=0, errors=errors)
    return db.write(engine, lambda conn: _store(conn, valid))


def _store(conn: Connection, valid: list[Task]) -> ImportOut:
    existing: set[str] = set()
    for start in range(0, len(valid), _CHUNK):
        existing |= existing_task_ids(conn, (t.id for t in valid[start : start + _CHUNK]))
    new = [task for task in valid if task.id not in existing]
    if new:
        first = seqs.take(conn, len(new))
        now = utc_now()
        rows = [
            {
                "id": task.id,
                "language": task.language.value,
                "is_gold": task.gold is not None,
                "body": canonical(task_to_dict(task)),
                "position": first + offset,
                "seq": first + offset,
                "imported_at": now,
            }
            for offset, task in enumerate(new)
        ]
        for start in range(0, len(rows), _CHUNK):
            conn.execute(tasks.insert(), rows[start : start + _CHUNK])
    return ImportOut(imported=len(new), skipped_existing=len(existing), errors=[])
