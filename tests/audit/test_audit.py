"""``coderlhf audit`` on real data: the demo tasks, an LDB-built file, real semgrep,
real ruff, real SQLite, and (where the engine is there) real Docker tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import corpora
from coderlhf_tui.audit.run import AuditOptions, run_audit
from coderlhf_tui.cli import main
from coderlhf_tui.store import Store
from tests.conftest import REPO

DEMO = REPO / "coderlhf_tui" / "demo" / "tasks.jsonl"

HOSTILE_PROMPT = {
    "id": "xss-in-prompt",
    "language": "python",
    "prompt": "<script>alert(1)</script> Sum a list.",
    "responses": [
        {"id": "a", "code": "def f(xs):\n    return eval('+'.join(map(str, xs)))\n"},
        {"id": "b", "code": "def f(xs):\n    return sum(xs)\n"},
    ],
    "gold": {"preference": "B>A"},
}


def test_audit_without_tests_writes_three_reports_and_resumes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "tasks.jsonl"
    lines = [*DEMO.read_text().splitlines()[:6], json.dumps(HOSTILE_PROMPT)]
    source.write_text("\n".join(lines) + "\n")
    db, out = tmp_path / "w.db", tmp_path / "report"
    args = ["audit", str(source), "--out", str(out), "--db", str(db), "--skip-tests", "--json"]
    assert main(args) == 0
    summary = json.loads(capsys.readouterr().out)
    assert sorted(Path(p).name for p in summary["files"]) == [
        "report.html", "report.json", "report.md"
    ]  # fmt: skip
    report = json.loads((out / "report.json").read_text())
    assert report["totals"]["pairs"] == 7 and report["totals"]["tests"] == {"NOT_RUN": 14}
    pair = next(p for p in report["pairs"] if p["task_id"] == "xss-in-prompt")
    a, b = pair["responses"]["a"], pair["responses"]["b"]
    assert [f["cwe"] for f in a["findings"]] == ["CWE-95"] and b["findings"] == []
    assert a["signals"]["security"]["level"] == 1 and b["signals"]["security"]["level"] == 5
    assert a["signals"]["correctness"]["score"] is None
    assert b["signals"]["style"]["inputs"]["tool"] == "ruff"
    assert pair["automatic_preference"] == "B>A" and pair["gold"] == "B>A"
    assert any(r["cwe"] == "CWE-95" for r in report["by_cwe"])
    assert {r["language"] for r in report["by_language"]} >= {"python"}
    html = (out / "report.html").read_text()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "http://" not in html and "https://" not in html  # self-contained
    markdown = (out / "report.md").read_text()
    assert "## Per CWE" in markdown and "| xss-in-prompt |" in markdown
    with Store.open(db) as store:
        stored = store.latest_signals("xss-in-prompt", "a")
        assert stored is not None and stored["dimensions"]["security"]["level"] == 1
    with Store.open(db) as store:  # a second run answers every scan from the store
        again = run_audit(store, source, AuditOptions(out_dir=out, run_tests=False), stream=_Sink())
    assert "0 newly imported" in again.notes[0]
    assert again.report["pairs"] == report["pairs"]


def test_audit_refuses_a_bad_file_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "language": "cobol"}\n')
    assert main(["audit", str(bad), "--db", str(tmp_path / "w.db"), "--skip-tests"]) == 2
    assert "bad.jsonl" in capsys.readouterr().err


@pytest.mark.slow
def test_audit_of_500_ldb_pairs_scan_and_signals(external: Path, tmp_path: Path) -> None:
    source = corpora.write_jsonl(corpora.ldb_pairs(external, 500), tmp_path / "ldb500.jsonl")
    with Store.open(tmp_path / "w.db") as store:
        result = run_audit(
            store, source, AuditOptions(out_dir=tmp_path / "out", run_tests=False), stream=_Sink()
        )
    totals = result.report["totals"]
    assert totals["pairs"] == 500 and totals["responses"] == 1000
    styles = [
        r["signals"]["style"]["score"]
        for p in result.report["pairs"]
        for r in p["responses"].values()
    ]
    assert all(s is not None for s in styles)
    assert (tmp_path / "out" / "report.html").stat().st_size > 100_000


def test_audit_runs_tests_in_the_sandbox(tmp_path: Path) -> None:
    from tests.runners.helpers import docker_client

    docker_client()  # skips (fails under CI) without the engine and the toolbox image
    wanted = {"python", "go", "php"}
    lines, seen = [], set()
    for line in DEMO.read_text().splitlines():
        language = json.loads(line)["language"]
        if language in wanted and language not in seen:
            lines.append(line)
            seen.add(language)
    source = tmp_path / "three.jsonl"
    source.write_text("\n".join(lines) + "\n")
    with Store.open(tmp_path / "w.db") as store:
        result = run_audit(store, source, AuditOptions(out_dir=tmp_path / "out"), stream=_Sink())
    pairs = {p["language"]: p for p in result.report["pairs"]}
    for language in wanted:
        for response in pairs[language]["responses"].values():
            assert response["test"] is not None, (language, result.notes)
            assert response["signals"]["correctness"]["score"] is not None
    go_style = pairs["go"]["responses"]["a"]["signals"]["style"]["inputs"]
    assert go_style["tool"] == "gofmt" and go_style["available"], go_style


class _Sink:
    """A stream that swallows the progress bar."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        return None

    def isatty(self) -> bool:
        return False
