"""The demo workspace opens in the app and every demo pair renders; the core stays headless."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from coderlhf_tui.app import build_app
from coderlhf_tui.cli import main as cli_main
from coderlhf_tui.screens.pair import PairScreen
from coderlhf_tui.store import Store
from coderlhf_tui.widgets.code_pane import CodePane
from coderlhf_tui.widgets.diff_view import DiffView

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    """Textual runs on asyncio."""
    return "asyncio"


async def test_demo_pairs_open_side_by_side_and_as_diff(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    assert cli_main(["demo", "--no-open", "--db", str(db), "--annotator", "ak"]) == 0
    with Store.open(db) as store:
        count = store.count_tasks()
        assert count >= 10
        app = build_app(db, "ak", store=store)
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.press("n")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, PairScreen)
            languages: dict[str, str] = {}
            for task in store.iter_tasks():
                languages.setdefault(task.language.value, task.id)
            for task_id in languages.values():  # one pair per language, both modes
                app.open_pair(task_id)
                await pilot.pause()
                for view in ("#code-left", "#code-right"):
                    pane = screen.query_one(view, CodePane)
                    assert pane.row_count() > 0
                    pane.render_line(0)
                await pilot.press("d")
                diff = screen.query_one("#diff", DiffView)
                assert diff.row_count() > 0
                diff.render_line(0)
                await pilot.press("d")
            assert len(languages) == 10


def test_core_modules_do_not_import_textual() -> None:
    code = (
        "import sys\n"
        "import coderlhf_tui.keymap, coderlhf_tui.workbench.blind, coderlhf_tui.workbench.clock\n"
        "import coderlhf_tui.workbench.consistency, coderlhf_tui.workbench.diffing\n"
        "import coderlhf_tui.workbench.draft, coderlhf_tui.workbench.runs_and_findings\n"
        "import coderlhf_tui.workbench.highlight, coderlhf_tui.workbench.session\n"
        "import coderlhf_tui.workbench.hangup, coderlhf_tui.workbench.in_flight\n"
        "assert not any(m == 'textual' or m.startswith('textual.') for m in sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
