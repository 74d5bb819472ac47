"""A repository task's annotation syncs through a real server on loopback and comes back on
the annotator's second machine: the task (its kind and task file), the preference, scores,
rationale and the line critique on a patch, which exports there with its GitHub anchor."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from coderlhf_tui.critiques import new_comment
from coderlhf_tui.domain import AnnotationStatus, Preference, Severity
from coderlhf_tui.repotasks.stored import (
    as_store_task,
    is_repository,
    repo_task_of,
    stored_critiques,
    stored_judgements,
)
from coderlhf_tui.repotasks.task_format import RepoTask
from coderlhf_tui.serialize import task_to_dict
from coderlhf_tui.sync.client import SyncClient
from coderlhf_tui.sync.server import accounts, assign, db
from coderlhf_tui.sync.server.serve import BackgroundServer
from coderlhf_tui.sync.server.settings import ServerSettings
from coderlhf_tui.sync.server.tasks_import import import_task_file
from tests.sync.helpers import new_annotation, open_store

pytestmark = pytest.mark.xdist_group("repotasks")

INSTANCE = "toolz__frequencies-empty"
LINE = "+    return {item: seq.count(item) for item in seq}"


def test_a_repository_annotation_syncs_to_a_second_machine(
    demo_tasks: dict[str, RepoTask], tmp_path: Path
) -> None:
    task = as_store_task(demo_tasks[INSTANCE])
    engine = db.make_engine(f"sqlite:///{tmp_path / 'server.db'}")
    db.upgrade(engine)
    tokens = {
        name: accounts.create_user(engine, name, role, "python", 5)[1]
        for name, role in (("ann1", "annotator"), ("lead", "lead"))
    }
    task_file = tmp_path / "tasks.jsonl"
    task_file.write_text(json.dumps(task_to_dict(task)) + "\n", encoding="utf-8")
    assert import_task_file(engine, task_file).imported == 1
    assign.assign(engine, k=1, gold_rate=0.0)

    laptop = open_store(tmp_path / "laptop.db", "ann1")
    desktop = open_store(tmp_path / "desktop.db", "ann1")
    with BackgroundServer(ServerSettings(db_url=f"sqlite:///{tmp_path / 'server.db'}")) as server:
        with SyncClient(laptop, server.url, tokens["ann1"]) as client:
            assert client.sync().ok
        pulled = laptop.get_task(INSTANCE)
        assert pulled is not None and is_repository(pulled)
        patch = pulled.response("b").code
        line = patch.split("\n").index(LINE) + 1
        critique = new_comment(
            patch, "b", line, line, "correctness_bug", Severity.MEDIUM, "counts in quadratic time"
        )
        annotation = new_annotation(INSTANCE, "ann1", preference=Preference.A_MUCH_BETTER)
        annotation = replace(annotation, comments=[critique])
        laptop.save_annotation(annotation)
        with SyncClient(laptop, server.url, tokens["ann1"]) as client:
            assert client.sync().ok and laptop.outbox_count() == 0
        with SyncClient(desktop, server.url, tokens["ann1"]) as client:  # the second machine
            assert client.sync().ok

    back = desktop.get_annotation(INSTANCE, "ann1")
    assert back is not None and back.status is AnnotationStatus.SUBMITTED
    assert back.id == annotation.id and back.preference is Preference.A_MUCH_BETTER
    assert [(c.response, c.start_line, c.quote, c.text) for c in back.comments] == [
        ("b", line, LINE, "counts in quadratic time")
    ]
    synced = desktop.get_task(INSTANCE)
    assert synced is not None and is_repository(synced)
    assert repo_task_of(synced).instance_id == INSTANCE  # its task file opens there
    [judgement] = stored_judgements(desktop, INSTANCE)
    assert judgement["preference"] == "agent-a" and judgement["strength"] == 2
    [exported] = stored_critiques(desktop, INSTANCE)
    anchor = (exported["path"], exported["line"], exported["side"])
    assert anchor == ("toolz/itertoolz.py", 548, "RIGHT")
