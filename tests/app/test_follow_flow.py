"""``w`` follows a taint finding's data flow in the pair view: on the demo pair whose
response builds a shell command from a request (real semgrep scan in the app's worker),
the cursor visits the trace's source and sink lines in turn, wrapping, and the finding
line below the code names the step it is on."""

from __future__ import annotations

from pathlib import Path

import pytest

from coderlhf_tui.app import build_app
from coderlhf_tui.cli import main as cli_main
from coderlhf_tui.scan.semgrep import semgrep_binary
from coderlhf_tui.store import Store
from coderlhf_tui.widgets.code_pane import CodePane
from coderlhf_tui.widgets.finding_detail import FindingDetail
from coderlhf_tui.workbench.blind import blind_order
from tests.app.pilot_steps import open_pair
from tests.conftest import require_part

TASK = "py-count-lines-cmdi"
"""The demo pair whose response A passes a request argument to ``os.system``."""


@pytest.fixture
def anyio_backend() -> str:
    """Textual runs on asyncio."""
    return "asyncio"


@pytest.mark.anyio
async def test_w_walks_the_flow_of_the_finding_on_the_cursor_line(tmp_path: Path) -> None:
    require_part("semgrep", semgrep_binary() is not None, "pip install semgrep")
    db = tmp_path / "demo.db"
    assert cli_main(["demo", "--no-open", "--db", str(db), "--annotator", "ak"]) == 0
    with Store.open(db) as store:
        app = build_app(db, "ak", store=store)
        try:
            async with app.run_test(size=(160, 48)) as pilot:
                screen = await open_pair(app, pilot, TASK)
                await pilot.press("x")
                waited = 0.0
                while app.session.in_flight.running("scan", TASK) or waited < 0.2:
                    await pilot.pause(0.1)
                    waited += 0.1
                    assert waited < 60, "the scan did not finish"
                await pilot.pause(0.2)

                traced = [f for f in store.latest_findings(TASK, "a") if f.trace]
                assert traced, store.latest_findings(TASK, "a")
                finding = traced[0]
                steps = [step.line for step in finding.trace]
                assert len(set(steps)) >= 2, finding.trace  # a flow across lines
                side = "left" if blind_order("ak", TASK) == "ab" else "right"  # where A is
                pane = screen.query_one(f"#code-{side}", CodePane)
                pane.focus()
                pane.cursor = finding.start_line - 1
                await pilot.pause()
                detail = screen.query_one(FindingDetail)

                visited = []
                for _ in range(len(steps) + 1):
                    await pilot.press("w")
                    await pilot.pause()
                    visited.append(pane.cursor + 1)
                    at = (len(visited) - 1) % len(steps)
                    step = finding.trace[at]
                    label = "" if step.role == "via" else f"{step.role} "
                    assert f"▶ {label}L{step.line}" in detail.render().plain
                assert visited == steps + steps[:1]  # source .. sink, then the source again

                await pilot.press("home")  # a line without a traced finding: nothing moves
                await pilot.press("w")
                await pilot.pause()
                assert pane.cursor == 0
                assert "▶" not in detail.render().plain
        finally:
            app.session.checks.close()
