"""``coderlhf demo`` (the README's first command) sets up the repository tasks with the rest,
once; where the sdists cannot be fetched the demo still works and names the command that adds
them later."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from coderlhf_tui.cli import main
from coderlhf_tui.repotasks.demo import demo_specs
from coderlhf_tui.repotasks.demo_workspace import later_command, tasks_folder
from coderlhf_tui.repotasks.stored import is_repository, repo_task_of
from coderlhf_tui.store import Store
from tests.conftest import require_part


def _counts(out: str) -> tuple[int, int]:
    found = re.search(r": (\d+) tasks \((\d+) new\)", out)
    assert found is not None, out
    return int(found[1]), int(found[2])


def test_the_main_demo_adds_the_repository_tasks_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "demo.db"
    assert main(["demo", "--no-open", "--db", str(db), "--annotator", "ak"]) == 0
    first = capsys.readouterr().out
    require_part("the package index (pip download)", "not added" not in first, first)
    ids = {spec[k] for spec in demo_specs() for k in ("instance_id", "ranked_instance_id")
           if k in spec}  # fmt: skip
    with Store.open(db) as store:
        repo_tasks = [t for t in store.iter_tasks() if is_repository(t)]
        assert {t.id for t in repo_tasks} == ids
        total = store.count_tasks()
        for task in repo_tasks:  # the task file beside the workspace, its snapshot intact
            assert repo_task_of(task).source.startswith(str(tasks_folder(db)))
    assert _counts(first) == (total, total)
    started = time.monotonic()
    assert main(["demo", "--no-open", "--db", str(db)]) == 0
    assert _counts(capsys.readouterr().out) == (total, 0)
    assert time.monotonic() - started < 30  # nothing fetched or rebuilt the second time


def test_without_the_package_index_the_demo_still_works_and_says_how_to_add_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "empty-cache"))  # no sdist cached
    monkeypatch.setenv("PIP_NO_INDEX", "1")  # and pip may not reach any index
    monkeypatch.setenv("PIP_FIND_LINKS", "")
    db = tmp_path / "demo.db"
    assert main(["demo", "--no-open", "--db", str(db), "--annotator", "ak"]) == 0
    out = capsys.readouterr().out
    assert "repository tasks not added (" in out and "pip download failed" in out
    assert f"Add them later with: {later_command(db)}" in out
    with Store.open(db) as store:
        assert store.count_tasks() > 0
        assert not any(is_repository(t) for t in store.iter_tasks())
        assert _counts(out) == (store.count_tasks(), store.count_tasks())
