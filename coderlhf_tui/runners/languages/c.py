"""The C recipe (and, through ``CFamilyRecipe``, the C++ one): gcc 12 with sanitizers.

Files and commands for C (docs/languages.md repeats this for people; C++ is the same with
``.cpp`` files, ``g++ -std=gnu++17``):

- ``script``: ``main.c`` = the response, then the test code (with its ``main``, HumanEval-X
  style); ``gcc -std=gnu17 ... -Wl,--wrap=exit -o prog main.c coderlhf_done.c -lm``, run
  ``./prog``. ``coderlhf_done.c`` prints the completion record from an ``on_exit`` handler
  when ``main`` returned 0 and nobody called ``exit`` (wrapped to see it). Exit 0 with the
  record passes (an ``exit(0)`` in the solution, an ``atexit`` handler that ``_exit(0)``s
  after a failure: EXITED_EARLY); a failed ``assert`` is FAILED; a sanitizer report or
  another signal is a RUNTIME_ERROR.
- ``unit``: ``solution.c`` and ``test_solution.c``, an assert-based test ``main``. When the
  test ``#include "solution.c"`` only the test file is compiled; otherwise both are, as two
  translation units (the test then declares what it calls). A test that prints TAP lines
  (``ok 1 - name`` / ``not ok 2 - name``) gets per-test counts and names. The completion
  record as for a script: a test ``main`` is a script with another name.
- ``io``: ``solution.c``, built to ``prog``, run once per case.

Every build uses ``-O1 -g -fsanitize=address,undefined``: a buffer overflow (``strcpy`` into
a small buffer) or a use-after-free stops the program with an AddressSanitizer report
instead of passing by luck. Undefined-behaviour findings are printed but do not stop it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from coderlhf_tui.domain import Language, Response, Task, TestKind
from coderlhf_tui.runners.completion import PROOF_FD, RECORD
from coderlhf_tui.runners.languages.common import io_steps, require_tests
from coderlhf_tui.runners.languages.reports import interpret_by_kind
from coderlhf_tui.runners.recipe import Outcome, Plan, Step, StepResult

SANITIZE = "-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer"
RUN_ENV = "ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1"

ASSERTION = re.compile(r"Assertion [`'].*' failed|^Assertion failed", re.M)
CRASH = re.compile(
    r"ERROR: AddressSanitizer|runtime error:|terminate called|Segmentation fault", re.M
)


DONE_FILE = "coderlhf_done.c"
"""The completion record for C and C++ test programs (g++ compiles it as C++)."""
WRAP_EXIT = " -Wl,--wrap=exit"
DONE = f"""\
/* coderlhf: the completion record. The test's main returning 0 prints it from an on_exit
   handler; exit() called by the program (wrapped, so it is seen) or an exit that runs no
   handler at all (_exit, quick_exit, abort, a signal) never does. */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#ifdef __cplusplus
extern "C" {{
#endif
void __real_exit(int status);
static volatile int coderlhf_exit_called = 0;
void __wrap_exit(int status) {{
    coderlhf_exit_called = 1;
    __real_exit(status);
}}
static void coderlhf_done(int status, void *unused) {{
    char line[96] = "\\n{RECORD}";
    size_t head = strlen(line);
    ssize_t got;
    (void)unused;
    if (status != 0 || coderlhf_exit_called) return;
    fflush(NULL);
    got = read({PROOF_FD}, line + head, sizeof line - head - 2);
    if (got <= 0) return;
    while (got > 0 && (line[head + got - 1] == '\\n' || line[head + got - 1] == ' ')) got--;
    line[head + got] = '\\n';
    if (write(1, line, head + got + 1) < 0) return;
}}
__attribute__((constructor)) static void coderlhf_arm(void) {{ on_exit(coderlhf_done, NULL); }}
#ifdef __cplusplus
}}
#endif
"""


@dataclass(slots=True)
class CFamilyRecipe:
    """A gcc-family compiler, its file extension and its language standard."""

    language: Language
    compiler: str
    extension: str

    def plan(self, task: Task, response: Response) -> Plan:
        """The files and steps for one response (NoTests when the task has nothing to run)."""
        tests = require_tests(task.tests)
        ext = self.extension
        if tests.kind is TestKind.SCRIPT:
            files = {f"main.{ext}": f"{response.code}\n\n{tests.code}\n", DONE_FILE: DONE}
            build = self._build(f"main.{ext} {DONE_FILE}", WRAP_EXIT)
            return Plan(files=files, steps=[build, _run("script")])
        if tests.kind is TestKind.UNIT:
            test_file = f"test_solution.{ext}"
            files = {f"solution.{ext}": response.code, test_file: tests.code, DONE_FILE: DONE}
            included = re.search(rf'#\s*include\s*"solution\.{ext}"', tests.code)
            sources = test_file if included else f"solution.{ext} {test_file}"
            build = self._build(f"{sources} {DONE_FILE}", WRAP_EXIT)
            return Plan(files=files, steps=[build, _run("tests")])
        files = {f"solution.{ext}": response.code}
        run = io_steps(f"{RUN_ENV} ./prog", tests)
        return Plan(files=files, steps=[self._build(f"solution.{ext}"), *run])

    def interpret(self, task: Task, results: Sequence[StepResult]) -> Outcome:
        """The verdict from the run steps (compile failures and limits are decided before)."""
        return interpret_by_kind(require_tests(task.tests), results, ASSERTION, CRASH)

    def _build(self, sources: str, options: str = "") -> Step:
        command = f"{self.compiler} {SANITIZE}{options} -o prog {sources} -lm"
        return Step(name=self.compiler.split()[0], command=command, kind="compile")


def _run(name: str) -> Step:
    return Step(name=name, command=f"{RUN_ENV} ./prog", proof=True)


RECIPE = CFamilyRecipe(Language.C, "gcc -std=gnu17", "c")
