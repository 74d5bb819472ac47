"""``coderlhf repo``: check names the hunk, run prints the F2P/P2P table, bad input exits 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from coderlhf_tui.cli import main
from coderlhf_tui.repotasks.environments import ensure_image
from coderlhf_tui.repotasks.run_cache import StoreRunCache
from coderlhf_tui.repotasks.task_format import RepoTask
from coderlhf_tui.store import Store

pytestmark = pytest.mark.xdist_group("repotasks")


def test_check_names_the_patch_that_does_not_apply(
    demo_tasks: dict[str, RepoTask], downloads: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    task = demo_tasks["toolz__frequencies-empty"]
    status = main(["repo", "check", "--json", "--cache", str(downloads), task.source])
    [report] = json.loads(capsys.readouterr().out)
    assert status == 1
    assert report["problems"] == [
        "[responses[2].patch] agent-c: toolz/itertoolz.py: hunk #1"
        " (@@ -544,8 +544,6 @@ def frequencies(seq):) does not apply"
    ]


def test_a_task_with_a_bad_hash_exits_2_naming_the_field(
    demo_tasks: dict[str, RepoTask], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = Path(demo_tasks["toolz__frequencies-empty"].source)
    data = json.loads(source.read_text())
    data["snapshot"]["sha256"] = "0" * 64
    data["snapshot"]["path"] = str(source.parent / data["snapshot"]["path"])
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    status = main(["repo", "run", "--cache", str(tmp_path / "c"), str(bad)])
    assert status == 2
    assert "[snapshot.sha256]" in capsys.readouterr().err


def test_images_list_shows_the_environment_images(
    engine: Any,
    demo_tasks: dict[str, RepoTask],
    base_image: str,
    downloads: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    task = demo_tasks["python-slugify__max-length-off-by-one"]
    tag = ensure_image(engine, task.environment, base_image, downloads)
    capsys.readouterr()
    assert main(["images", "list", "--json"]) == 0
    listed = {item["tag"]: item for item in json.loads(capsys.readouterr().out)}
    assert listed[tag]["requirements"] == "text-unidecode==1.3"
    assert main(["repo", "envs"]) == 0
    assert tag in capsys.readouterr().out


def test_run_keeps_grades_and_per_test_results_in_the_workspace(
    demo_tasks: dict[str, RepoTask],
    downloads: Path,
    workspace_db: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    task = demo_tasks["toolz__frequencies-empty"]
    argv = ["repo", "run", "--json", "--cache", str(downloads), "--db", str(workspace_db)]
    argv += ["--response", "agent-b", task.source]
    assert main(argv) == 0
    [first] = json.loads(capsys.readouterr().out)
    assert main(argv) == 0
    [again] = json.loads(capsys.readouterr().out)
    assert again["cached"] and again["content_hash"] == first["content_hash"]
    with Store.open(workspace_db) as store:
        [stored] = StoreRunCache(store).runs_of(task.instance_id)[-1:]
        grade = store.conn.execute(
            "SELECT grade FROM repo_runs WHERE content_hash = ?", (first["content_hash"],)
        ).fetchone()[0]
    assert grade == "not_resolved" == stored["grade"]
    assert stored["pass_to_pass"]["toolz/tests/test_recipes.py::test_countby"] == "failed"
    assert stored["tests"] == first["tests"] and len(stored["tests"]) > 40


def test_demo_puts_the_repository_tasks_in_the_workspace_queue(
    downloads: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "ws.db")
    assert main(["repo", "demo", "--db", db, "--cache", str(downloads), str(tmp_path / "d")]) == 0
    capsys.readouterr()
    assert main(["tasks", "--db", db, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    ids = sorted(row["id"] for row in listed)
    assert ids == sorted(p.stem for p in (tmp_path / "d").glob("*.json"))
    assert len(ids) >= 3
    assert main(["repo", "demo", "--db", db, "--cache", str(downloads), str(tmp_path / "d")]) == 0
    capsys.readouterr()
    assert main(["tasks", "--db", db, "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == len(ids)  # a second demo adds none
