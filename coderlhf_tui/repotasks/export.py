"""Exporting graded repository tasks: TRL preference rows and canonical records.

A pair's chosen and rejected are two responses' patches; the prompt is the issue text and,
as an option, the base content of every file either patch touches (what a model would
have been shown). A pair an annotator judged in the pair view takes the annotator's
preference (a tie makes no pair); any other pair's preference comes from the grades, best
first: resolved, partially resolved, not resolved, exited early, patch failed; responses
with the same grade make no pair, and the margin is the distance between the grades.
Rows are TRL's conversational preference format (``prompt``/``chosen``/``rejected``
message lists plus ``margin`` and ``source``). The canonical record
keeps the instance id, the base, each response's patch, grade, per-test results and cache
hash, the pairs, and the annotators' line critiques on the patches with their GitHub anchor.
The critiques are also written one per row in the fields of ``coderlhf export --format
critiques`` (prompt, response, GitHub anchor, quoted code, category, severity, text), the
response being the patch, so critique models read repository tasks like other tasks.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class Pair:
    """One exported preference: who is chosen, by how much, on whose word."""

    chosen: RepoRun
    rejected: RepoRun
    margin: float
    source: str  # "annotator" or "tests"
    rationale: str = ""


def preference_pairs(
    runs: list[RepoRun], judgements: list[dict[str, Any]] | tuple[()] = ()
) -> list[Pair]:
    """A pair for every two runs: an annotator's latest judgement of them where there is
    one (a tie makes no pair), otherwise the grades when they differ."""
    rank = {grade: index for index, grade in enumerate(GRADE_ORDER)}
    latest = {frozenset(j.get("responses", ())): j for j in judgements}
    pairs = []
    for one, two in itertools.combinations(runs, 2):
        judged = latest.get(frozenset((one.response, two.response)))
        if judged is not None:
            winner = judged.get("preference")
            if winner in (one.response, two.response):
                chosen, rejected = (one, two) if winner == one.response else (two, one)
                rationale = str(judged.get("rationale", ""))
                margin = float(judged.get("strength") or 1)  # 2 for "much better"
                pairs.append(Pair(chosen, rejected, margin, "annotator", rationale))
            continue
        gap = rank[two.grade] - rank[one.grade]
        if gap:
            chosen, rejected = (one, two) if gap > 0 else (two, one)
            pairs.append(Pair(chosen, rejected, float(abs(gap)), "tests"))
    return pairs


def trl_rows(task: RepoTask, pairs: list[Pair], prompt: str) -> list[dict[str, Any]]:
    """TRL conversational preference rows, one per pair."""
    patches = {r.name: r.patch for r in task.responses}
    return [
        {
            "id": f"{task.instance_id}:{pair.chosen.response}>{pair.rejected.response}",
            "prompt": [{"role": "user", "content": prompt}],
            "chosen": [{"role": "assistant", "content": patches[pair.chosen.response]}],
            "rejected": [{"role": "assistant", "content": patches[pair.rejected.response]}],
            "margin": pair.margin,
            "source": pair.source,
        }
        for pair in pairs
    ]


def canonical_record(
    task: RepoTask,
    runs: list[RepoRun],
    pairs: list[Pair],
    critiques: list[dict[str, Any]] | tuple[()] = (),
) -> dict[str, Any]:
    """Everything a later reader needs to re-check the data: ids, base, grades, tests,
    and the line critiques (``stored.stored_critiques``)."""
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
            {
                "chosen": pair.chosen.response,
                "rejected": pair.rejected.response,
                "margin": pair.margin,
                "source": pair.source,
                "rationale": pair.rationale,
            }
            for pair in pairs
        ],
        "critiques": list(critiques),
    }


def critique_rows(task: RepoTask, critiques: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per line critique, in the critique export's fields (``export/critiques.py``)."""
    patches = {r.name: r.patch for r in task.responses}
    return [
        {
            "id": f"{task.instance_id}:{c['response']}:{c['annotator']}:{index}",
            "task_id": task.instance_id,
            "prompt": task.problem,
            "response_key": c["response"],
            "response": patches.get(c["response"], ""),
            "annotator": c["annotator"],
            "path": c["path"],
            "line": c["line"],
            "start_line": c["start_line"],
            "side": c["side"],
            "start_side": c["start_side"],
            "quoted_code": c["quote"],
            "category": c["category"],
            "severity": c["severity"],
            "text": c["text"],
            "rule_id": c["rule_id"],
        }
        for index, c in enumerate(critiques)
    ]
