"""Issue 16's "done when", on the main demo with the real engine: open the demo's repository
task from the queue, run both patches' tests on a keypress, see what each fixes and breaks,
score, prefer, write a rationale and a line critique on a patch, submit; open it again and
the grades come from the workspace; export it and load the rows with TRL's utilities.
(It replaces the previous session's workspace pilot test, of which it is a superset: one
real grading of the toolz task in CI instead of two.)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Static
from transformers import PreTrainedTokenizerFast

from coderlhf_tui.app import build_app
from coderlhf_tui.cli import main
from coderlhf_tui.domain import AnnotationStatus, Preference
from coderlhf_tui.repotasks.stored import repo_task_of
from coderlhf_tui.screens.queue import QueueScreen
from coderlhf_tui.screens.repo_pair_ranked import StoredRepoRankScreen
from coderlhf_tui.screens.repo_pair_stored import StoredRepoPairScreen
from coderlhf_tui.store import Store
from coderlhf_tui.widgets.code_pane import CodePane
from coderlhf_tui.workbench.blind import blind_order
from tests.conftest import require_part
from tests.export.test_trl import (
    apply_chat_template,
    is_conversational,
    tokenizer,  # noqa: F401  (the chat tokenizer built offline)
)

pytestmark = [pytest.mark.xdist_group("repotasks"), pytest.mark.anyio]

INSTANCE = "toolz__frequencies-empty"
RANKED = "toolz__frequencies-ranked"
CRITIQUED = "+    return {item: seq.count(item) for item in seq}"
"""agent-b's line the critique is on: line 548 of the patched toolz/itertoolz.py."""
RATIONALE = "b fixes the empty case but breaks test_countby (an iterator)"


@pytest.fixture
def anyio_backend() -> str:
    """Textual runs on asyncio."""
    return "asyncio"


async def _until(pilot: Any, condition: Any, seconds: float = 300.0) -> None:
    for _ in range(int(seconds * 10)):
        if condition():
            return
        await pilot.pause(0.1)
    raise AssertionError("timed out")


