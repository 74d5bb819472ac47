"""The lead settles a ranked task with a final ranking, from the lead screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Input, Static

from coderlhf_tui.app import build_app
from coderlhf_tui.domain import Preference
from coderlhf_tui.screens.lead import LeadScreen
from coderlhf_tui.screens.ranking_adjudication import RankingAdjudicateDialog
from coderlhf_tui.store import Store
from coderlhf_tui.widgets.code_pane import CodePane
from coderlhf_tui.widgets.judgements import judgement_table
from coderlhf_tui.widgets.test_panel import TestPanel
from tests.ranking.helpers import CODES
from tests.ranking.workspace import ranked_workspace

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_lead_sets_the_final_ranking(tmp_path: Path) -> None:
    db = ranked_workspace(tmp_path / "w.db")
    with Store.open(db) as store:
        app = build_app(db, "lee", store=store)
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.press("ctrl+l")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            lead = app.screen
            assert isinstance(lead, LeadScreen)
            assert lead.review is not None and lead.review.task.id == "r-0"  # r-2 is settled
            console = Console(record=True, width=200)
            console.print(judgement_table(lead.review, app.session.rubric.dimension_names))
            shown = console.export_text()
            assert "c>a=d>b" in shown and "c>d>a>b" in shown  # rankings side by side
            await pilot.press("j")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, RankingAdjudicateDialog)
            field = dialog.query_one("#adj-ranking", Input)
            assert field.value == "c>d>a>b"  # the annotators' consensus
            field.value = "c>d>a"
            await pilot.press("enter")
            await pilot.pause()
            assert "responses not ranked: b" in str(dialog.query_one("#adj-error", Static).render())
            field.value = "d>c>a=b"
            dialog.query_one("#adj-note", Input).value = "D is linear."
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, LeadScreen)
        settled = store.list_adjudications("r-0")[-1]
        assert settled.ranking == [["d"], ["c"], ["a", "b"]] and settled.lead == "lee"
        assert settled.preference is Preference.TIE and settled.note == "D is linear."


async def test_lead_shows_any_two_responses_of_a_ranked_task_at_80x24(tmp_path: Path) -> None:
    db = ranked_workspace(tmp_path / "w.db")
    with Store.open(db) as store:
        app = build_app(db, "lee", store=store)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("ctrl+l")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            lead = app.screen
            assert isinstance(lead, LeadScreen)
            assert lead.review is not None and lead.review.task.id == "r-0"

            def panes() -> list[tuple[str, str, str]]:
                out = []
                for pane in ("left", "right"):
                    head = str(lead.query_one(f"#lead-code-head-{pane}", Static).render())
                    code = "\n".join(lead.query_one(f"#lead-code-{pane}", CodePane).lines)
                    tests = lead.query_one(f"#lead-tests-{pane}", TestPanel)
                    verdict = tests.run.verdict.value if tests.run else "-"
                    out.append((head.split(" ·")[0], code, f"{tests.border_title} {verdict}"))
                return out

            assert [p[0] for p in panes()] == ["A", "B"]
            await pilot.press("3")  # C joins B, the pick before it
            await pilot.pause()
            (left, right) = panes()
            assert left[0] == "B" and right[0] == "C"
            assert right[1] == CODES["c"] + "# 0\n" and right[2] == "tests C PASSED"
            assert "m-c · 0 finding(s)" in str(
                lead.query_one("#lead-code-head-right", Static).render()
            )
            await pilot.press("4", "1")  # D, then A: the last two picked, in key order
            await pilot.pause()
            assert [(p[0], p[2]) for p in panes()] == [
                ("A", "tests A PASSED"),
                ("D", "tests D FAILED"),
            ]
            await pilot.press("8")  # r-0 has four responses: nothing to show
            await pilot.pause()
            assert [p[0] for p in panes()] == ["A", "D"]
            await pilot.press("z")  # the queue out of the way: the panes take the width
            await pilot.pause()
            right_pane = lead.query_one("#lead-code-right", CodePane)
            assert right_pane.size.width >= 30 and right_pane.region.y < 24
            assert app.screen.get_widget_at(60, right_pane.region.y + 1)[0] is right_pane
            await pilot.press("z")
            await pilot.pause()
            await pilot.press("down")  # another task starts again from A and B
            await pilot.pause()
            assert lead.review is not None and lead.review.task.id != "r-0"
            assert [p[0] for p in panes()] == ["A", "B"]
