"""LDB's first-try programs through the real sandbox reproduce their stored labels.

LDB (FloridSleeves/LLMDebugger) kept each model's first program for every HumanEval and
MBPP task with a label, ``is_solved``, from the hidden tests. Re-running those tests with
the Python recipe must give PASSED exactly where the label says solved, on at least 97 %
of records. The sample is all of one HumanEval model and all of one MBPP model (664
programs); SOURCES.md records how far LDB's own labels agree with a plain re-run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coderlhf_tui.corpora import ldb_tasks
from tests.runners.corpus_support import describe, run_all

AGREEMENT = 0.97


@pytest.mark.slow
@pytest.mark.docker
@pytest.mark.parametrize(
    ("benchmark", "model"), [("humaneval", "gpt-3.5-turbo-0613"), ("mbpp", "codellama")]
)
def test_first_try_labels_reproduce(benchmark: str, model: str, external: Path) -> None:
    tasks = ldb_tasks(external / "ldb" / "input_data", benchmark, model)
    assert len(tasks) >= 164
    reports = run_all(tasks, keys=("a",))
    disagree = [r for r in reports if r.run.verdict.is_pass != r.task.metadata["labels"]["a"]]
    agreement = 1 - len(disagree) / len(reports)
    listing = "\n".join(describe(r) for r in disagree)
    print(f"{benchmark}/{model}: {agreement:.1%} of {len(reports)} agree\n{listing}")
    assert agreement >= AGREEMENT, f"{agreement:.1%} agree; disagreeing:\n{listing}"
