"""The Java recipe: OpenJDK 17's ``javac`` and ``java``, JUnit 5 through its console launcher.

Files and commands (docs/languages.md repeats this for people):

- Every source file is named after its public top-level class (``Solution.java`` when the
  response declares none). Test files get the response's ``import`` lines prepended, since
  HumanEval-X's ``Main`` uses ``List`` and ``Arrays`` without importing them.
- ``script``: when the test code declares its own class (HumanEval-X ``public class Main``)
  it is a second file beside the response; when it does not (MultiPL-E continues the
  response's class), the two are one file. ``javac -d classes *.java``, then
  ``java -ea -cp classes CoderlhfLauncher``: a class of ours whose ``main`` calls the
  test's ``main`` and then prints the completion record. Exit 0 with the record passes
  (a ``System.exit(0)`` or a shutdown hook's ``Runtime.halt(0)`` never reaches it:
  EXITED_EARLY); an AssertionError fails.
- ``unit``: the response and a JUnit 5 test class (``SolutionTest.java`` unless named
  otherwise), compiled against ``junit-platform-console-standalone.jar`` and run with
  ``java -jar .../junit-platform-console-standalone.jar -cp classes --scan-classpath``; counts
  and failing names come from its summary and failure list; a pass needs its
  ``[ N tests successful ]`` to equal ``[ N tests found ]``.
- ``io``: the response (``Main.java`` unless it names its public class), run once per case
  with ``java -cp classes <class with main>``.

The JVMs run with the serial GC and the C1 compiler only: faster to start, fewer threads
(the sandbox caps processes), and with a heap of up to 75 % of the memory limit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from coderlhf_tui.domain import Language, Response, Task, TestKind
from coderlhf_tui.runners.completion import PROOF_FD, RECORD
from coderlhf_tui.runners.languages.common import io_steps, require_tests
from coderlhf_tui.runners.languages.reports import interpret_by_kind, parse_junit_console
from coderlhf_tui.runners.recipe import Outcome, Plan, Step, StepResult

JUNIT = "/usr/share/java/junit-platform-console-standalone.jar"
JVM = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:MaxRAMPercentage=75 -Xshare:auto"
JAVAC = "javac -J-XX:+UseSerialGC -J-XX:TieredStopAtLevel=1 -encoding UTF-8 -nowarn -d classes"
LAUNCHER = (
    f"java {JVM} -jar {JUNIT} -cp classes --scan-classpath --disable-banner"
    " --disable-ansi-colors --details=tree --details-theme=ascii --fail-if-no-tests"
)

ASSERTION = re.compile(r"(?:java\.lang\.AssertionError|org\.opentest4j\.\w+Failed\w*)")
CRASH = re.compile(r"^Exception in thread \"\w+\" [\w.$]+|^Error: Could not find or load", re.M)
_TOP_TYPE = re.compile(
    r"^(?:public\s+)?(?:(?:final|abstract|sealed|static)\s+)*(?:class|interface|enum|record)"
    r"\s+(\w+)",
    re.M,
)
_PUBLIC_TYPE = re.compile(
    r"^public\s+(?:(?:final|abstract|sealed)\s+)*(?:class|interface|enum|record)\s+(\w+)", re.M
)
_ANY_CLASS = re.compile(r"^\s*(?:[\w@]+\s+)*(?:class|enum|record)\s+(\w+)", re.M)
_MAIN = re.compile(r"\bstatic\s+(?:final\s+)?void\s+main\s*\(")
_IMPORT = re.compile(r"^import\s+[\w.*\s]+;[ \t]*$", re.M)


def file_name(code: str, default: str) -> str:
    """The file a compilation unit must live in: its public top-level type, else ``default``."""
    match = _PUBLIC_TYPE.search(code)
    return f"{match.group(1)}.java" if match else f"{default}.java"


def type_name(code: str, default: str) -> str:
    """The first top-level type ``code`` declares, else ``default``."""
    match = _TOP_TYPE.search(code)
    return match.group(1) if match else default


def main_class(*sources: str, default: str = "Main") -> str:
    """The class whose ``static void main`` comes first in ``sources`` (searched in order)."""
    for source in sources:
        found = _MAIN.search(source)
        if found is None:
            continue
        classes = list(_ANY_CLASS.finditer(source, 0, found.start()))
        if classes:
            return classes[-1].group(1)
    return default


def with_imports(imports_from: str, code: str) -> str:
    """``code`` with the ``import`` lines of ``imports_from`` put before it."""
    imports = "\n".join(match.group(0).strip() for match in _IMPORT.finditer(imports_from))
    return f"{imports}\n{code}" if imports else code


LAUNCHER_CLASS = "CoderlhfLauncher"


def launcher(entry: str) -> str:
    """A class whose ``main`` calls the test's and then prints the completion record: a
    ``System.exit``, ``Runtime.halt`` or an uncaught exception never gets there."""
    return (
        f"public class {LAUNCHER_CLASS} {{\n"
        "    public static void main(String[] args) throws Throwable {\n"
        f"        {entry}.main(args);\n"
        "        System.out.flush();\n"
        "        byte[] nonce = new byte[64];\n"
        f'        int got = new java.io.FileInputStream("/proc/self/fd/{PROOF_FD}").read(nonce);\n'
        '        String text = got > 0 ? new String(nonce, 0, got, "US-ASCII").trim() : "";\n'
        f'        System.out.print("\\n{RECORD}" + text + "\\n");\n'
        "        System.out.flush();\n"
        "    }\n"
        "}\n"
    )


def _compile(files: dict[str, str], classpath: str = "") -> Step:
    sources = " ".join(sorted(files))
    option = f" -cp {classpath}" if classpath else ""
    return Step(name="javac", command=f"{JAVAC}{option} {sources}", kind="compile")


class JavaRecipe:
    """OpenJDK 17 (Debian's default-jdk-headless) with JUnit 5 (Debian's junit5)."""

    language = Language.JAVA

    def plan(self, task: Task, response: Response) -> Plan:
        """The files and steps for one response (NoTests when the task has nothing to run)."""
        tests = require_tests(task.tests)
        code = response.code
        if tests.kind is TestKind.SCRIPT:
            if _TOP_TYPE.search(tests.code):
                test = with_imports(code, tests.code)
                files = {file_name(code, "Solution"): code, file_name(test, "Main"): test}
                entry = main_class(tests.code, code)
            else:  # the test continues the response's class
                program = f"{code}\n{tests.code}\n"
                files = {file_name(program, "Main"): program}
                entry = main_class(program)
            files[f"{LAUNCHER_CLASS}.java"] = launcher(entry)
            command = f"java {JVM} -ea -cp classes {LAUNCHER_CLASS}"
            run = Step(name="script", command=command, proof=True)
            return Plan(files=files, steps=[_compile(files), run])
        if tests.kind is TestKind.UNIT:
            test = with_imports(code, tests.code)
            default = type_name(test, "SolutionTest")
            files = {file_name(code, "Solution"): code, file_name(test, default): test}
            run = Step(name="junit", command=LAUNCHER)
            return Plan(files=files, steps=[_compile(files, JUNIT), run])
        files = {file_name(code, "Main"): code}
        command = f"java {JVM} -cp classes {main_class(code)}"
        return Plan(files=files, steps=[_compile(files), *io_steps(command, tests)])

    def interpret(self, task: Task, results: Sequence[StepResult]) -> Outcome:
        """The verdict from the run steps (compile failures and limits are decided before)."""
        return interpret_by_kind(
            require_tests(task.tests), results, ASSERTION, CRASH, parse_junit_console
        )


RECIPE = JavaRecipe()