async def test_the_demo_repository_task_from_queue_to_trl(
    engine: Any,
    tmp_path: Path,
    tokenizer: PreTrainedTokenizerFast,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    require_part("trl", apply_chat_template is not None, "scripts/setup dev installs it")
    db = tmp_path / "demo.db"
    assert main(["demo", "--no-open", "--db", str(db), "--annotator", "ak"]) == 0
    made = capsys.readouterr().out
    require_part("the package index (pip download)", "not added" not in made, made)
    left_is_a = blind_order("ak", INSTANCE) == "ab"
    with Store.open(db) as store:
        app = build_app(db, "ak", store=store)
        try:
            async with app.run_test(size=(200, 50)) as pilot:
                await pilot.pause()
                assert isinstance(app.screen, QueueScreen)
                await pilot.press("slash", *"frequencies", "enter", "n")  # search, open
                await _until(pilot, lambda: isinstance(app.screen, StoredRepoPairScreen), 30)
                screen = app.screen
                assert isinstance(screen, StoredRepoPairScreen)
                assert screen.store_task.id == INSTANCE and not screen.runs
                assert isinstance(screen.focused, CodePane)  # the left patch, as on pair view
                await pilot.press("t")  # run both patches' tests (the pair screen's key)
                await _until(pilot, lambda: bool(screen.runs))
                assert not any(run.cached for run in screen.runs)  # a new workspace: real runs
                fixes = str(screen.query_one("#fixes", Static).render())
                assert "agent-a: fixes 1 of 1, breaks nothing" in fixes
                assert "agent-b: fixes 1 of 1, breaks test_countby" in fixes
                table = screen.query_one("#repo-tests", DataTable)
                rows = [table.get_row_at(i) for i in range(table.row_count)]
                f2p = ["passed", "passed"]
                assert ["F2P", "toolz/tests/test_itertoolz.py::test_frequencies", *f2p] in rows

                # a critique on agent-b's line, marked in its patch pane by key
                pane = screen.query_one("#patch-b" if left_is_a else "#patch-a", CodePane)
                pane.cursor = pane.lines.index(CRITIQUED)
                screen.set_focus(pane)
                await pilot.press("m", "m")
                await pilot.pause()
                await pilot.press(*"counts in quadratic time", "ctrl+s")
                await pilot.pause()
                left, right = ("4", "2") if left_is_a else ("2", "4")
                for level in (left, right):
                    await pilot.press("s", level, "j", level, "j", level, "j", level, "j", level)
                await pilot.press("p", "1" if left_is_a else "5")  # agent-a much better
                await pilot.press("r", *RATIONALE)
                await pilot.pause(0.3)
                await pilot.press("ctrl+s")  # submit: the rubric is satisfied
                # the next unfinished task the search found: the ranked toolz task, its view
                await _until(pilot, lambda: isinstance(app.screen, StoredRepoRankScreen), 10)
                assert app.screen.store_task.id == RANKED  # type: ignore[attr-defined]
                await pilot.press("escape")
                await _until(pilot, lambda: isinstance(app.screen, QueueScreen), 10)

                app.open_pair(INSTANCE)  # again: the grades come from the workspace
                await _until(pilot, lambda: isinstance(app.screen, StoredRepoPairScreen), 10)
                await pilot.pause(0.3)  # mounted: no key pressed, no engine asked
                again = app.screen
                assert isinstance(again, StoredRepoPairScreen) and again is not screen
                assert [str(run.grade) for run in again.runs] == [
                    str(run.grade) for run in screen.runs
                ]
                assert "grades stored in the workspace" in str(
                    again.query_one("#status", Static).render()
                )
                await pilot.press("r", "escape")  # out of the rationale, then to the queue
                assert isinstance(app.screen, StoredRepoPairScreen)
                assert not isinstance(again.focused, CodePane)
                await pilot.press("escape")
                await _until(pilot, lambda: isinstance(app.screen, QueueScreen), 10)
        finally:
            app.session.checks.close()
        app.session.flush_writes(10)
        saved = store.get_annotation(INSTANCE, "ak")
        task_file = repo_task_of(store.get_task(INSTANCE)).source  # type: ignore[arg-type]
    assert saved is not None and saved.status is AnnotationStatus.SUBMITTED
    assert saved.preference is Preference.A_MUCH_BETTER and saved.rationale == RATIONALE
    assert saved.scores["a"] == dict.fromkeys(saved.scores["a"], 4) and len(saved.scores["a"]) == 5
    assert saved.scores["b"] == dict.fromkeys(saved.scores["b"], 2) and len(saved.scores["b"]) == 5
    [comment] = saved.comments
    assert comment.response == "b" and comment.text == "counts in quadratic time"
    assert comment.quote == CRITIQUED

    out = tmp_path / "export"
    assert main(["repo", "export", "--db", str(db), "--out", str(out), task_file]) == 0
    trl = [json.loads(line) for line in (out / "trl.jsonl").read_text().splitlines()]
    judged = next(row for row in trl if row["id"] == f"{INSTANCE}:agent-a>agent-b")
    assert judged["source"] == "annotator" and judged["margin"] == 2.0
    example = {k: judged[k] for k in ("prompt", "chosen", "rejected")}
    assert is_conversational(example)
    text = apply_chat_template(example, tokenizer)
    assert "return None" in text["chosen"] and "seq.count(item)" in text["rejected"]
    [record] = [json.loads(line) for line in (out / "records.jsonl").read_text().splitlines()]
    [critique] = record["critiques"]
    assert critique["response"] == "agent-b" and critique["text"] == "counts in quadratic time"
    assert (critique["path"], critique["line"], critique["side"]) == (
        "toolz/itertoolz.py",
        548,
        "RIGHT",
    )
    [row] = [json.loads(line) for line in (out / "critiques.jsonl").read_text().splitlines()]
    assert (row["path"], row["line"], row["side"], row["quoted_code"]) == (
        "toolz/itertoolz.py",
        548,
        "RIGHT",
        CRITIQUED,
    )
    assert row["response"] == judged["rejected"][0]["content"]  # the critiqued patch
    assert row["prompt"] == record["problem_statement"]
