"""The Rust recipe: ``rustc`` 1.63 alone (no cargo, no crates), edition 2021.

Files and commands (docs/languages.md repeats this for people):

- ``script``: ``solution.rs`` = the response, then the test code (which has ``fn main``);
  ``rustc --edition 2021 -o prog solution.rs``, run ``./prog``. Exit 0 passes; a panic from
  ``assert!``/``assert_eq!`` (exit 101) is FAILED, any other panic (an index out of bounds,
  an ``unwrap`` of ``None``, an overflow) or a signal is a RUNTIME_ERROR.
- ``unit``: ``solution.rs`` = the response, then the tests (a ``#[cfg(test)] mod tests``
  using ``super::*``, as Rust keeps unit tests beside the code);
  ``rustc --edition 2021 --test -o tests solution.rs``, run ``./tests``; exit 101 means a
  test failed, and counts and names come from libtest's ``test x ... FAILED`` lines.
- ``io``: ``solution.rs``, built the same way as a script, run once per case.

Builds use rustc's default (debug) profile, as ``cargo test`` does: arithmetic overflow
panics instead of wrapping.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from coderlhf_tui.domain import Language, Response, Task, TestKind
from coderlhf_tui.runners.languages.common import io_steps, require_tests
from coderlhf_tui.runners.languages.reports import interpret_by_kind, parse_libtest
from coderlhf_tui.runners.recipe import Outcome, Plan, Step, StepResult

RUSTC = "rustc --edition 2021 -C debuginfo=0"
BUILD = Step(name="rustc", command=f"{RUSTC} -o prog solution.rs", kind="compile")
TEST_BUILD = Step(
    name="rustc --test", command=f"{RUSTC} --test -o tests solution.rs", kind="compile"
)

ASSERTION = re.compile(r"panicked at '(?:assertion failed|assertion `)")
CRASH = re.compile(r"panicked at '|has overflowed its stack|^memory allocation of", re.M)


class RustRecipe:
    """Rust 1.63 (Debian's rustc)."""

    language = Language.RUST

    def plan(self, task: Task, response: Response) -> Plan:
        """The files and steps for one response (NoTests when the task has nothing to run)."""
        tests = require_tests(task.tests)
        if tests.kind is TestKind.IO:
            files = {"solution.rs": response.code}
            return Plan(files=files, steps=[BUILD, *io_steps("./prog", tests)])
        files = {"solution.rs": f"{response.code}\n\n{tests.code}\n"}
        if tests.kind is TestKind.UNIT:
            return Plan(files=files, steps=[TEST_BUILD, Step(name="tests", command="./tests")])
        return Plan(files=files, steps=[BUILD, Step(name="script", command="./prog")])

    def interpret(self, task: Task, results: Sequence[StepResult]) -> Outcome:
        """The verdict from the run steps (compile failures and limits are decided before)."""
        return interpret_by_kind(
            require_tests(task.tests), results, ASSERTION, CRASH, parse_libtest
        )


RECIPE = RustRecipe()
