"""Repository tasks as tasks of the workspace, and their annotations as export judgements.

A repository task enters the store as an ordinary task (prompt = the issue text,
responses = the patches, named as in the task file) whose metadata says its kind and where
its task file is: two patches make a pairwise task, three to eight a ranked one (responses
a..h, as a ranked code task), and a task file's ``pair`` keeps a task of more patches
pairwise. The queue, sync, QA agreement, the leaderboard and ``export-rankings`` then
treat it like any other task, and its annotation is a normal one (scores, preference or
ranking, rationale); only opening it differs: the app routes the repository kind to the
repository views, which read the task file for the snapshot, environment and tests. No
schema change is needed, because the kind travels in the task's metadata.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from coderlhf_tui.critiques import is_critique
from coderlhf_tui.domain import MAX_RESPONSES, Annotation, Language, Response, Task, TaskType
from coderlhf_tui.ranking import derived_pairs, group_of
from coderlhf_tui.repotasks.patch_anchor import review_fields
from coderlhf_tui.repotasks.task_format import RepoTask, load_task
from coderlhf_tui.store import Store

KIND = "repository"
"""``metadata["kind"]`` of a repository task in the store."""


def store_indices(task: RepoTask) -> tuple[int, ...]:
    """The task file's responses the workspace task holds: the file's ``pair`` when it
    names one, else all of them (the first eight: a ranking holds at most eight)."""
    names = [r.name for r in task.responses]
    if task.pair:
        return tuple(names.index(name) for name in task.pair)
    return tuple(range(min(len(names), MAX_RESPONSES)))


def as_store_task(task: RepoTask, pair: tuple[int, int] | None = None) -> Task:
    """The workspace task of a repository task: ``pair``'s two responses when given, else
    those ``store_indices`` names (a ranked task for three or more)."""
    chosen = [task.responses[i] for i in (pair or store_indices(task))]
    responses = tuple(Response(id=r.name, code=r.patch, model=r.name) for r in chosen)
    return Task(
        id=task.instance_id,
        language=Language.PYTHON,
        prompt=task.problem,
        responses=responses,
        task_type=TaskType.FIX,
        metadata={"kind": KIND, "task_file": str(Path(task.source).resolve()), "repo": task.repo},
    )


def is_repository(task: Task | None) -> bool:
    """Whether a store task is a repository task."""
    return task is not None and task.metadata.get("kind") == KIND


def import_repo_tasks(store: Store, tasks: list[RepoTask]) -> int:
    """Add the tasks the workspace does not hold yet; how many were added."""
    new = [as_store_task(t) for t in tasks if store.get_task(t.instance_id) is None]
    return store.insert_tasks(new) if new else 0


def repo_task_of(task: Task, also_in: Sequence[Path] = ()) -> RepoTask:
    """The repository task (snapshot, environment, tests) behind a store task: its task
    file where the importing machine wrote it, else a file of that name in ``also_in``
    (a synced task names the path on the machine that imported it)."""
    written = Path(task.metadata["task_file"])
    for folder in also_in:
        if not written.is_file() and (folder / written.name).is_file():
            return load_task(folder / written.name)
    return load_task(written)


def pair_indices(repo: RepoTask, task: Task, shown_order: str) -> tuple[int, int]:
    """The repository task's indices of the responses shown left and right."""
    names = [r.name for r in repo.responses]
    a, b = (names.index(r.id) for r in task.responses)
    return (a, b) if shown_order == "ab" else (b, a)


def judgement_of(task: Task, annotation: Annotation) -> dict[str, Any]:
    """A stored annotation in the terms of the repository export (``export.preference_pairs``)."""
    names = {"a": task.responses[0].id, "b": task.responses[1].id}
    preference = annotation.preference
    winner = "" if preference is None else names.get(preference.winner, "tie")
    return {
        "instance_id": task.id,
        "responses": [names["a"], names["b"]],
        "preference": winner,
        "strength": 0 if preference is None else preference.strength,
        "rationale": annotation.rationale,
        "scores": {names[k]: dict(v) for k, v in annotation.scores.items() if k in names},
        "annotator": annotation.annotator,
    }


def ranked_judgements(task: Task, annotation: Annotation) -> list[dict[str, Any]]:
    """A ranked annotation as the export's pairwise judgements: one per two patches, the
    better one preferred with the derived pair's strength (``ranking.derived_pairs``), two
    tied patches a tie (no pair, as a pairwise tie), so the grades never outvote it."""
    ranking = annotation.ranking or []
    names: dict[str, str] = {key: task.response(key).id for key in task.keys}
    groups = group_of(ranking)
    common = {"instance_id": task.id, "rationale": annotation.rationale,
              "annotator": annotation.annotator}  # fmt: skip
    tied = [
        {**common, "responses": [names[x], names[y]], "preference": "tie", "strength": 0}
        for x, y in itertools.combinations(sorted(groups), 2)
        if groups[x] == groups[y]
    ]
    return tied + [
        {
            **common,
            "responses": [names[p.better], names[p.worse]],
            "preference": names[p.better],
            "strength": p.strength,
        }
        for p in derived_pairs(ranking)
    ]


def stored_judgements(store: Store, instance_id: str) -> list[dict[str, Any]]:
    """Every annotation of a repository task in the workspace, as export judgements (a
    ranking as the pairs it implies)."""
    task = store.get_task(instance_id)
    if not is_repository(task):
        return []
    assert task is not None
    judged: list[dict[str, Any]] = []
    for annotation in store.list_annotations(task_id=instance_id):
        if annotation.ranking is not None and task.is_ranked:
            judged += ranked_judgements(task, annotation)
        elif annotation.preference is not None:
            judged.append(judgement_of(task, annotation))
    return judged


def stored_critiques(store: Store, instance_id: str) -> list[dict[str, Any]]:
    """Every line critique on a repository task's patches in the workspace: the patch lines
    it was made on and GitHub's anchor in the touched file (``patch_anchor.py``). Disputed
    scanner findings are verdicts, not critiques, and are left out as in ``export``."""
    task = store.get_task(instance_id)
    if task is None or not is_repository(task):
        return []
    names = {key: task.response(key).id for key in task.keys}
    return [
        {
            "response": names[comment.response],
            "annotator": annotation.annotator,
            "category": comment.category,
            "severity": str(comment.severity),
            "text": comment.text,
            "quote": comment.quote,
            "rule_id": comment.rule_id,
            "patch_lines": [comment.start_line, comment.end_line],
            **review_fields(
                task.response(comment.response).code, comment.start_line, comment.end_line
            ),
        }
        for annotation in store.list_annotations(task_id=instance_id)
        for comment in annotation.comments
        if comment.response in names and is_critique(comment)
    ]
