"""The security scan of a patch keeps findings on the lines it adds (real semgrep)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coderlhf_tui.repotasks.changed_scan import added_lines, findings_on_added_lines, scan_patch
from coderlhf_tui.repotasks.task_format import PatchResponse, RepoTask
from coderlhf_tui.scan.semgrep import semgrep_binary
from tests.conftest import require_part

pytestmark = pytest.mark.xdist_group("repotasks")

SHELL = "    os.system('echo ' + str(seq))\n"


def _with_shell(patch: str) -> str:
    """agent-a's fix plus two added lines, one of them a shell command built from input."""
    added = "+    import os\n+" + SHELL
    fixed = patch.replace("-        return None\n", "-        return None\n" + added)
    return fixed.replace("@@ -544,8 +544,6 @@", "@@ -544,8 +544,8 @@")


def test_added_lines_are_numbered_on_the_new_side() -> None:
    patch = (
        "diff --git a/m.py b/m.py\n--- a/m.py\n+++ b/m.py\n@@ -10,3 +10,4 @@\n"
        " a\n-b\n+c\n+d\n e\n"
        "diff --git a/n.py b/n.py\nnew file mode 100644\n--- /dev/null\n+++ b/n.py\n"
        "@@ -0,0 +1,2 @@\n+x\n+y\n"
    )
    assert added_lines(patch) == {"m.py": {11, 12}, "n.py": {1, 2}}


def test_only_findings_on_added_lines_are_kept(
    demo_tasks: dict[str, RepoTask], results: Path
) -> None:
    require_part("semgrep", semgrep_binary() is not None or shutil.which("semgrep") is not None)
    task = demo_tasks["toolz__frequencies-empty"]
    response = PatchResponse("shell", _with_shell(task.responses[0].patch))
    found = scan_patch(task, response, results)
    [finding] = found["toolz/itertoolz.py"]
    assert finding.cwe_id == "CWE-78" and finding.start_line == 548
    assert scan_patch(task, task.responses[0], results) == {}  # the plain fix adds nothing
    # the same file, but the shell line counted as the project's own: no finding is kept
    text = {"toolz/itertoolz.py": "import os\n\ndef f(seq):\n" + SHELL}
    assert findings_on_added_lines(text, {"toolz/itertoolz.py": {1}}) == {}
    assert findings_on_added_lines(text, {"toolz/itertoolz.py": {4}})
