"""Repository tasks stored in a workspace never reach the code-pair exports.

They are pairs of patches with a `kind: repository` in their metadata (docs/repotasks.md);
`coderlhf repo export` writes their dataset, so `coderlhf export` must not list the patches as
two code answers.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from coderlhf_tui.repotasks.stored import KIND
from coderlhf_tui.rubric import Rubric
from coderlhf_tui.store import Store
from tests.export.helpers import export_rows
from tests.export.workspace import Workspace, annotate, task


def test_a_judged_repository_task_is_left_out(
    workspace: Workspace, rubric: Rubric, tmp_path: Path
) -> None:
    path = tmp_path / "with-repo.db"
    shutil.copy(workspace.path, path)
    store = Store(path)
    try:
        repo_task = replace(task("repo-toolz-1"), metadata={"kind": KIND, "repo": "toolz"})
        store.insert_tasks([repo_task])
        annotate(store, rubric, "repo-toolz-1", "ak", "A>>B")
    finally:
        store.close()
    before, rows_before = export_rows(workspace.path, tmp_path / "before.parquet", rubric)
    after, rows = export_rows(path, tmp_path / "after.parquet", rubric)
    assert "repo-toolz-1" not in rows
    assert after.pairs_read == before.pairs_read and sorted(rows) == sorted(rows_before)
