"""No proof, no pass: the shared rule and the pieces every recipe's proof is read with.

These are the pure parts (the record check, the counted report, the rule in
``verdicts.require_proof``); tests/hostile/test_reward_hacks.py runs the tricks themselves
through the real engine in every language.
"""

from __future__ import annotations

import pytest

from coderlhf_tui.domain import Limits, Verdict
from coderlhf_tui.runners.completion import RECORD, heredoc_redirect, new_nonce, take_record
from coderlhf_tui.runners.languages.javascript import parse_node_tap
from coderlhf_tui.runners.languages.python import parse_pytest
from coderlhf_tui.runners.languages.reports import (
    counted_proof,
    parse_go_test,
    parse_junit_console,
    parse_libtest,
    parse_tap,
)
from coderlhf_tui.runners.recipe import Outcome, Step, StepResult
from coderlhf_tui.runners.verdicts import build_test_run, require_proof


def test_the_record_counts_only_with_this_runs_nonce_and_is_taken_out() -> None:
    nonce = new_nonce()
    assert len(nonce) == 32 and nonce != new_nonce()
    out = f"line 1\nline 2\n\n{RECORD}{nonce}\n"
    assert take_record(out, nonce) == ("line 1\nline 2\n", True)
    assert take_record(f"\n{RECORD}{nonce}\n", nonce) == ("", True)
    assert take_record(f"[1]\n{RECORD}{nonce}\n[2]\n", nonce) == ("[1]\n[2]\n", True)
    assert take_record(f"{RECORD}{new_nonce()}\n", nonce)[1] is False
    assert take_record(f"{RECORD}\n", nonce)[1] is False  # the tail found no nonce
    assert take_record(out, None) == (out, False)


def test_the_nonce_only_reaches_a_shell_as_hex() -> None:
    assert heredoc_redirect("ab12").startswith("exec 9<<'CODERLHF_NONCE'\nab12\n")
    with pytest.raises(ValueError):
        heredoc_redirect("x'; rm -rf /work; '")


def step(proof: bool, completed: bool, code: int = 0) -> StepResult:
    return StepResult(Step("script", "./prog", proof=proof), code, completed=completed)


def test_a_pass_needs_the_record_of_every_proof_step_or_a_counted_report() -> None:
    passed = Outcome(Verdict.PASSED, passed=1)
    assert require_proof(passed, [step(True, True)]).verdict is Verdict.PASSED
    early = require_proof(passed, [step(True, False)])
    assert early.verdict is Verdict.EXITED_EARLY and "completion record" in early.detail
    assert require_proof(passed, [step(False, False)]).verdict is Verdict.EXITED_EARLY
    counted = Outcome(Verdict.PASSED, passed=3, proof="3 of 3 collected tests passed")
    assert require_proof(counted, [step(False, False)]).verdict is Verdict.PASSED
    failed = Outcome(Verdict.FAILED, failed=1)
    assert require_proof(failed, [step(True, False, 1)]) is failed


def test_exited_early_is_a_failure_and_stored_like_any_verdict() -> None:
    outcome = require_proof(Outcome(Verdict.PASSED), [step(True, False)])
    run = build_test_run(
        outcome,
        [step(True, False)],
        content_hash="h",
        image="i",
        limits=Limits(),
        isolation="docker",
        stored_output_chars=100,
    )
    assert run.verdict is Verdict.EXITED_EARLY and run.exit_code == 0
    assert run.verdict.is_failure and not run.verdict.is_pass


NODE_EARLY = (
    "TAP version 13\n# Subtest: /work/solution.test.js\nok 1 - /work/solution.test.js\n"
    "1..1\n# tests 1\n# suites 0\n# pass 1\n# fail 0\n# cancelled 0\n"
)
NODE_FULL = "TAP version 13\nok 1 - two\nok 2 - three\n1..2\n# tests 2\n# pass 2\n# fail 0\n"
PYTEST_FULL = (
    "============ test session starts ============\ncollected 2 items\n\n"
    "test_solution.py ..\n\nPASSED test_solution.py::test_a\nPASSED test_solution.py::test_b\n"
    "============ 2 passed in 0.01s ============\n"
)
PYTEST_SKIP = PYTEST_FULL.replace("2 passed", "1 passed, 1 skipped").replace(
    "PASSED test_solution.py::test_b", "SKIPPED [1] test_solution.py:3: later"
)
JUNIT_FULL = (
    "[         2 tests found           ]\n[         0 tests skipped         ]\n"
    "[         2 tests started         ]\n[         0 tests aborted         ]\n"
    "[         2 tests successful      ]\n[         0 tests failed          ]\n"
)
GO_CUT = "=== RUN   TestA\n--- PASS: TestA (0.00s)\n=== RUN   TestB\n"
LIBTEST_FULL = (
    "running 2 tests\ntest t::a ... ok\ntest t::b ... ok\n\n"
    "test result: ok. 2 passed; 0 failed; 0 ignored\n"
)


@pytest.mark.parametrize(
    ("text", "parse", "proven"),
    [
        (NODE_FULL, parse_node_tap, True),
        (NODE_EARLY, parse_node_tap, False),  # the file exited before its tests ran
        (PYTEST_FULL, parse_pytest, True),
        (PYTEST_SKIP, parse_pytest, False),
        (PYTEST_FULL.rsplit("=====", 2)[0].rsplit("\n", 2)[0], parse_pytest, False),  # cut
        (JUNIT_FULL, parse_junit_console, True),
        (
            JUNIT_FULL.replace("2 tests successful", "1 tests successful"),
            parse_junit_console,
            False,
        ),
        (GO_CUT + "--- PASS: TestB (0.00s)\nPASS\n", parse_go_test, True),
        (GO_CUT, parse_go_test, False),
        (LIBTEST_FULL, parse_libtest, True),
        (LIBTEST_FULL.replace("running 2", "running 3"), parse_libtest, False),
        ("ok 1 - a\nok 2 - b\n1..2\n", parse_tap, True),
        ("ok 1 - a\nok 2 - b\n", parse_tap, False),  # no plan: the run was cut short
    ],
    ids=lambda value: getattr(value, "__name__", "")[:20] if callable(value) else None,
)
def test_a_report_proves_completion_only_when_every_collected_test_passed(
    text: str, parse: object, proven: bool
) -> None:
    assert callable(parse)
    proof, gap = counted_proof(parse(text))
    assert bool(proof) is proven, gap
    assert bool(gap) is not proven
