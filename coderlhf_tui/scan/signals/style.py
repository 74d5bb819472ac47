"""Style issues per response, from the language's own linter or formatter.

- Python: ruff on the host. Ruff only parses the code (it never runs it), so no sandbox
  is needed; it runs isolated from any project config with a fixed rule selection.
- Go (gofmt -l) and PHP (php -l) are in the toolbox image, so they run inside the sandbox
  through the runner's backend: the response is untrusted input to them as well.
- Other languages have no formatter or linter in the image: their style is "unavailable",
  which the report shows as such rather than as a score.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from coderlhf_tui.domain import Language, Limits
from coderlhf_tui.runners.recipe import Plan, Step, StepResult

RUFF_RULES = "E,W,F,I,N,UP,B,SIM,C4"
"""pycodestyle, pyflakes, isort, naming, pyupgrade, bugbear, simplify, comprehensions."""

SANDBOX_COMMANDS: dict[Language, tuple[str, str]] = {
    Language.GO: ("main.go", "gofmt -d main.go"),
    Language.PHP: ("main.php", "php -l main.php"),
}
"""Per language: the file the response becomes and the check that reports on it."""


@dataclass(frozen=True, slots=True)
class StyleResult:
    """Issues found by one tool on one response."""

    tool: str
    available: bool
    issues: int = 0
    lines: int = 0
    detail: str = ""

    @property
    def per_100_lines(self) -> float | None:
        """Issues per 100 non-blank lines (None when unavailable)."""
        if not self.available:
            return None
        return round(100.0 * self.issues / max(self.lines, 1), 2)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready copy, with the rate."""
        return asdict(self) | {"per_100_lines": self.per_100_lines}


class SandboxBackend(Protocol):
    """The part of a runner backend style checks need."""

    def execute(self, plan: Plan, limits: Limits, image: str) -> list[StepResult]: ...


def _lines(code: str) -> int:
    return sum(1 for line in code.splitlines() if line.strip())


def ruff_binary() -> str | None:
    """ruff beside this Python (the venv), then on PATH."""
    beside = Path(sys.executable).parent / "ruff"
    return str(beside) if beside.exists() else shutil.which("ruff")


def ruff_style(code: str) -> StyleResult:
    """Ruff's diagnostics on the code, counted."""
    binary = ruff_binary()
    if binary is None:
        return StyleResult("ruff", False, detail="ruff is not installed")
    proc = subprocess.run(
        [
            binary, "check", "--isolated", "--no-cache", "--select", RUFF_RULES,
            "--output-format", "json", "--stdin-filename", "response.py", "-",
        ],
        input=code, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    try:
        diagnostics = json.loads(proc.stdout or "[]")
    except json.JSONDecodeError:
        return StyleResult("ruff", False, detail=proc.stderr.strip()[:200])
    return StyleResult("ruff", True, len(diagnostics), _lines(code))


def count_sandbox_issues(language: Language, result: StepResult) -> int:
    """gofmt -d: changed lines of its diff; php -l: 1 per reported error."""
    if language is Language.GO:
        return sum(
            1
            for line in result.stdout.splitlines()
            if line[:1] in "+-" and not line.startswith(("+++", "---"))
        ) // 2 or (1 if result.exit_code not in (0, None) else 0)
    return 0 if result.exit_code == 0 else max(1, result.stdout.count("error"))


def sandbox_style(
    language: Language, code: str, backend: SandboxBackend, image: str, limits: Limits
) -> StyleResult:
    """Run the language's check in the sandbox; unavailable when it cannot run."""
    filename, command = SANDBOX_COMMANDS[language]
    tool = command.split()[0]
    plan = Plan(files={filename: code}, steps=[Step("style", command)])
    try:
        results = backend.execute(plan, limits, image)
    except Exception as exc:  # a sandbox failure must not sink the audit: report it
        return StyleResult(tool, False, detail=f"sandbox: {exc}"[:200])
    if not results or results[-1].timed_out:
        return StyleResult(tool, False, detail="no result from the sandbox")
    return StyleResult(tool, True, count_sandbox_issues(language, results[-1]), _lines(code))


def style_of(
    language: Language,
    code: str,
    backend: SandboxBackend | None = None,
    image: str = "",
    limits: Limits | None = None,
) -> StyleResult:
    """The style result for one response, whichever way its language is checked."""
    if language is Language.PYTHON:
        return ruff_style(code)
    if language in SANDBOX_COMMANDS:
        if backend is None:
            return StyleResult(SANDBOX_COMMANDS[language][1].split()[0], False, detail="no sandbox")
        return sandbox_style(language, code, backend, image, limits or Limits(timeout_s=20))
    return StyleResult("none", False, detail=f"no formatter or linter for {language.value}")
