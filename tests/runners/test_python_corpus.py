"""LDB's first-try Python programs, every seed file, through the real sandbox and pool.

(tests/runners/test_corpus_ldb.py runs two seed files whole; this samples all eight.)

- LDB first-try programs (HumanEval: 5 models, MBPP: 3 models): verdicts reproduce the
  stored ``is_solved`` labels on at least 97% of a fixed sample of records, each program run
  as LDB ran it (its executor's import header; the prompt above a bare function body).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coderlhf_tui.domain import Language, Response, Task, TestKind, TestSpec, Verdict
from coderlhf_tui.runners.base import RunRequest, run_many
from coderlhf_tui.runners.docker_backend import DockerBackend
from coderlhf_tui.runners.settings import RunnerSettings

LDB_HEADER = (
    "from typing import *\nimport math\nfrom heapq import *\nimport itertools\nimport re\n"
    "import typing\nimport heapq\n_str = str\n"
)
"""The imports LDB's (and Reflexion's) executor put above every program when it labelled them."""


def ldb_program(record: dict[str, Any]) -> str:
    """The program LDB ran: its import header, and the prompt too when the answer is a body."""
    solution = record["solution"]
    if f"def {record['entry_point']}" not in solution:
        solution = record["prompt"] + solution
    return LDB_HEADER + solution


SAMPLE_PER_SEED_FILE = 20


@pytest.fixture(scope="module")
def pooled(client: Any, settings: RunnerSettings) -> Iterator[DockerBackend]:
    backend = DockerBackend(settings, client=client)
    yield backend
    backend.close()


def task(task_id: str, code: str, test: str, entry_point: str | None = None) -> Task:
    spec = TestSpec(kind=TestKind.SCRIPT, code=test, entry_point=entry_point)
    return Task(task_id, Language.PYTHON, "p", (Response("a", code), Response("b", code)), spec)


def run_all(tasks: list[Task], backend: DockerBackend, settings: RunnerSettings) -> list[Any]:
    reports = run_many(
        [RunRequest(t, "a") for t in tasks], backend=backend, settings=settings, jobs=2
    )
    return sorted(reports, key=lambda r: r.task.id)


@pytest.mark.slow
def test_ldb_first_try_programs_reproduce_their_labels(
    external: Path, pooled: DockerBackend, settings: RunnerSettings
) -> None:
    seeds = sorted((external / "ldb" / "input_data").glob("*/seed/*/seed.jsonl"))
    assert len(seeds) == 8
    tasks, labels = [], {}
    for path in seeds:
        records = [json.loads(line) for line in path.read_text().splitlines()]
        records = [r for r in records if r.get("solution")]
        for rec in random.Random(path.parent.name).sample(records, SAMPLE_PER_SEED_FILE):
            task_id = f"{path.parent.name}/{rec['task_id']}"
            tasks.append(task(task_id, ldb_program(rec), rec["test"], rec["entry_point"]))
            labels[task_id] = str(rec["is_solved"]).lower() == "true"
    reports = run_all(tasks, pooled, settings)
    assert len(reports) == len(tasks)
    disagree = [
        (r.task.id, r.run.verdict.value, labels[r.task.id])
        for r in reports
        if (r.run.verdict is Verdict.PASSED) != labels[r.task.id]
    ]
    assert not [r for r in reports if r.run.verdict is Verdict.INTERNAL_ERROR]
    assert len(disagree) <= 0.03 * len(reports), disagree
