"""The Rust recipe: ``rustc`` 1.63 alone (no cargo, no crates), edition 2021.

Files and commands (docs/languages.md repeats this for people):

- ``script``: ``solution.rs`` = the response, then the test code (which has ``fn main``);
  ``rustc --edition 2021 -o prog solution.rs``, run ``./prog``. The test's ``fn main`` is
  renamed and a ``main`` of ours calls it, then prints the completion record. Exit 0 with
  the record passes (``std::process::exit(0)`` anywhere before: EXITED_EARLY); a panic from
  ``assert!``/``assert_eq!`` (exit 101) is FAILED, any other panic (an index out of bounds,
  an ``unwrap`` of ``None``, an overflow) or a signal is a RUNTIME_ERROR.
- ``unit``: ``solution.rs`` = the response, then the tests (a ``#[cfg(test)] mod tests``
  using ``super::*``, as Rust keeps unit tests beside the code);
  ``rustc --edition 2021 --test -o tests solution.rs``, run ``./tests``; exit 101 means a
  test failed, and counts and names come from libtest's ``test x ... FAILED`` lines; a pass
  needs ``test result: ok. N passed`` with N equal to its ``running N tests``.
- ``io``: ``solution.rs``, built the same way as a script, run once per case.

Builds use rustc's default (debug) profile, as ``cargo test`` does: arithmetic overflow
panics instead of wrapping.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from coderlhf_tui.domain import Language, Response, Task, TestKind
from coderlhf_tui.runners.completion import PROOF_FD, RECORD
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


_MAIN = re.compile(r"^(\s*(?:pub\s+)?)fn\s+main\s*\(\s*\)\s*(->\s*[^{]+?)?\s*\{", re.M)
DONE = f"""
fn coderlhf_done() {{
    use std::io::{{Read, Write}};
    let mut nonce = String::new();
    let _ = std::fs::File::open("/proc/self/fd/{PROOF_FD}")
        .and_then(|mut f| f.read_to_string(&mut nonce));
    let mut out = std::io::stdout();
    let _ = write!(out, "\\n{RECORD}{{}}\\n", nonce.trim());
    let _ = out.flush();
}}
"""


def with_done(test_code: str) -> str:
    """The script's test code with its ``fn main`` renamed, and a ``main`` of ours that calls
    it and then prints the completion record (``process::exit`` or a panic hook never
    gets there)."""
    match = _MAIN.search(test_code)
    if match is None:
        return test_code  # no main: the build fails as it would have
    returns = (match.group(2) or "").strip()
    renamed = f"{match.group(1)}fn coderlhf_test_main() {returns} {{"
    code = test_code[: match.start()] + renamed + test_code[match.end() :]
    if returns:
        main = (
            f"fn main() {returns} {{ let status = coderlhf_test_main(); coderlhf_done(); status }}"
        )
    else:
        main = "fn main() { coderlhf_test_main(); coderlhf_done(); }"
    return f"{code}\n{DONE}\n{main}\n"


class RustRecipe:
    """Rust 1.63 (Debian's rustc)."""

    language = Language.RUST

    def plan(self, task: Task, response: Response) -> Plan:
        """The files and steps for one response (NoTests when the task has nothing to run)."""
        tests = require_tests(task.tests)
        if tests.kind is TestKind.IO:
            files = {"solution.rs": response.code}
            return Plan(files=files, steps=[BUILD, *io_steps("./prog", tests)])
        if tests.kind is TestKind.UNIT:
            files = {"solution.rs": f"{response.code}\n\n{tests.code}\n"}
            return Plan(files=files, steps=[TEST_BUILD, Step(name="tests", command="./tests")])
        files = {"solution.rs": f"{response.code}\n\n{with_done(tests.code)}\n"}
        run = Step(name="script", command="./prog", proof=True)
        return Plan(files=files, steps=[BUILD, run])

    def interpret(self, task: Task, results: Sequence[StepResult]) -> Outcome:
        """The verdict from the run steps (compile failures and limits are decided before)."""
        return interpret_by_kind(
            require_tests(task.tests), results, ASSERTION, CRASH, parse_libtest
        )


RECIPE = RustRecipe()
