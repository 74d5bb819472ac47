"""EXITED_EARLY where people see verdicts: the test panel, the QA report and the data card.

(``coderlhf test --json`` counts it in tests/runners/test_cli.py, the audit in
test_audit_counts_an_early_exit below, both from real runs.)
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.app import App, ComposeResult

from coderlhf_tui.audit.run import AuditOptions, run_audit
from coderlhf_tui.domain import TestRun, Verdict
from coderlhf_tui.quality.datacard import build_datacard
from coderlhf_tui.quality.report import build_report
from coderlhf_tui.quality.settings import QualitySettings
from coderlhf_tui.rubric import load_rubric
from coderlhf_tui.store import Store
from coderlhf_tui.widgets.test_panel import TestPanel
from tests.audit.test_audit import _Sink
from tests.quality.workspace import demo_workspace
from tests.runners.helpers import docker_client

DETAIL = "script: exited with status 0 before the completion record after the tests"


def early_run() -> TestRun:
    return TestRun(verdict=Verdict.EXITED_EARLY, exit_code=0, detail=DETAIL, content_hash="e")


@pytest.fixture
def anyio_backend() -> str:
    """Textual runs on asyncio."""
    return "asyncio"


class PanelApp(App[None]):
    def compose(self) -> ComposeResult:
        yield TestPanel("Response A", id="panel")


@pytest.mark.anyio
async def test_the_test_panel_shows_the_verdict_and_why() -> None:
    app = PanelApp()
    async with app.run_test() as pilot:
        panel = app.query_one(TestPanel)
        panel.run = early_run()
        await pilot.pause()
        text = str(panel.render())
    assert "EXITED_EARLY" in text and "completion record" in text


def test_the_qa_report_and_data_card_count_it(tmp_path: Path) -> None:
    store = demo_workspace(tmp_path / "ws.db")
    task = next(t for t in store.iter_tasks() if t.tests is not None)
    store.save_test_run(task.id, "a", early_run())
    rubric = load_rubric()
    settings = QualitySettings(bootstrap=50)
    report = build_report(store, rubric, settings)
    verdicts = report["execution"]["by_language"][task.language.value]["verdicts"]
    assert verdicts.get("EXITED_EARLY") == 1
    card = build_datacard(store, rubric, settings=settings, configs=[])
    store.close()
    assert "1 responses ended EXITED_EARLY" in card


def test_audit_counts_an_early_exit(tmp_path: Path) -> None:
    docker_client()  # skips (fails under CI) without the engine and the toolbox image
    task = {
        "id": "early",
        "language": "python",
        "prompt": "double x",
        "responses": [
            {"id": "a", "code": "import os\nos._exit(0)\ndef double(x):\n    return 0\n"},
            {"id": "b", "code": "def double(x):\n    return 2 * x\n"},
        ],
        "tests": {
            "kind": "script",
            "code": "def check(f):\n    assert f(2) == 4\n",
            "entry_point": "double",
        },
    }
    source = tmp_path / "early.jsonl"
    source.write_text(json.dumps(task) + "\n")
    with Store.open(tmp_path / "w.db") as store:
        result = run_audit(store, source, AuditOptions(out_dir=tmp_path / "out"), stream=_Sink())
    assert result.report["totals"]["tests"] == {"EXITED_EARLY": 1, "PASSED": 1}
    markdown = "\n".join(p.read_text() for p in result.files if p.suffix == ".md")
    assert "EXITED_EARLY" in markdown
