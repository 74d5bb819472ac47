"""import-annotations carries line comments: validated, anchored against the code, stored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from coderlhf_tui.cli import main
from coderlhf_tui.quality.annotation_import import import_annotation_file
from coderlhf_tui.rubric import load_rubric
from tests.critiques.helpers import RATE_LIMITER, demo_store


def record(comments: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": "0b4a9e2e-1111-4c3f-9d0a-000000000001",
        "task_id": RATE_LIMITER,
        "annotator": "remote",
        "revision": 2,
        "status": "in_progress",
        "preference": "B>A",
        "comments": comments,
    }


def write(path: Path, *records: dict[str, Any]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_comments_import_with_quotes_filled_in(tmp_path: Path) -> None:
    store = demo_store(tmp_path / "ws.db")
    task = store.get_task(RATE_LIMITER)
    assert task is not None
    lines = task.response("b").code.splitlines()
    path = write(
        tmp_path / "in.jsonl",
        record(
            [
                {
                    "id": "c1",
                    "response": "b",
                    "start_line": 3,
                    "end_line": 4,
                    "category": "edge_case",
                    "severity": "MEDIUM",
                    "text": "burst at start",
                },
                {
                    "id": "c2",
                    "response": "a",
                    "start_line": 1,
                    "category": "security",
                    "severity": "LOW",
                    "rule_id": "py.x",
                    "verdict": "dispute",
                },
            ]
        ),
    )
    store.close()
    assert main(["import-annotations", str(path), "--db", str(tmp_path / "ws.db")]) == 0
    store = demo_store(tmp_path / "ws2.db")
    report = import_annotation_file(store, path, load_rubric())
    assert not report.errors and report.stored == 1
    stored = store.get_annotation(RATE_LIMITER, "remote")
    assert stored is not None
    first, second = stored.comments
    assert first.quote == "\n".join(lines[2:4])
    assert second.verdict is not None and second.verdict.value == "dispute"
    assert second.end_line == 1


def test_bad_comments_are_errors_naming_the_field(tmp_path: Path) -> None:
    store = demo_store(tmp_path / "ws.db")
    rubric = load_rubric()
    cases = {
        "comments[0].category": {"category": "nitpick"},
        "comments[0].end_line": {"start_line": 5, "end_line": 500},
        "comments[0].quote": {"quote": "not the code"},
        "comments[0].severity": {"severity": "URGENT"},
        "comments[0].colour": {"colour": "red"},
    }
    for index, (field, change) in enumerate(cases.items()):
        base = {
            "id": "c1",
            "response": "a",
            "start_line": 2,
            "end_line": 2,
            "category": "style",
            "severity": "LOW",
        }
        path = write(tmp_path / f"bad{index}.jsonl", record([{**base, **change}]))
        report = import_annotation_file(store, path, rubric)
        assert [e.field for e in report.errors] == [field], (field, report.errors)
        assert store.get_annotation(RATE_LIMITER, "remote") is None
