"""HumanEval-X through the real sandbox: canonical solutions pass, mutated copies fail.

A fixed, seeded sample of tasks per language (six languages, the benchmark's own tests:
C++/Java/JavaScript/Python scripts, Go and Rust unit tests). The mutant returns a default
value before doing any work (coderlhf_tui.corpora), so a recipe that reads a failed
assertion as a pass (say, a ``console.assert`` that only prints) is caught here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coderlhf_tui.corpora import HUMANEVAL_X_LANGUAGES, humaneval_x_tasks
from coderlhf_tui.domain import Verdict
from coderlhf_tui.runners.docker_batch import ISOLATION
from tests.runners.corpus_support import describe, run_all, sample

PER_LANGUAGE = 20


@pytest.mark.slow
@pytest.mark.docker
@pytest.mark.parametrize("lang", sorted(HUMANEVAL_X_LANGUAGES))
def test_canonical_passes_and_mutant_fails(lang: str, external: Path) -> None:
    tasks = sample(humaneval_x_tasks(external / "humaneval-x", lang), PER_LANGUAGE)
    assert len(tasks) == PER_LANGUAGE
    reports = run_all(tasks, timeout_s=30)
    canonical = [r for r in reports if r.key == "a"]
    mutants = [r for r in reports if r.key == "b"]
    not_passing = [describe(r) for r in canonical if r.run.verdict is not Verdict.PASSED]
    not_failing = [describe(r) for r in mutants if not r.run.verdict.is_failure]
    assert not not_passing, "canonical solutions that did not pass:\n" + "\n".join(not_passing)
    assert not not_failing, "mutants that did not fail:\n" + "\n".join(not_failing)
    assert {r.run.isolation for r in reports} == {ISOLATION}  # batch mode: worker containers
