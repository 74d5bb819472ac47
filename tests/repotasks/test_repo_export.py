"""Graded repository tasks export as TRL preference rows (checked with TRL's own data
utilities) and canonical records that keep the instance id, grades and per-test results."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from transformers import PreTrainedTokenizerFast

from coderlhf_tui.cli import main
from coderlhf_tui.cli.repo_cmd import judgements_file
from coderlhf_tui.repotasks.task_format import RepoTask
from tests.conftest import require_part
from tests.export.test_trl import (
    apply_chat_template,
    is_conversational,
    tokenizer,  # noqa: F401  (the chat tokenizer built offline)
)

pytestmark = pytest.mark.xdist_group("repotasks")


def test_toolz_exports_pairs_ordered_by_grade(
    demo_tasks: dict[str, RepoTask],
    results: Path,
    workspace_db: Path,
    tmp_path: Path,
    tokenizer: PreTrainedTokenizerFast,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    require_part("trl", apply_chat_template is not None, "scripts/setup dev installs it")
    task = demo_tasks["toolz__frequencies-empty"]
    argv = ["repo", "export", "--cache", str(results), "--db", str(workspace_db), "--out"]
    argv += [str(tmp_path), "--with-files"]
    assert main([*argv, task.source]) == 0
    rows = [json.loads(line) for line in (tmp_path / "trl.jsonl").read_text().splitlines()]
    patches = {r.name: r.patch for r in task.responses}
    # resolved > not resolved > patch failed: three pairs, the margin is the grade distance
    order = {row["id"].split(":")[1]: row["margin"] for row in rows}
    assert order == {"agent-a>agent-b": 2.0, "agent-a>agent-c": 4.0, "agent-b>agent-c": 2.0}
    for row in rows:
        example: dict[str, Any] = {k: row[k] for k in ("prompt", "chosen", "rejected")}
        assert is_conversational(example)
        text = apply_chat_template(example, tokenizer)
        chosen = row["id"].split(":")[1].split(">")[0]
        assert patches[chosen] in text["chosen"]
        assert "def frequencies(seq):" in text["prompt"]  # the touched file's base content
        assert task.problem in text["prompt"]
    [record] = [json.loads(line) for line in (tmp_path / "records.jsonl").read_text().splitlines()]
    assert record["instance_id"] == task.instance_id
    grades = {r["response"]: r["grade"] for r in record["responses"]}
    assert grades == {"agent-a": "resolved", "agent-b": "not_resolved", "agent-c": "patch_failed"}
    agent_b = next(r for r in record["responses"] if r["response"] == "agent-b")
    assert agent_b["pass_to_pass"]["toolz/tests/test_recipes.py::test_countby"] == "failed"
    assert len(agent_b["tests"]) > 40 and agent_b["content_hash"]
    capsys.readouterr()


def test_an_annotators_judgement_overrides_the_grades_for_its_pair(
    demo_tasks: dict[str, RepoTask], results: Path, workspace_db: Path, tmp_path: Path
) -> None:
    """Saved by the pair view beside the task: agent-b preferred over agent-a on purpose."""
    task = demo_tasks["toolz__frequencies-empty"]
    judged = judgements_file(Path(task.source))
    judgement = {
        "instance_id": task.instance_id,
        "responses": ["agent-a", "agent-b"],
        "preference": "agent-b",
        "rationale": "smaller change",
    }
    judged.write_text(json.dumps(judgement) + "\n")
    try:
        argv = ["repo", "export", "--cache", str(results), "--db", str(workspace_db)]
        argv += ["--out", str(tmp_path)]
        assert main([*argv, task.source]) == 0
    finally:
        judged.unlink()
    rows = [json.loads(line) for line in (tmp_path / "trl.jsonl").read_text().splitlines()]
    sources = {row["id"].split(":")[1]: row["source"] for row in rows}
    assert sources == {"agent-b>agent-a": "annotator", "agent-a>agent-c": "tests",
                       "agent-b>agent-c": "tests"}  # fmt: skip
    [record] = [json.loads(line) for line in (tmp_path / "records.jsonl").read_text().splitlines()]
    assert {"chosen": "agent-b", "rejected": "agent-a", "margin": 1.0, "source": "annotator",
            "rationale": "smaller change"} in record["pairs"]  # fmt: skip
