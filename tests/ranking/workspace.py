"""A real workspace with ranked tasks, built through the Store."""

from __future__ import annotations

from pathlib import Path

from coderlhf_tui.domain import (
    Adjudication,
    Finding,
    Language,
    Response,
    Severity,
    Task,
    TestKind,
    TestRun,
    TestSpec,
    Verdict,
)
from coderlhf_tui.ranking import pair_preference
from coderlhf_tui.store import Store
from tests.ranking.helpers import CODES, full_scores, ranked_annotation

RANKINGS = {
    # task: rankings of three annotators (the first two agree, the third is looser)
    "r-0": ("c>a=d>b", "c>a=d>b", "c>d>a>b"),
    "r-1": ("a>b>c>d", "a>b>c>d", "a>b>c>d"),
    "r-2": ("b>a>c", "a>b>c", "b=a>c"),
}


def _parse(text: str) -> list[list[str]]:
    return [group.split("=") for group in text.split(">")]


def ranked_workspace(path: Path, extra_tasks: int = 0) -> Path:
    """Three ranked tasks (plus ``extra_tasks`` simple ones) and one pairwise task."""
    with Store.open(path) as store:
        tasks = []
        for index in range(3 + extra_tasks):
            task_id = f"r-{index}"
            n = 3 if task_id == "r-2" else 4
            tasks.append(
                Task(
                    id=task_id,
                    language=Language.GO if index % 2 else Language.PYTHON,
                    prompt=f"Rank these ({index}).",
                    responses=tuple(
                        Response(id=f"s{k}", code=CODES[k] + f"# {index}\n", model=f"m-{k}")
                        for k in "abcdefgh"[:n]
                    ),
                    tests=TestSpec(kind=TestKind.SCRIPT, code="assert add(1, 2) == 3\n"),
                )
            )
        tasks.append(
            Task(
                id="p-0",
                language=Language.PYTHON,
                prompt="A pair.",
                responses=(Response("a", "x = 1\n", "m-a"), Response("b", "x = 2\n", "m-b")),
            )
        )
        store.insert_tasks(tasks)
        for task in tasks[:-1]:
            texts = RANKINGS.get(task.id, ("a>b>c>d",) * 2)
            for annotator, text in zip(("ak", "bo", "cy"), texts, strict=False):
                ranking = _parse(text)
                keys = "".join(task.keys)
                store.save_annotation(
                    ranked_annotation(task.id, annotator, ranking, scores=full_scores(keys, 4))
                )
        verdicts = {
            "a": Verdict.PASSED,
            "b": Verdict.FAILED,
            "c": Verdict.PASSED,
            "d": Verdict.FAILED,
        }
        for key, verdict in verdicts.items():
            store.save_test_run(
                "r-0", key, TestRun(verdict=verdict, content_hash=f"h-r0-{key}", passed=1)
            )
        finding = Finding("py.eval", "CWE-95", "Eval injection", Severity.HIGH, 2, 2, "eval")
        store.save_findings("r-0", "b", "scan-r0-b", [finding])
        store.save_adjudication(
            Adjudication(
                id="adj-2",
                task_id="r-2",
                lead="lead",
                preference=pair_preference(_parse("a>b>c")),
                ranking=_parse("a>b>c"),
                note="A handles the empty input.",
            )
        )
    return path
