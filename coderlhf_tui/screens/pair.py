"""The pair screen: a ``ResponsesView`` (prompt, the two responses side by side, as tabs or
as a diff, their findings and tests) beside a ``ScoringPanel`` (scores, preference,
rationale, tags).

The screen owns the wiring: it loads a task and its draft annotation through the session,
hands data down to the two halves in left/right terms, turns their messages into draft
changes and saves them (``draft_screen.py``: at once, or within a bound while typing). Test
runs and scans it asks of the app with messages (``screens/messages.py``) and shows the
answers when they arrive.
"""

from __future__ import annotations

import time

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Tab, Tabs, TextArea

from coderlhf_tui.domain import ResponseKey, Task
from coderlhf_tui.screens import pair_comments
from coderlhf_tui.screens.dialogs import ConfirmDialog, TextDialog
from coderlhf_tui.screens.draft_screen import DraftScreen
from coderlhf_tui.screens.messages import (
    OpenPair,
    PrefetchTask,
    RunScan,
    RunTests,
    ScanFinished,
    ScanStarted,
    SyncRequested,
    TestRunFinished,
    TestsStarted,
)
from coderlhf_tui.widgets.bindings import bindings_for
from coderlhf_tui.widgets.comment_editor import CommentEditor
from coderlhf_tui.widgets.comment_marks import CommentRequested, FindingsJudged
from coderlhf_tui.widgets.comments_panel import CommentsPanel
from coderlhf_tui.widgets.diff_view import DiffView
from coderlhf_tui.widgets.key_footer import KeyFooter
from coderlhf_tui.widgets.line_view import LineView
from coderlhf_tui.widgets.preference_bar import PreferenceBar
from coderlhf_tui.widgets.responses_view import LABEL, ResponsesView, ShownResponse
from coderlhf_tui.widgets.score_card import ScoreCard
from coderlhf_tui.widgets.scoring_panel import ScoringPanel
from coderlhf_tui.widgets.status_line import StatusLine
from coderlhf_tui.widgets.tag_picker import TagPicker
from coderlhf_tui.workbench.blind import SIDES, Side
from coderlhf_tui.workbench.consistency import consistency_warnings
from coderlhf_tui.workbench.draft import Draft
from coderlhf_tui.workbench.runs_and_findings import PairEvidence, load_runs_and_findings
from coderlhf_tui.workbench.session import WorkSession

NARROW_BELOW = 120
"""Below this many columns the responses become tabs."""

VIEWS = ("left", "right", "score")


