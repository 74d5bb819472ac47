"""The repository pair view of a task in the workspace, judged like every other task.

The app opens it for a task of the repository kind (repotasks/stored.py). It is the
repository pair view (files, changes, F2P/P2P table) with the pair screen's scoring panel
beside it: the rubric's dimensions per patch, the preference with its strength, the
rationale and line critiques on the patches go into the annotator's draft, saved by the
pair screen's rules (``DraftScreen``), so sync and export see it; ``ctrl+s`` submits and
opens the next unfinished task, ``[`` / ``]`` move through the queue, ``escape`` goes back
to it. The keys are the pair screen's: ``t`` runs both patches' tests, ``r`` / ``s`` /
``p`` / ``i`` focus the rationale, scores, preference and comments (the standalone
``coderlhf repo open`` keeps ``r`` for the tests). Grades come from the workspace's stored
runs (``repo_runs``) when both patches have one, and ``t`` grades through that same table.
Patches are shown in the annotator's blind order.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen

from coderlhf_tui.domain import Task
from coderlhf_tui.repotasks.demo_workspace import tasks_folder
from coderlhf_tui.repotasks.stored import is_repository, pair_indices, repo_task_of
from coderlhf_tui.repotasks.task_format import RepoTaskError
from coderlhf_tui.screens import repo_pair_comments
from coderlhf_tui.screens.dialogs import TextDialog
from coderlhf_tui.screens.draft_screen import DraftScreen
from coderlhf_tui.screens.repo_pair import RepoPairScreen
from coderlhf_tui.screens.repo_pair_queue import QueueSteps
from coderlhf_tui.store import Store
from coderlhf_tui.widgets.bindings import bindings_for
from coderlhf_tui.widgets.comment_editor import CommentEditor
from coderlhf_tui.widgets.comment_marks import CommentRequested, FindingsJudged
from coderlhf_tui.widgets.comments_panel import CommentsPanel
from coderlhf_tui.widgets.preference_bar import PreferenceBar
from coderlhf_tui.widgets.score_card import ScoreCard
from coderlhf_tui.widgets.scoring_panel import ScoringPanel
from coderlhf_tui.workbench.draft import Draft
from coderlhf_tui.workbench.session import WorkSession

PREFERENCE_KEYS = {"a": -1, "b": 1, "tie": 0}
"""``1`` / ``2`` / ``=`` as screen ordinals (left better, right better, tie); the bar's
own keys make it "much better"."""


def engine_grader(repo: Any, workspace: Path, cache: Path | None = None) -> Any:
    """Grade a response of ``repo`` in the sandbox; the engine and the environment image are
    reached on the first call (in the screen's worker thread, not at start-up). Runs are
    kept in, and reused from, the workspace's ``repo_runs`` by content hash, as
    ``coderlhf repo run`` keeps them; the worker opens its own connection to the workspace."""
    graders: list[Any] = []

    def grade(response: Any) -> Any:
        from coderlhf_tui.repotasks.cache_dir import default_cache
        from coderlhf_tui.repotasks.environments import ensure_image
        from coderlhf_tui.repotasks.grading import RepoGrader
        from coderlhf_tui.repotasks.run_cache import StoreRunCache
        from coderlhf_tui.runners.docker_sandbox import connect
        from coderlhf_tui.runners.settings import load_settings

        if not graders:
            folder = cache or default_cache()
            client = connect()
            base = load_settings().image
            image = ensure_image(client, repo.environment, base, folder, log=lambda _: None)
            graders.append(RepoGrader(client, image, folder))
        with Store.open(workspace) as store:
            graders[0].runs = StoreRunCache(store)
            return graders[0].grade(repo, response)

    return grade


def added_lines_scan(repo: Any, response: Any, cache: Path | None) -> dict[str, list[Any]]:
    """Findings on the lines a response's patch adds (semgrep, imported when first used)."""
    from coderlhf_tui.repotasks.cache_dir import default_cache
    from coderlhf_tui.repotasks.changed_scan import scan_patch

    return scan_patch(repo, response, cache or default_cache())


class StoredRepoPairScreen(QueueSteps, RepoPairScreen, DraftScreen):
    """A workspace's repository task: the pair view plus the annotator's stored draft,
    saved by the pair screen's rules (``DraftScreen``), with line critiques on the patch
    panes, submit, and the previous / next task of the queue."""

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("repo")
    """The pair screen's keys (``t`` tests, ``r`` rationale), remappable as ``repo.*``."""
    DEFAULT_CSS: ClassVar[str] = """
    StoredRepoPairScreen #scoring { width: 46; }
    StoredRepoPairScreen.-narrow #scoring { width: 36; }
    """

    TESTS_KEY = "t"
    AUTO_FOCUS = "#patch-a"
    """The left patch from the first frame (as the pair screen's left code pane), never the
    hidden comment editor's text field."""

    hosts_comments = True
    """The patch panes' line comments are wired here (``screens/repo_pair_comments.py``)."""

    def __init__(self, session: WorkSession, task: Task, cache: Path | None = None) -> None:
        repo = repo_task_of(task, [tasks_folder(Path(session.store.path))])
        self.session = session
        self.store_task = task
        self.draft: Draft = session.open_draft(task, time.monotonic())
        pair = pair_indices(repo, task, self.draft.annotation.shown_order)
        super().__init__(repo, pair, engine_grader(repo, session.store.path, cache), lambda _: None)
        self.scan_response = lambda response: added_lines_scan(repo, response, cache)

    def compose_overlay(self) -> ComposeResult:
        yield CommentEditor(self.session.rubric.comment_categories, id="comment-editor")

    def compose_judgement(self) -> ComposeResult:
        yield ScoringPanel(self.session.rubric, id="scoring")

    def compose_rationale(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        # Textual runs every class's on_mount along the class chain, this one first
        draft = self.draft
        self.query_one(ScoringPanel).show_judgement(
            draft.side_scores("left"),
            draft.side_scores("right"),
            draft.screen_preference,
            draft.annotation.rationale,
            draft.annotation.tags,
        )
        repo_pair_comments.refresh(self)
        self.call_later(self.show_stored_runs)  # after every class's on_mount (the table)

    def show_stored_runs(self) -> None:
        """Both patches' newest grades from the workspace, when both have one."""
        stored = stored_runs(self.session.store, self.store_task.id, self.graded)
        if stored:
            self.show_runs(stored)
            self.set_status("grades stored in the workspace (r runs again, cached if unchanged)")

    def after_save(self) -> None:
        self.set_status("saved")

    def action_focus_scores(self) -> None:
        self.query_one(ScoringPanel).focus_scores()

    def action_focus_preference(self) -> None:
        self.query_one(ScoringPanel).focus_preference()

    def action_focus_rationale(self) -> None:
        self.query_one(ScoringPanel).focus_rationale()

    def action_focus_comments(self) -> None:
        self.set_focus(self.query_one(CommentsPanel))

    def action_prefer(self, choice: str) -> None:
        ordinal = PREFERENCE_KEYS[choice]
        self.query_one(PreferenceBar).set_ordinal(ordinal)
        self.draft.set_screen_preference(ordinal)
        self.preference = choice
        self.save_now()

    def action_save(self) -> None:
        self.save_now()

    def action_submit(self) -> None:
        """Submit as the pair screen does (the rubric's checks first), then the next
        unfinished task of the queue, whichever screen it needs."""
        self.save()
        self.submit_with(self.draft.submit_problems())

    def leave_rationale(self) -> None:
        self.query_one(ScoringPanel).focus_preference()

    @on(ScoreCard.Changed)
    def _score_changed(self, event: ScoreCard.Changed) -> None:
        self.draft.set_score(event.side, event.dimension, event.level)
        self.save_now()

    @on(PreferenceBar.Changed)
    def _preference_changed(self, event: PreferenceBar.Changed) -> None:
        self.draft.set_screen_preference(event.ordinal)
        self.save_now()

    @on(CommentRequested)
    def _comment_requested(self, message: CommentRequested) -> None:
        repo_pair_comments.request(self, message)

    @on(FindingsJudged)
    def _findings_judged(self, message: FindingsJudged) -> None:
        repo_pair_comments.judge(self, message)

    @on(CommentsPanel.Chosen)
    def _comment_chosen(self, message: CommentsPanel.Chosen) -> None:
        repo_pair_comments.chosen(self, message)


def stored_runs(store: Store, instance_id: str, responses: tuple[Any, ...]) -> list[Any]:
    """The newest run of each graded response in the workspace's ``repo_runs``, in screen
    order; empty unless all have one (the table is shown for all at once)."""
    from coderlhf_tui.repotasks.grading import RepoRun
    from coderlhf_tui.repotasks.run_cache import StoreRunCache

    newest = {run["response"]: run for run in StoreRunCache(store).runs_of(instance_id)}
    if not all(r.name in newest for r in responses):
        return []
    return [RepoRun.from_json(newest[r.name]) for r in responses]


def repository_screen(session: WorkSession, task_id: str) -> Screen[Any] | None:
    """The repository pair view when ``task_id`` is a repository task, else None; a page
    saying what is missing when its task file or snapshot cannot be read here."""
    task = session.store.get_task(task_id)
    if task is None or not is_repository(task):
        return None
    try:
        if task.is_ranked:
            from coderlhf_tui.screens.repo_pair_ranked import StoredRepoRankScreen

            return StoredRepoRankScreen(session, task)
        return StoredRepoPairScreen(session, task)
    except RepoTaskError as exc:
        return TextDialog(f"Repository task {task_id}", missing_text(exc, session), markdown=False)


def missing_text(error: RepoTaskError, session: WorkSession) -> str:
    """Why a repository task cannot open on this machine, and how to bring its files."""
    folder = tasks_folder(Path(session.store.path))
    return (
        f"{error}\n\nThe task came from another machine (sync carries the task and its "
        "annotations, not the task file and the repository snapshot beside it). Put the "
        f"task file and its snapshot in {folder}, or for the demo's tasks run:\n\n"
        f"  coderlhf repo demo {folder} --db {session.store.path}"
    )
