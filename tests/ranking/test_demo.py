"""The demo's ranked tasks: their tests separate the responses as intended, on the real
engine (Docker toolbox image) and the real scanner (semgrep)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from coderlhf_tui.demo import demo_ranked_tasks_path
from coderlhf_tui.domain import Task, Verdict
from coderlhf_tui.ingest import load_task_file
from coderlhf_tui.ranking import group_of, ranking_problems
from tests.conftest import require_part
from tests.core.helpers import run_cli


def ranked_demo() -> list[Task]:
    tasks, errors = load_task_file(demo_ranked_tasks_path())
    assert errors == []
    return tasks


def test_ranked_demo_records_its_intent() -> None:
    tasks = ranked_demo()
    assert len(tasks) >= 3 and all(len(t.responses) >= 4 for t in tasks)
    assert len({t.language for t in tasks}) >= 2
    for task in tasks:
        meta = task.metadata
        assert set(meta["expected_verdicts"]) == set(task.keys) == set(meta["expected_cwes"])
        assert ranking_problems(meta["intended_ranking"], task.keys) == []
        assert len({r.code for r in task.responses}) == len(task.responses)
        # the tests separate the ranking: nothing passing is ranked below something failing
        groups = group_of(meta["intended_ranking"])
        passing = [k for k, v in meta["expected_verdicts"].items() if v == "PASSED"]
        failing = [k for k, v in meta["expected_verdicts"].items() if v != "PASSED"]
        assert passing and failing
        assert max(groups[k] for k in passing) < min(groups[k] for k in failing)


def test_demo_command_imports_the_ranked_tasks(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    run_cli("demo", "--no-open", "--db", db, "--annotator", "ak", check=True)
    rows = json.loads(run_cli("tasks", "--json", "--db", db, check=True).stdout)
    ids = {row["id"] for row in rows}
    assert {task.id for task in ranked_demo()} <= ids


@pytest.mark.docker
@pytest.mark.xdist_group("docker-demo")
def test_ranked_demo_gives_the_intended_verdicts_on_the_real_engine() -> None:
    from tests.runners.corpus_support import describe, run_all  # skips without Docker

    tasks = ranked_demo()
    reports = [r for task in tasks for r in run_all([task], task.keys, timeout_s=30)]
    assert len(reports) == sum(len(t.responses) for t in tasks)
    wrong = [
        describe(r)
        for r in reports
        if r.run.verdict.value != r.task.metadata["expected_verdicts"][r.key]
    ]
    assert not wrong, "ranked demo responses with another verdict than intended:\n" + "\n".join(
        wrong
    )
    assert any(r.run.verdict is Verdict.TIME_LIMIT for r in reports)


def test_ranked_demo_findings_on_the_real_scanner() -> None:
    require_part(
        "semgrep", shutil.which("semgrep") is not None or Path(".venv/bin/semgrep").exists()
    )
    from coderlhf_tui.scan.service import scan_tasks

    scans = scan_tasks(ranked_demo(), None)
    for scan in scans:
        task = next(t for t in ranked_demo() if t.id == scan.task_id)
        expected = set(task.metadata["expected_cwes"][scan.response_key])
        found = {f.cwe_id for f in scan.findings}
        assert expected <= found, (scan.task_id, scan.response_key, found)
        if not expected:
            assert not any(f.cwe_id == "CWE-78" for f in scan.findings), scan.task_id
