"""The repository pair view of a task in the workspace, judged like every other task.

The app opens it for a task of the repository kind (repotasks/stored.py). It is the
repository pair view (files, changes, F2P/P2P table, ``r`` runs both patches' tests) with
the pair screen's scoring panel beside it: the rubric's dimensions per patch, the
preference with its strength and the rationale go into the annotator's draft, which is
saved to the store on every change as the pair screen's is, so sync and export see it.
Patches are shown in the annotator's blind order.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import TextArea

from coderlhf_tui.domain import Task
from coderlhf_tui.repotasks.stored import is_repository, pair_indices, repo_task_of
from coderlhf_tui.screens.repo_pair import RepoPairScreen
from coderlhf_tui.widgets.preference_bar import PreferenceBar
from coderlhf_tui.widgets.score_card import ScoreCard
from coderlhf_tui.widgets.scoring_panel import ScoringPanel
from coderlhf_tui.workbench.session import WorkSession

PREFERENCE_KEYS = {"a": -1, "b": 1, "tie": 0}
"""``1`` / ``2`` / ``=`` as screen ordinals (left better, right better, tie); the bar's
own keys make it "much better"."""


def engine_grader(repo: Any, cache: Path | None = None) -> Any:
    """Grade a response of ``repo`` in the sandbox; the engine and the environment image are
    reached on the first call (in the screen's worker thread, not at start-up)."""
    graders: list[Any] = []

    def grade(response: Any) -> Any:
        from coderlhf_tui.repotasks.cache_dir import default_cache
        from coderlhf_tui.repotasks.environments import ensure_image
        from coderlhf_tui.repotasks.grading import RepoGrader
        from coderlhf_tui.runners.docker_sandbox import connect
        from coderlhf_tui.runners.settings import load_settings

        if not graders:
            folder = cache or default_cache()
            client = connect()
            base = load_settings().image
            image = ensure_image(client, repo.environment, base, folder, log=lambda _: None)
            graders.append(RepoGrader(client, image, folder))
        return graders[0].grade(repo, response)

    return grade


def added_lines_scan(repo: Any, response: Any, cache: Path | None) -> dict[str, list[Any]]:
    """Findings on the lines a response's patch adds (semgrep, imported when first used)."""
    from coderlhf_tui.repotasks.cache_dir import default_cache
    from coderlhf_tui.repotasks.changed_scan import scan_patch

    return scan_patch(repo, response, cache or default_cache())


class StoredRepoPairScreen(RepoPairScreen):
    """A workspace's repository task: the pair view plus the annotator's stored draft."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "focus_scores", "scores"),
        Binding("p", "focus_preference", "preference"),
        Binding("w", "focus_rationale", "rationale"),  # r runs the tests here
    ]
    DEFAULT_CSS: ClassVar[str] = """
    StoredRepoPairScreen #scoring { width: 46; }
    """

    def __init__(self, session: WorkSession, task: Task, cache: Path | None = None) -> None:
        repo = repo_task_of(task)
        self.session = session
        self.draft = session.open_draft(task, time.monotonic())
        pair = pair_indices(repo, task, self.draft.annotation.shown_order)
        super().__init__(repo, pair, engine_grader(repo, cache), lambda _: None)
        self.scan_response = lambda response: added_lines_scan(repo, response, cache)

    def compose_judgement(self) -> ComposeResult:
        yield ScoringPanel(self.session.rubric, id="scoring")

    def compose_rationale(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        # Textual calls RepoPairScreen.on_mount first (handlers run along the class chain)
        draft = self.draft
        self.query_one(ScoringPanel).show_judgement(
            draft.side_scores("left"),
            draft.side_scores("right"),
            draft.screen_preference,
            draft.annotation.rationale,
            draft.annotation.tags,
        )

    def action_focus_scores(self) -> None:
        self.query_one(ScoringPanel).focus_scores()

    def action_focus_preference(self) -> None:
        self.query_one(ScoringPanel).focus_preference()

    def action_focus_rationale(self) -> None:
        self.query_one(ScoringPanel).focus_rationale()

    def action_prefer(self, choice: str) -> None:
        ordinal = PREFERENCE_KEYS[choice]
        self.query_one(PreferenceBar).set_ordinal(ordinal)
        self.draft.set_screen_preference(ordinal)
        self.preference = choice
        self.action_save()

    def action_save(self) -> None:
        if self.session.save_draft(self.draft, time.monotonic()):
            self.set_status("saved")

    @on(ScoreCard.Changed)
    def _score_changed(self, event: ScoreCard.Changed) -> None:
        self.draft.set_score(event.side, event.dimension, event.level)
        self.action_save()

    @on(PreferenceBar.Changed)
    def _preference_changed(self, event: PreferenceBar.Changed) -> None:
        self.draft.set_screen_preference(event.ordinal)
        self.action_save()

    @on(TextArea.Changed, "#rationale-text")
    def _rationale_changed(self, event: TextArea.Changed) -> None:
        self.draft.set_rationale(event.text_area.text)
        self.action_save()

    def on_screen_suspend(self) -> None:
        self.action_save()

    def on_unmount(self) -> None:
        self.action_save()
        if self.session.editing is self.draft:
            self.session.editing = None


def repository_screen(session: WorkSession, task_id: str) -> StoredRepoPairScreen | None:
    """The repository pair view when ``task_id`` is a repository task, else None."""
    task = session.store.get_task(task_id)
    if task is None or not is_repository(task):
        return None
    return StoredRepoPairScreen(session, task)
