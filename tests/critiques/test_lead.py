"""Leads see the comments beside the scores, and adjudication keeps or drops each one."""

from __future__ import annotations

import asyncio
from pathlib import Path

from rich.console import Console
from textual.app import App

from coderlhf_tui.domain import Preference
from coderlhf_tui.quality.review import adjudicate, load_review
from coderlhf_tui.rubric import load_rubric
from coderlhf_tui.screens.lead_dialogs import AdjudicateDialog, Decision
from coderlhf_tui.widgets.judgements import judgement_table
from coderlhf_tui.widgets.review_comments import comment_choices
from tests.critiques.helpers import RATE_LIMITER, comment, demo_store, submit


def test_lead_sees_comments_and_drops_one(tmp_path: Path) -> None:
    rubric = load_rubric()
    store = demo_store(tmp_path / "ws.db")
    window = comment(store, "a", 3, 5, text="no time window")
    lock = comment(store, "b", 7, 7, "edge_case", text="lock held while sleeping")
    submit(store, rubric, "ak", [window])
    submit(store, rubric, "bo", [lock])
    review = load_review(store, RATE_LIMITER)
    assert review is not None
    console = Console(width=200, record=True)
    console.print(judgement_table(review, rubric.dimension_names))
    text = console.export_text()
    assert "A 3-5 correctness_bug HIGH: no time window" in text
    assert "B 7 edge_case HIGH: lock held while sleeping" in text
    choices = comment_choices(review.annotations)
    assert [c[1] for c in choices] == [window.id, lock.id] and all(c[2] for c in choices)
    decisions: list[Decision | None] = []

    async def scenario() -> None:
        app: App[None] = App()
        async with app.run_test(size=(120, 50)) as pilot:
            dialog = AdjudicateDialog(
                RATE_LIMITER, rubric.dimension_names, (1, 5), Preference.B_BETTER, {}, choices
            )
            app.push_screen(dialog, decisions.append)
            await pilot.pause()
            dialog.query_one("#adj-comments").focus()
            await pilot.press("down", "space")  # drop the second (bo's) comment
            dialog.query_one("#adj-note").focus()
            await pilot.press(*"B is right", "enter")
            await pilot.pause()

    asyncio.run(scenario())
    decision = decisions[0]
    assert decision is not None and decision.dropped_comments == (lock.id,)
    adjudicate(
        store,
        RATE_LIMITER,
        "lead",
        decision.preference,
        {},
        decision.note,
        decision.dropped_comments,
    )
    review = load_review(store, RATE_LIMITER)
    assert review is not None and review.adjudicated is not None
    assert review.adjudicated.dropped_comments == [lock.id]
    assert comment_choices(review.annotations, review.adjudicated.dropped_comments)[1][2] is False
    console = Console(width=200, record=True)
    console.print(judgement_table(review, rubric.dimension_names))
    assert "1 dropped" in console.export_text()
