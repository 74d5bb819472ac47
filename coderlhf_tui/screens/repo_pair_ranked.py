"""The repository view of a task with three to eight patches: rank them from the keyboard.

The repository pair view (file tree, two patch panes, their changes against each other,
the FAIL_TO_PASS / PASS_TO_PASS table) with the ranking screen's keys and its list: ``1``..
``8`` bring a patch (blind shown order) into the left pane and move the one there to the
right, so any two sit side by side; ``K``/``J`` move the left one up or down the ranking,
``=`` ties it with the one above, ``u`` unties it (``ranking.py``, the ranking screen's
rules, and its ``RankList`` widget). ``t`` grades every patch and the table shows them all.
The judgement is a ranked annotation (``RankedDraft``) like a ranked code task's, so sync,
QA agreement, the leaderboard and ``coderlhf export-rankings`` take it unchanged; the score
card scores the patch in the left pane, ``m`` marks lines of either pane for a critique
(``repo_pair_ranked_comments.py``) and ``i`` focuses the comments panel.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import TextArea

from coderlhf_tui.domain import Ranking, ResponseKey, Task
from coderlhf_tui.ranking import judgement_problem, move_down, move_up, tie_with_above, untie
from coderlhf_tui.repotasks.demo_workspace import tasks_folder
from coderlhf_tui.repotasks.stored import repo_task_of
from coderlhf_tui.screens import repo_pair_ranked_comments as ranked_comments
from coderlhf_tui.screens.draft_screen import DraftScreen
from coderlhf_tui.screens.repo_pair import RepoPairScreen, split_by_file
from coderlhf_tui.screens.repo_pair_queue import QueueSteps
from coderlhf_tui.screens.repo_pair_stored import added_lines_scan, engine_grader, stored_runs
from coderlhf_tui.widgets.bindings import bindings_for
from coderlhf_tui.widgets.comment_editor import CommentEditor
from coderlhf_tui.widgets.comment_marks import CommentRequested, FindingsJudged
from coderlhf_tui.widgets.comments_panel import CommentsPanel
from coderlhf_tui.widgets.rank_list import RankList, RankRow
from coderlhf_tui.widgets.rationale import RationaleEditor
from coderlhf_tui.widgets.score_card import ScoreCard
from coderlhf_tui.workbench.ranked_draft import RankedDraft
from coderlhf_tui.workbench.session import WorkSession

RANK_KEYS = frozenset({
    "ranking.back", "ranking.up", "ranking.down", "ranking.tie", "ranking.untie",
    "ranking.tests", "ranking.submit", "ranking.scores", "ranking.rationale",
    "ranking.code", "ranking.comments", "ranking.next", "ranking.prev",
    *(f"ranking.show_{n}" for n in range(1, 9)),
})  # fmt: skip
"""The ranking screen's bindings this view answers (by id, so a user's remapping of the
ranking screen's keys applies here too); pinning, diffing and scanning are the panes'."""


class StoredRepoRankScreen(QueueSteps, RepoPairScreen, DraftScreen):
    """A workspace's repository task of three to eight patches, ranked."""

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("ranking", only=RANK_KEYS)
    TESTS_KEY = "t"
    AUTO_FOCUS = "#patch-a"
    hosts_comments = True
    """The patch panes' line critiques are wired here (``repo_pair_ranked_comments.py``)."""
    DEFAULT_CSS: ClassVar[str] = """
    StoredRepoRankScreen #repo-rank-side { width: 40; }
    """

    def __init__(self, session: WorkSession, task: Task, cache: Path | None = None) -> None:
        repo = repo_task_of(task, [tasks_folder(Path(session.store.path))])
        self.session = session
        self.store_task = task
        self.draft: RankedDraft = RankedDraft.open_ranked(
            session.store,
            task,
            session.annotator,
            session.rubric,
            time.monotonic(),
            unsaved=session.unsaved(task.id),
        )
        session.editing = self.draft
        names = [r.name for r in repo.responses]
        self.index_of = {key: names.index(task.response(key).id) for key in task.keys}
        """The task file's index of each store key's patch."""
        order: list[ResponseKey] = list(self.draft.shown_order)  # type: ignore[arg-type]
        self.shown_keys = (order[0], order[1])
        """The keys in the left and right pane; the left one is the one ranked and scored."""
        pair = (self.index_of[order[0]], self.index_of[order[1]])
        grade = engine_grader(repo, session.store.path, cache)
        RepoPairScreen.__init__(self, repo, pair, grade, lambda _: None)
        self.graded = tuple(repo.responses[self.index_of[key]] for key in order)
        self.scan_response = lambda response: added_lines_scan(repo, response, cache)

    def compose_overlay(self) -> ComposeResult:
        yield CommentEditor(self.session.rubric.comment_categories, id="comment-editor")

    def compose_judgement(self) -> ComposeResult:
        with VerticalScroll(id="repo-rank-side"):
            yield RankList(id="rank-list")
            yield ScoreCard(self.session.rubric, "left", "Scores", id="rank-score")
            yield RationaleEditor(self.session.rubric.rationale_min_length, id="rationale")
            yield CommentsPanel(id="rank-comments")

    def compose_rationale(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        # Textual runs every class's on_mount along the class chain, this one first
        self.query_one(RationaleEditor).set_text(self.draft.annotation.rationale)
        self.show_judgement()
        ranked_comments.refresh(self)
        self.call_later(self.show_stored_runs)

    def show_stored_runs(self) -> None:
        """Every patch's newest grade from the workspace, when all have one."""
        stored = stored_runs(self.session.store, self.store_task.id, self.graded)
        if stored:
            self.show_runs(stored)
            self.set_status("grades stored in the workspace (t runs again, cached if unchanged)")

    def show_runs(self, runs: list[Any]) -> None:
        super().show_runs(runs)
        self.show_judgement()

    def show_judgement(self) -> None:
        """The ranking list and the left patch's score card."""
        draft, left = self.draft, self.shown_keys[0]
        grades = {run.response: str(run.grade) for run in self.runs}
        rows = []
        for place, group in enumerate(draft.ranking, start=1):
            for index, key in enumerate(sorted(group, key=draft.shown_order.index)):
                name = self.store_task.response(key).id  # type: ignore[arg-type]
                rows.append(RankRow(
                    place=place,
                    tied_with_above=index > 0,
                    label=draft.label(key),
                    verdict=grades.get(name),
                    findings=sum(map(len, self.findings[name].values()))
                    if name in self.findings else None,
                    current=key == left,
                    pinned=key == self.shown_keys[1],
                    model=name,
                ))  # fmt: skip
        self.query_one(RankList).show(rows)
        card = self.query_one(ScoreCard)
        card.border_title = f"Scores {draft.label(left)} (left pane)"
        card.set_scores(draft.key_scores(left))

    def set_status(self, note: str = "") -> None:
        grades = "  ".join(f"{run.response}: {run.grade}" for run in self.runs)
        grades = grades or f"not run ({self.TESTS_KEY} grades every patch)"
        self.show_status(f"{grades}  |  1..{len(self.graded)} show, K/J rank, = tie, u untie", note)

    def action_show(self, position: int) -> None:
        """Bring the patch at this shown position (1-based) into the left pane."""
        order = self.draft.shown_order
        if not 1 <= position <= len(order) or order[position - 1] == self.shown_keys[0]:
            return
        key: ResponseKey = order[position - 1]  # type: ignore[assignment]
        self.shown_keys = (key, self.shown_keys[0])
        self.responses = tuple(self.repo_task.responses[self.index_of[k]] for k in self.shown_keys)
        self.parts = tuple(split_by_file(r.patch) for r in self.responses)
        self.show_patches()
        self.show_judgement()
        ranked_comments.refresh(self)

    def action_move(self, delta: int) -> None:
        """Move the left pane's patch one place up (-1) or down (+1)."""
        self._rank(move_up if delta < 0 else move_down)

    def action_tie(self) -> None:
        self._rank(tie_with_above)

    def action_untie(self) -> None:
        self._rank(untie)

    def _rank(self, operation: Callable[[Ranking, str], Ranking]) -> None:
        self.draft.set_ranking(operation(self.draft.ranking, self.shown_keys[0]))
        self.show_judgement()
        self.save_now()

    @on(ScoreCard.Changed)
    def _score_changed(self, event: ScoreCard.Changed) -> None:
        self.draft.set_key_score(self.shown_keys[0], event.dimension, event.level)
        self.save_now()

    def action_focus_scores(self) -> None:
        self.set_focus(self.query_one(ScoreCard))

    def action_focus_comments(self) -> None:
        self.set_focus(self.query_one(CommentsPanel))

    @on(CommentRequested)
    def _comment_requested(self, message: CommentRequested) -> None:
        ranked_comments.request(self, message)

    @on(FindingsJudged)
    def _findings_judged(self, message: FindingsJudged) -> None:
        ranked_comments.judge(self, message)

    @on(CommentsPanel.Chosen)
    def _comment_chosen(self, message: CommentsPanel.Chosen) -> None:
        ranked_comments.chosen(self, message)

    def action_focus_rationale(self) -> None:
        self.set_focus(self.query_one("#rationale-text", TextArea))

    def action_focus_code(self) -> None:
        """The left patch pane (from the score card, whose digits are levels)."""
        self.set_focus(self.query_one("#patch-a"))

    def leave_rationale(self) -> None:
        self.action_focus_code()

    def after_save(self) -> None:
        self.set_status("saved")

    def action_submit(self) -> None:
        """Submit when the rubric's checks pass and every patch is ranked."""
        self.save()
        problems = self.draft.submit_problems()
        shape = judgement_problem(self.draft.annotation, len(self.store_task.responses))
        self.submit_with(problems + ([shape] if shape else []))
