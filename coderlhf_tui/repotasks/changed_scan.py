"""The security scan of a patch: its changed lines only.

A repository's files carry whatever the project already had; a reviewer comparing two
patches needs what each patch brings. So each touched Python file is scanned as the patch
leaves it (the same semgrep pack as every other response, ``scan.batch``), and a finding
is kept only when one of its lines is a line the patch added.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from coderlhf_tui.domain import Finding, Language
from coderlhf_tui.repotasks.patches import apply_patch
from coderlhf_tui.repotasks.snapshots import base_checkout, response_checkout
from coderlhf_tui.repotasks.task_format import PatchResponse, RepoTask
from coderlhf_tui.scan.batch import ScanItem, scan_batch

_NEW_FILE = re.compile(r"^\+\+\+ (?:b/)?(\S+)")
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")


def added_lines(patch: str) -> dict[str, set[int]]:
    """For each file the patch leaves behind, the new-side numbers of the lines it adds."""
    added: dict[str, set[int]] = {}
    path, line = "", 0
    for text in patch.splitlines():
        if match := _NEW_FILE.match(text):
            path = "" if match[1] == "/dev/null" else match[1]
            continue
        if match := _HUNK.match(text):
            line = int(match[1])
            continue
        if not path or text.startswith(("diff --git", "--- ", "index ", "\\")):
            continue
        if text.startswith("+"):
            added.setdefault(path, set()).add(line)
            line += 1
        elif not text.startswith("-"):
            line += 1
    return added


def findings_on_added_lines(
    files: dict[str, str], added: dict[str, set[int]]
) -> dict[str, list[Finding]]:
    """Scan ``files`` (path -> text as patched) and keep findings touching added lines."""
    items = [ScanItem(path, Language.PYTHON, text) for path, text in files.items()]
    found = scan_batch(items)
    kept: dict[str, list[Finding]] = {}
    for path, findings in found.items():
        lines = added.get(path, set())
        mine = [f for f in findings if any(n in lines for n in range(f.start_line, f.end_line + 1))]
        if mine:
            kept[path] = mine
    return kept


def scan_patch(task: RepoTask, response: PatchResponse, cache: Path) -> dict[str, list[Finding]]:
    """Findings on the lines ``response`` adds to Python files ({} if it does not apply)."""
    added = {path: lines for path, lines in added_lines(response.patch).items()
             if path.endswith(".py")}  # fmt: skip
    if not added:
        return {}
    with tempfile.TemporaryDirectory(prefix="repo-scan-") as tmp:
        checkout = response_checkout(base_checkout(task, cache), Path(tmp) / "repo")
        if not apply_patch(checkout, response.patch, response.name).ok:
            return {}
        files = {
            path: (checkout / path).read_text(encoding="utf-8", errors="replace")
            for path in added
            if (checkout / path).is_file()
        }
    return findings_on_added_lines(files, added)
