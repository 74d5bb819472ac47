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
from coderlhf_tui.widgets.judgements import judgement_table
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
