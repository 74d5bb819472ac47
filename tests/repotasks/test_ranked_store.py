"""A repository task of three patches in the workspace: a ranked task whose ranked annotation
round-trips through the store and exports as pairs of patches (``export-rankings``)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from coderlhf_tui.cli import main
from coderlhf_tui.domain import Annotation, AnnotationStatus
from coderlhf_tui.repotasks.stored import (
    as_store_task,
    import_repo_tasks,
    is_repository,
    ranked_judgements,
    stored_judgements,
)
from coderlhf_tui.repotasks.task_format import RepoTask
from coderlhf_tui.store import Store

RANKED = "toolz__frequencies-ranked"
PAIRED = "toolz__frequencies-empty"


def test_three_patches_are_a_ranked_task_and_export_as_patch_pairs(
    demo_tasks: dict[str, RepoTask], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ranked, paired = demo_tasks[RANKED], demo_tasks[PAIRED]
    db = tmp_path / "w.db"
    with Store.open(db) as store:
        assert import_repo_tasks(store, [ranked, paired]) == 2
        task = store.get_task(RANKED)
        assert task is not None and is_repository(task) and task.is_ranked
        assert [r.id for r in task.responses] == ["agent-a", "agent-b", "agent-c"]
        assert [r.code for r in task.responses] == [r.patch for r in ranked.responses]
        pair_task = store.get_task(PAIRED)  # its task file's "pair" keeps it pairwise
        assert pair_task is not None and not pair_task.is_ranked
        assert [r.id for r in pair_task.responses] == ["agent-a", "agent-b"]
        assert as_store_task(ranked, (0, 2)).responses[1].id == "agent-c"
        store.save_annotation(
            Annotation(
                id="r1",
                task_id=RANKED,
                annotator="ak",
                revision=0,
                shown_order="cab",
                rubric_version=1,
                ranking=[["a"], ["b"], ["c"]],
                rationale="a fixes it; b breaks countby; c does not apply",
                status=AnnotationStatus.SUBMITTED,
            )
        )
        stored = store.get_annotation(RANKED, "ak")
        assert stored is not None and stored.ranking == [["a"], ["b"], ["c"]]
        judged = {  # what `coderlhf repo export` takes: the pairs the ranking implies
            tuple(j["responses"]): (j["preference"], j["strength"])
            for j in stored_judgements(store, RANKED)
        }
        assert judged == {
            ("agent-a", "agent-b"): ("agent-a", 1),
            ("agent-a", "agent-c"): ("agent-a", 2),
            ("agent-b", "agent-c"): ("agent-b", 1),
        }
        tied = ranked_judgements(task, replace(stored, ranking=[["b", "a"], ["c"]]))
        pairs = {tuple(j["responses"]): j["preference"] for j in tied}
        assert pairs[("agent-a", "agent-b")] == "tie"  # no pair; the grades do not outvote it
    out = tmp_path / "pairs"
    assert main(["export-rankings", "--format", "trl", "--out", str(out), "--db", str(db)]) == 0
    capsys.readouterr()
    rows = [json.loads(line) for path in sorted(out.rglob("*.jsonl")) for line in path.open()]
    patches = {r.name: r.patch for r in ranked.responses}
    got = {(_text(row["chosen"]), _text(row["rejected"])) for row in rows}
    assert got == {
        (patches["agent-a"], patches["agent-b"]),
        (patches["agent-a"], patches["agent-c"]),
        (patches["agent-b"], patches["agent-c"]),
    }
    issue = json.dumps(ranked.problem)[1:-1]  # the prompt is the issue text
    assert all(issue in json.dumps(row) for row in rows)


def _text(turns: object) -> str:
    """The assistant text of a TRL row's chosen/rejected (conversation or plain string)."""
    if isinstance(turns, str):
        return turns
    assert isinstance(turns, list)
    return str(turns[-1]["content"])
