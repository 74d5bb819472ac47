"""``coderlhf scan`` end to end on a real workspace and real semgrep."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coderlhf_tui.cli import main

PING_A = "import os\n\ndef ping(h):\n    os.system('ping ' + h)\n"
PING_B = "import subprocess\n\ndef ping(h):\n    subprocess.run(['ping', h])\n"
COPY_A = "#include <string.h>\nvoid f(char *d, const char *s) { strcpy(d, s); }\n"
COPY_B = '#include <stdio.h>\nvoid f(char *d, const char *s) { snprintf(d, 8, "%s", s); }\n'

TASKS = [
    {
        "id": "cmd-1",
        "language": "python",
        "prompt": "Ping a host.",
        "responses": [
            {"id": "a", "code": PING_A},
            {"id": "b", "code": PING_B},
        ],
    },
    {
        "id": "copy-1",
        "language": "c",
        "prompt": "Copy a name.",
        "responses": [
            {"id": "a", "code": COPY_A},
            {"id": "b", "code": COPY_B},
        ],
    },
]  # fmt: skip


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    source = tmp_path / "tasks.jsonl"
    source.write_text("".join(json.dumps(t) + "\n" for t in TASKS))
    db = tmp_path / "w.db"
    assert main(["import", str(source), "--db", str(db)]) == 0
    return db


def test_scan_json_and_sarif(
    semgrep: str, workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    sarif = tmp_path / "out.sarif"
    assert main(["scan", "--db", str(workspace), "--json", "--sarif", str(sarif)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {(r["task_id"], r["response_id"]) for r in rows} == {
        ("cmd-1", "a"), ("cmd-1", "b"), ("copy-1", "a"), ("copy-1", "b")
    }  # fmt: skip
    found = {(r["task_id"], r["response_id"]): r["findings"] for r in rows}
    assert [(f["rule"], f["cwe"], f["severity"], f["line"]) for f in found[("cmd-1", "a")]] == [
        ("python-os-command-non-literal", "CWE-78", "CRITICAL", 4)
    ]
    assert found[("cmd-1", "b")] == [] and found[("copy-1", "b")] == []
    assert [f["cwe"] for f in found[("copy-1", "a")]] == ["CWE-120"]
    log = json.loads(sarif.read_text())
    assert len(log["runs"][0]["results"]) == 2


def test_scan_one_task_then_from_cache(
    semgrep: str, workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scan", "--db", str(workspace), "--task", "copy-1"]) == 0
    out = capsys.readouterr().out
    assert "2 responses scanned" in out and "c-unbounded-string-copy" in out
    assert main(["scan", "--db", str(workspace), "--task", "copy-1", "--json"]) == 0
    assert all(r["cached"] for r in json.loads(capsys.readouterr().out))


def test_unknown_task_is_a_clear_error(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", "--db", str(workspace), "--task", "nope"]) == 2
    assert "no task 'nope'" in capsys.readouterr().err
