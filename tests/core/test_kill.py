"""A writer killed with SIGKILL mid-stream loses no committed annotation.

The child saves annotations as fast as it can and prints each one's id and revision
after ``save_annotation`` returns (i.e. after COMMIT). The parent kills it without
warning, then checks every reported annotation is in the store at that revision or
later, and that SQLite's own integrity check passes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from coderlhf_tui.domain import Language, Response, Task
from coderlhf_tui.store import Store

WRITER = textwrap.dedent(
    """
    import sys, uuid
    from coderlhf_tui.domain import Annotation, Preference
    from coderlhf_tui.store import Store
    store = Store.open(sys.argv[1])
    ids = [str(uuid.uuid4()) for _ in range(20)]
    current = {}
    i = 0
    while True:
        ann_id = ids[i % 20]
        ann = current.get(ann_id) or Annotation(ann_id, f"t-{i % 20}", "ak")
        ann.rationale = "x" * (i % 500)
        ann.preference = list(Preference)[i % 5]
        saved = store.save_annotation(ann)
        current[ann_id] = saved
        print(saved.id, saved.revision, flush=True)
        i += 1
    """
)


def test_sigkill_mid_stream_keeps_every_committed_annotation(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    with Store.open(db) as store:
        store.insert_tasks(
            Task(f"t-{i}", Language.PYTHON, "p", (Response("a", "1"), Response("b", "2")))
            for i in range(20)
        )
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    committed: dict[str, int] = {}
    for _ in range(3000):
        line = child.stdout.readline()
        ann_id, revision = line.split()
        committed[ann_id] = int(revision)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL
    with Store.open(db) as store:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for ann_id, revision in committed.items():
            stored = store.annotation_by_id(ann_id)
            assert stored is not None and stored.revision >= revision
            history = store.annotation_history(ann_id)
            assert [a.revision for a in history] == list(range(1, stored.revision + 1))
