"""Exporting graded repository tasks: TRL preference rows and canonical records.

A pair's chosen and rejected are two responses' patches; the prompt is the issue text and,
as an option, the base content of every file either patch touches (what a model would
have been shown). Until annotators' preferences on repository tasks are stored, the
preference comes from the grades, best first: resolved, partially resolved, not resolved,
exited early, patch failed; responses with the same grade make no pair, and the margin is
the distance between the grades. Rows are TRL's conversational preference format
(``prompt``/``chosen``/``rejected`` message lists plus ``margin``). The canonical record
keeps the instance id, the base, each response's patch, grade, per-test results and cache
hash, and the pairs.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

from coderlhf_tui.repotasks.grading import Grade, RepoRun
from coderlhf_tui.repotasks.task_format import RepoTask

GRADE_ORDER = (
    Grade.RESOLVED,
    Grade.PARTIALLY_RESOLVED,
    Grade.NOT_RESOLVED,
    Grade.EXITED_EARLY,
    Grade.PATCH_FAILED,
)
_TOUCHED = re.compile(r"^diff --git a/(\S+) b/(\S+)$", re.MULTILINE)


def touched_files(patch: str) -> list[str]:
    """The paths a unified git diff changes (its ``a/`` side), in order, once each."""
    return list(dict.fromkeys(match[0] for match in _TOUCHED.findall(patch)))


def prompt_text(task: RepoTask, base: Path | None = None) -> str:
    """The issue text, then (with ``base``, a checkout) each touched file's base content."""
    parts = [task.problem.strip() or f"Fix the issue in {task.repo}."]
    if base is not None:
        names = dict.fromkeys(name for r in task.responses for name in touched_files(r.patch))
        for name in names:
            path = base / name
            if path.is_file() and not path.is_symlink():
                text = path.read_text(encoding="utf-8", errors="replace")
                parts.append(f"--- {name} (at {task.base_commit[:12]})\n{text}")
    return "\n\n".join(parts)


def preference_pairs(runs: list[RepoRun]) -> list[tuple[RepoRun, RepoRun, float]]:
    """(chosen, rejected, margin) for every two runs whose grades differ."""
    rank = {grade: index for index, grade in enumerate(GRADE_ORDER)}
    pairs = []
    for one, two in itertools.combinations(runs, 2):
        gap = rank[two.grade] - rank[one.grade]
        if gap:
            chosen, rejected = (one, two) if gap > 0 else (two, one)
            pairs.append((chosen, rejected, float(abs(gap))))
    return pairs


def trl_rows(task: RepoTask, runs: list[RepoRun], prompt: str) -> list[dict[str, Any]]:
    """TRL conversational preference rows, one per pair."""
    patches = {r.name: r.patch for r in task.responses}
    return [
        {
            "id": f"{task.instance_id}:{chosen.response}>{rejected.response}",
            "prompt": [{"role": "user", "content": prompt}],
            "chosen": [{"role": "assistant", "content": patches[chosen.response]}],
            "rejected": [{"role": "assistant", "content": patches[rejected.response]}],
            "margin": margin,
        }
        for chosen, rejected, margin in preference_pairs(runs)
    ]


def canonical_record(task: RepoTask, runs: list[RepoRun]) -> dict[str, Any]:
    """Everything a later reader needs to re-check the data: ids, base, grades, tests."""
    patches = {r.name: r.patch for r in task.responses}
    return {
        "instance_id": task.instance_id,
        "repo": task.repo,
        "base_commit": task.base_commit,
        "snapshot_sha256": task.snapshot.sha256,
        "problem_statement": task.problem,
        "test_patch": task.test_patch,
        "FAIL_TO_PASS": list(task.fail_to_pass),
        "PASS_TO_PASS": list(task.pass_to_pass),
        "responses": [
            {"patch": patches[run.response], **run.to_json(), "grade": str(run.grade)}
            for run in runs
        ],
        "pairs": [
            {"chosen": c.response, "rejected": r.response, "margin": m, "source": "tests"}
            for c, r, m in preference_pairs(runs)
        ],
    }
