"""The command line end to end: import, list, show, annotate, list annotations."""

from __future__ import annotations

import json
from pathlib import Path

from coderlhf_tui.rubric import load_rubric
from tests.core.helpers import run_cli, task_record, write_jsonl

DIMENSIONS = load_rubric().dimension_names


def _workspace(tmp_path: Path) -> Path:
    db = tmp_path / "w.db"
    records = [task_record("t-1"), task_record("t-2", language="go"), task_record("t-3")]
    run_cli("import", write_jsonl(tmp_path / "t.jsonl", records), "--db", db, check=True)
    return db


def _scores(key: str, level: int) -> list[str]:
    return [f"--score={key}.{d}={level}" for d in DIMENSIONS]


def test_tasks_json_filters(tmp_path: Path) -> None:
    db = _workspace(tmp_path)
    rows = json.loads(run_cli("tasks", "--json", "--db", db, check=True).stdout)
    assert [(r["id"], r["language"], r["status"]) for r in rows] == [
        ("t-1", "python", "new"),
        ("t-2", "go", "new"),
        ("t-3", "python", "new"),
    ]
    go = json.loads(run_cli("tasks", "--json", "--language", "go", "--db", db, check=True).stdout)
    assert [r["id"] for r in go] == ["t-2"]


def test_annotate_then_list_and_show(tmp_path: Path) -> None:
    db = _workspace(tmp_path)
    rationale = "A adds correctly; B subtracts, so it is wrong for every input."
    result = run_cli(
        "annotate",
        "t-1",
        "--preference",
        "A>>B",
        *_scores("a", 5),
        *_scores("b", 1),
        "--score",
        "b.security=3",
        "--rationale",
        rationale,
        "--tag",
        "FAILS_TESTS",
        "--annotator",
        "ak",
        "--time-spent",
        "42",
        "--db",
        db,
        "--json",
    )
    assert result.returncode == 0, result.stderr
    saved = json.loads(result.stdout)
    assert saved["revision"] == 1 and saved["status"] == "submitted"
    assert saved["scores"]["b"]["security"] == 3 and saved["scores"]["b"]["correctness"] == 1
    again = run_cli(
        "annotate", "t-1", "--preference", "A>B", "--annotator", "ak", "--db", db, "--json"
    )
    assert json.loads(again.stdout)["revision"] == 2
    listed = json.loads(
        run_cli("annotations", "--json", "--history", "--db", db, check=True).stdout
    )
    assert len(listed) == 1 and listed[0]["preference"] == "A>B"
    assert [h["preference"] for h in listed[0]["history"]] == ["A>>B", "A>B"]
    assert listed[0]["rationale"] == rationale and listed[0]["time_spent_s"] == 42
    shown = json.loads(run_cli("show", "t-1", "--json", "--db", db, check=True).stdout)
    assert shown["task"]["id"] == "t-1" and shown["annotations"][0]["annotator"] == "ak"
    rows = json.loads(
        run_cli("tasks", "--json", "--status", "submitted", "--db", db, check=True).stdout
    )
    assert [r["id"] for r in rows] == ["t-1"]


def test_annotate_rejects_what_the_rubric_forbids(tmp_path: Path) -> None:
    db = _workspace(tmp_path)
    cases = [
        (["--score", "a.correctness=9"], "scores.a.correctness: 9 is outside 1..5"),
        (["--score", "a.speed=3"], "scores.a.speed: unknown dimension"),
        (["--score", "correctness=3"], "expected KEY.DIMENSION=LEVEL"),
        (["--tag", "NOPE"], "tags: unknown tag 'NOPE'"),
        ([], "preference: required"),
        (["--preference", "tie"], "rationale: 0 characters"),
    ]
    for extra, message in cases:
        result = run_cli("annotate", "t-1", "--annotator", "ak", "--db", db, *extra)
        assert result.returncode == 2 and message in result.stderr, (extra, result.stderr)
        assert "Traceback" not in result.stderr
    missing = run_cli("annotate", "nope", "--annotator", "ak", "--db", db, "--draft")
    assert missing.returncode == 2 and "no task 'nope'" in missing.stderr
    draft = run_cli(
        "annotate", "t-1", "--draft", "--score", "a.style=2", "--annotator", "ak", "--db", db
    )
    assert draft.returncode == 0, draft.stderr


def test_show_unknown_task_and_bad_database(tmp_path: Path) -> None:
    db = _workspace(tmp_path)
    result = run_cli("show", "zzz", "--db", db)
    assert result.returncode == 2 and "no task 'zzz'" in result.stderr
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    result = run_cli("tasks", "--db", junk)
    assert result.returncode == 2 and "not a coderlhf workspace" in result.stderr