class PairScreen(DraftScreen):
    """Compare, test and score one pair."""

    BINDINGS = bindings_for("pair")
    AUTO_FOCUS = "#code-left"
    """The left code pane has focus from the first frame, so keys typed ahead act on it."""

    hosts_comments = True
    """The code views' line comments are wired here (``screens/pair_comments.py``)."""

    def __init__(self, session: WorkSession, task_id: str) -> None:
        super().__init__()
        self.session = session
        self.first_task_id = task_id
        self.pair_task: Task | None = None
        self.draft: Draft | None = None
        self.evidence = PairEvidence()
        self.diff_mode = False
        self.view = "left"

    # -- layout ----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # The floating editor first: the compositor numbers siblings from the last one,
        # so showing or hiding the first leaves every other widget's paint order (and its
        # pixels) alone; anywhere else it would repaint the whole screen.
        yield CommentEditor(self.session.rubric.comment_categories, id="comment-editor")
        yield StatusLine(id="status")
        yield Tabs(
            Tab("Left", id="view-left"),
            Tab("Right", id="view-right"),
            Tab("Score", id="view-score"),
            id="pair-tabs",
        )
        with Horizontal(id="pair-body"):
            yield ResponsesView(id="pair-main")
            yield ScoringPanel(self.session.rubric, id="pair-side")
        yield KeyFooter()

    @property
    def responses(self) -> ResponsesView:
        """The left half: prompt, code, findings, tests."""
        return self.query_one(ResponsesView)

    @property
    def scoring(self) -> ScoringPanel:
        """The right half: scores, preference, rationale, tags."""
        return self.query_one(ScoringPanel)

    def on_mount(self) -> None:
        self.query_one(StatusLine).update_state(
            workspace=self.session.workspace,
            annotator=self.session.annotator,
            sync=self.session.sync_label(),
        )
        self._apply_layout(self.size.width)
        self.load_task(self.first_task_id)

    def on_resize(self, event: events.Resize) -> None:
        self._apply_layout(event.size.width)

    def _apply_layout(self, width: int) -> None:
        narrow = width < NARROW_BELOW
        self.set_class(narrow, "-narrow")
        for view in VIEWS:
            self.set_class(self.view == view, f"-view-{view}")
        self.set_class(self.diff_mode, "-diff")

    # -- loading a task --------------------------------------------------------

    def load_task(self, task_id: str) -> bool:
        """Show another task (saving the current draft first); False when it is missing."""
        task = self.session.store.get_task(task_id)
        if task is None:
            self.notify(f"Task {task_id} is not in this workspace.", severity="error")
            return False
        self.save()
        from coderlhf_tui.repotasks.stored import is_repository

        if task.is_ranked or is_repository(task):  # the app opens it on its own screen
            self.dismiss(None)
            self.app.post_message(OpenPair(task_id))
            return True
        if self.draft is not None:
            self.draft.clock.pause(time.monotonic())
        self.pair_task = task
        self.draft = self.session.open_draft(task, time.monotonic())
        self.evidence = load_runs_and_findings(self.session.store, task.id)
        meta = f"**{task.id}** · {task.language.value}"
        if task.task_type:
            meta += f" · {task.task_type.value}"
        left, right = (self._shown(side) for side in SIDES)
        self.responses.diff_mode = self.diff_mode
        self.responses.show_pair(
            task.language.value,
            f"{meta}\n\n{task.prompt}",
            left,
            right,
            has_tests=task.tests is not None,
            running=self.session.in_flight.running("tests", task.id),
            show_models=self.session.rubric.show_model_names,
        )
        self._show_judgement()
        pair_comments.refresh(self)
        self._update_where()
        neighbour = self.session.neighbor(task.id, 1)
        if neighbour is not None:
            self.post_message(PrefetchTask(neighbour))
        self.refresh_bindings()
        return True

    def _key(self, side: Side) -> ResponseKey:
        assert self.draft is not None
        return self.draft.sides.key(side)

    def _shown(self, side: Side) -> ShownResponse:
        assert self.pair_task is not None
        key = self._key(side)
        return ShownResponse(
            code=self.pair_task.response(key).code,
            model=self.pair_task.response(key).model or "",
            findings=self.evidence.findings[key],
            scanned=self.evidence.scanned[key],
            run=self.evidence.runs[key],
        )

    def _show_judgement(self) -> None:
        draft = self.draft
        assert draft is not None
        self.scoring.show_judgement(
            draft.side_scores("left"),
            draft.side_scores("right"),
            draft.screen_preference,
            draft.annotation.rationale,
            draft.annotation.tags,
        )

    def _update_where(self, *, sync: bool = True) -> None:
        """Show the task's place and state (and the sync label, unless ``sync`` is False: a
        save while typing leaves the pending count to the app's next sync tick)."""
        assert self.pair_task is not None and self.draft is not None
        index, total = self.session.position(self.pair_task.id)
        state = "submitted" if self.draft.submitted else "draft"
        where = f"{self.pair_task.id} · {index}/{total} · {state}" if index else self.pair_task.id
        label = self.session.sync_label() if sync else None
        self.query_one(StatusLine).update_state(where=where, sync=label)

    def _showing(self, task_id: str) -> bool:
        return self.pair_task is not None and self.pair_task.id == task_id

    # -- answers from the app --------------------------------------------------

    @on(OpenPair)
    def _open_pair(self, message: OpenPair) -> None:
        message.stop()  # this screen shows it; the app need not push another
        self.load_task(message.task_id)

    @on(TestsStarted)
    def _tests_started(self, message: TestsStarted) -> None:
        if self._showing(message.task_id):
            self.responses.set_running(True)
        self.refresh_bindings()

    @on(TestRunFinished)
    def _test_run_finished(self, message: TestRunFinished) -> None:
        if self._showing(message.task_id) and self.draft is not None:
            assert self.pair_task is not None
            if message.run is not None:
                self.evidence.runs[message.key] = message.run
            self.responses.show_run(
                self.draft.sides.side(message.key),
                self.evidence.runs[message.key],
                has_tests=self.pair_task.tests is not None,
                error=message.error,
            )
            if message.last:
                self.responses.set_running(False)
        if message.last:
            self.refresh_bindings()

    @on(ScanStarted)
    def _scan_started(self, message: ScanStarted) -> None:
        if self._showing(message.task_id):
            self.notify("Scanning both responses…", timeout=2)
        self.refresh_bindings()

    @on(ScanFinished)
    def _scan_finished(self, message: ScanFinished) -> None:
        self.refresh_bindings()
        if not self._showing(message.task_id):
            return
        if message.error:
            self.notify(message.error, title="Scan failed", severity="error")
            return
        self.evidence = load_runs_and_findings(self.session.store, message.task_id)
        self.responses.show_findings(self._shown("left"), self._shown("right"))
        total = sum(len(found) for found in self.evidence.findings.values())
        self.notify(f"Scan done: {total} finding{'s' if total != 1 else ''}.", timeout=3)

    # -- messages of the two halves -> draft -> store --------------------------

    @on(CommentRequested)
    def _comment_requested(self, message: CommentRequested) -> None:
        pair_comments.request(self, message)

    @on(FindingsJudged)
    def _findings_judged(self, message: FindingsJudged) -> None:
        pair_comments.judge(self, message)

    @on(CommentsPanel.Chosen)
    def _comment_chosen(self, message: CommentsPanel.Chosen) -> None:
        pair_comments.chosen(self, message)

    @on(LineView.CursorMoved)
    def _cursor_moved(self) -> None:
        self._touch()

    @on(ScoreCard.Changed)
    def _score_changed(self, event: ScoreCard.Changed) -> None:
        assert self.draft is not None
        self.draft.set_score(event.side, event.dimension, event.level)
        self.save_now()

    @on(PreferenceBar.Changed)
    def _preference_changed(self, event: PreferenceBar.Changed) -> None:
        assert self.draft is not None
        self.draft.set_screen_preference(event.ordinal)
        self.save_now()

    @on(TagPicker.SelectedChanged)
    def _tags_changed(self, event: TagPicker.SelectedChanged[str]) -> None:
        assert self.draft is not None
        self.draft.set_tags(list(event.selection_list.selected))
        self.save_now()

    def after_save(self) -> None:
        self._update_where(sync=False)

    # -- actions ---------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        task = self.pair_task
        if task is None:
            return True
        if action == "run_tests":
            if task.tests is None:
                return False
            return None if self.session.in_flight.running("tests", task.id) else True
        if action == "run_scan":
            return None if self.session.in_flight.running("scan", task.id) else True
        if action == "cycle_view":
            return self.has_class("-narrow")
        if action == "next_pair":
            return self.session.neighbor(task.id, 1) is not None or None
        if action == "prev_pair":
            return self.session.neighbor(task.id, -1) is not None or None
        if action == "show_output":
            return any(self.evidence.runs.values()) or None
        return True

    def action_back(self) -> None:
        if isinstance(self.focused, TextArea):
            self.save()
            self.scoring.focus_preference()
            return
        self.save()
        self.dismiss(None)

    def action_run_tests(self) -> None:
        if self.pair_task is not None and self.pair_task.tests is not None:
            self.post_message(RunTests(self.pair_task))

    def action_run_scan(self) -> None:
        if self.pair_task is not None:
            self.post_message(RunScan(self.pair_task))

    def action_toggle_diff(self) -> None:
        self.diff_mode = not self.diff_mode
        self._apply_layout(self.size.width)
        self.responses.set_diff_mode(self.diff_mode)
        self.set_focus(self.responses.code_view(self._preferred_side()))
        self.responses.update_finding_detail(prefer=self._preferred_side())

    def _preferred_side(self) -> Side:
        return "right" if self.view == "right" else "left"

    def action_cycle_view(self) -> None:
        index = VIEWS.index(self.view)
        self._set_view(VIEWS[(index + 1) % len(VIEWS)])

    def _set_view(self, view: str) -> None:
        self.view = view
        self.query_one(Tabs).active = f"view-{view}"
        self._apply_layout(self.size.width)

    @on(Tabs.TabActivated, "#pair-tabs")
    def _tab_activated(self, event: Tabs.TabActivated) -> None:
        view = (event.tab.id or "view-left").removeprefix("view-")
        if view != self.view:
            self.view = view
            self._apply_layout(self.size.width)

    def _reveal(self, view: str) -> None:
        if self.has_class("-narrow") and self.view != view:
            self._set_view(view)

    def action_focus_scores(self) -> None:
        self._reveal("score")
        self.scoring.focus_scores()

    def action_focus_preference(self) -> None:
        self._reveal("score")
        self.scoring.focus_preference()

    def action_focus_rationale(self) -> None:
        self._reveal("score")
        self.scoring.focus_rationale()

    def action_focus_comments(self) -> None:
        self._reveal("score")
        self.set_focus(self.query_one(CommentsPanel))

    def action_focus_tags(self) -> None:
        self._reveal("score")
        self.scoring.focus_tags()

    def action_focus_code(self) -> None:
        if self.has_class("-narrow") and self.view == "score":
            self._set_view("left")
        if self.diff_mode:
            self.set_focus(self.query_one(DiffView))
        elif self.has_class("-narrow"):
            self.set_focus(self.query_one(f"#code-{self._preferred_side()}"))
        else:
            self.set_focus(self.responses.other_pane())

    def action_show_prompt(self) -> None:
        if self.pair_task is not None:
            self.app.push_screen(TextDialog(f"Prompt · {self.pair_task.id}", self.pair_task.prompt))

    def action_show_output(self) -> None:
        parts = []
        for side in SIDES:
            run = self.evidence.runs[self._key(side)]
            if run is None:
                parts.append(f"== {LABEL[side]}: not run")
                continue
            parts.append(
                f"== {LABEL[side]}: {run.verdict.value}, {run.passed} passed, {run.failed} failed,"
                f" {run.duration_s:.2f}s, exit {run.exit_code}\n"
                f"-- stdout\n{run.stdout}\n-- stderr\n{run.stderr}"
            )
        self.app.push_screen(TextDialog("Test output", "\n\n".join(parts), markdown=False))

    def action_next_pair(self) -> None:
        self._go(1)

    def action_prev_pair(self) -> None:
        self._go(-1)

    def _go(self, delta: int) -> None:
        if self.pair_task is None:
            return
        target = self.session.neighbor(self.pair_task.id, delta)
        if target is not None:
            self.load_task(target)

    def action_submit(self) -> None:
        self.save()
        draft = self.draft
        if draft is None:
            return
        problems = draft.submit_problems()
        if problems:
            self.notify("\n".join(problems), title="Not ready to submit", severity="error")
            return
        warnings = consistency_warnings(
            draft.annotation, self.session.rubric, self.evidence.runs, self.evidence.findings
        )
        if warnings:
            self.app.push_screen(
                ConfirmDialog("Check before submitting", warnings), self._confirmed
            )
            return
        self._submit()

    def _confirmed(self, confirmed: bool | None) -> None:
        if confirmed:
            self._submit()

    def _submit(self) -> None:
        draft = self.draft
        task = self.pair_task
        assert draft is not None and task is not None
        self.session.save_draft(draft, time.monotonic(), submit=True)
        self.notify(f"Submitted {task.id}.", timeout=3)
        self.post_message(SyncRequested())
        target = self.session.next_unfinished(task.id)
        if target is None:
            self.notify("No unfinished task left in this view.", timeout=4)
            self.dismiss(None)
            return
        self.load_task(target)
