"""The pair screen: prompt, the two responses (side by side, as tabs, or as a diff), their
tests and findings, and the scoring panel.

The screen owns the wiring: it loads a task and its draft annotation, hands data down to
the widgets, turns their messages into draft changes (autosaved at once, or after a short
pause while typing), and asks the app to run tests and scans in workers.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Markdown, Static, Tab, Tabs, TextArea

from coderlhf_tui.domain import AnnotationStatus, ResponseKey, Task, TaskStatus, TestRun
from coderlhf_tui.screens.dialogs import ConfirmDialog, TextDialog
from coderlhf_tui.widgets.bindings import bindings_for
from coderlhf_tui.widgets.code_pane import CodePane
from coderlhf_tui.widgets.diff_view import DiffView
from coderlhf_tui.widgets.finding_detail import FindingDetail
from coderlhf_tui.widgets.line_view import LineView
from coderlhf_tui.widgets.preference_bar import PreferenceBar
from coderlhf_tui.widgets.rationale import RationaleEditor
from coderlhf_tui.widgets.score_card import ScoreCard
from coderlhf_tui.widgets.status_line import StatusLine
from coderlhf_tui.widgets.tag_picker import TagPicker
from coderlhf_tui.widgets.test_panel import TestPanel
from coderlhf_tui.workbench.blind import SIDES, Side
from coderlhf_tui.workbench.consistency import consistency_warnings
from coderlhf_tui.workbench.draft import Draft
from coderlhf_tui.workbench.runs_and_findings import PairEvidence, load_runs_and_findings
from coderlhf_tui.workbench.session import WorkSession

if TYPE_CHECKING:
    from coderlhf_tui.app import CoderlhfApp

NARROW_BELOW = 120
"""Below this many columns the responses become tabs."""

TYPING_SAVE_DELAY_S = 0.4
"""Rationale edits are saved after this pause in typing (and always on blur and exit)."""

VIEWS = ("left", "right", "score")
LABEL = {"left": "Left", "right": "Right"}


class PairScreen(Screen[None]):
    """Compare, test and score one pair."""

    BINDINGS = bindings_for("pair")
    AUTO_FOCUS = "#code-left"
    """The left code pane has focus from the first frame, so keys typed ahead act on it."""

    def __init__(self, session: WorkSession, task_id: str) -> None:
        super().__init__()
        self.session = session
        self.first_task_id = task_id
        self.pair_task: Task | None = None
        self.draft: Draft | None = None
        self.evidence = PairEvidence()
        self.diff_mode = False
        self.view = "left"
        self._save_timer: Timer | None = None
        self._stale: set[str] = set()

    @property
    def coderlhf(self) -> CoderlhfApp:
        from coderlhf_tui.app import CoderlhfApp

        assert isinstance(self.app, CoderlhfApp)
        return self.app

    # -- layout ----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        rubric = self.session.rubric
        yield StatusLine(id="status")
        yield Tabs(
            Tab("Left", id="view-left"),
            Tab("Right", id="view-right"),
            Tab("Score", id="view-score"),
            id="pair-tabs",
        )
        with Horizontal(id="pair-body"):
            with Vertical(id="pair-main"):
                with VerticalScroll(id="prompt-box"):
                    yield Markdown("", id="prompt")
                with Horizontal(id="panes"):
                    for side in SIDES:
                        with Vertical(id=f"col-{side}", classes="code-col"):
                            yield Static(LABEL[side], id=f"head-{side}", classes="pane-head")
                            yield CodePane(id=f"code-{side}")
                    with Vertical(id="diff-col"):
                        yield Static("", id="diff-head", classes="pane-head")
                        yield DiffView(id="diff")
                yield FindingDetail(id="finding")
                with Horizontal(id="tests"):
                    for side in SIDES:
                        yield TestPanel(f"{LABEL[side]} tests", id=f"test-{side}")
            with VerticalScroll(id="pair-side"):
                for side in SIDES:
                    yield ScoreCard(rubric, side, f"{LABEL[side]} scores", id=f"score-{side}")
                yield PreferenceBar(rubric, id="preference")
                yield RationaleEditor(rubric.rationale_min_length, id="rationale")
                yield TagPicker(rubric, id="tags")
        yield Footer()

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
        self.flush()
        if self.draft is not None:
            self.draft.clock.pause(time.monotonic())
        self.pair_task = task
        self.draft = Draft.open(
            self.session.store,
            task,
            self.session.annotator,
            self.session.rubric,
            time.monotonic(),
            unsaved=self.session.unsaved(task.id),
        )
        self.evidence = load_runs_and_findings(self.session.store, task.id)
        self._stale = {"panes", "diff"}
        self._show_code()
        self._show_prompt(task)
        self._show_heads(task)
        self._show_scores()
        self._show_tests()
        self._update_where()
        self._update_finding_detail()
        self.coderlhf.prefetch(self.session.neighbor(task.id, 1))
        self.refresh_bindings()
        return True

    def _key(self, side: Side) -> ResponseKey:
        assert self.draft is not None
        return self.draft.sides.key(side)

    def _show_code(self) -> None:
        task = self.pair_task
        assert task is not None
        language = task.language.value
        if self.diff_mode and "diff" in self._stale:
            left, right = (task.response(self._key(side)) for side in SIDES)
            self.query_one(DiffView).show(
                language,
                left.code,
                right.code,
                self.evidence.findings[self._key("left")],
                self.evidence.findings[self._key("right")],
            )
            self._stale.discard("diff")
            stats = self.query_one(DiffView).stats
            self.query_one("#diff-head", Static).update(
                f"Diff: left against right · {stats.changed} changed · "
                f"{stats.deleted} only left · {stats.inserted} only right   (. , jump to changes)"
            )
        if not self.diff_mode and "panes" in self._stale:
            for side in SIDES:
                key = self._key(side)
                self.query_one(f"#code-{side}", CodePane).show(
                    language, task.response(key).code, self.evidence.findings[key]
                )
            self._stale.discard("panes")

    def _show_prompt(self, task: Task) -> None:
        meta = f"**{task.id}** · {task.language.value}"
        if task.task_type:
            meta += f" · {task.task_type.value}"
        self.query_one("#prompt", Markdown).update(f"{meta}\n\n{task.prompt}")
        self.query_one("#prompt-box").scroll_home(animate=False)

    def _show_heads(self, task: Task) -> None:
        show_models = self.session.rubric.show_model_names
        for side in SIDES:
            response = task.response(self._key(side))
            label = LABEL[side]
            if show_models and response.model:
                label += f" · {response.model}"
            lines = response.code.count("\n") + 1
            findings = len(self.evidence.findings[self._key(side)])
            scanned = self.evidence.scanned[self._key(side)]
            marks = f"{findings} findings" if scanned else "not scanned"
            self.query_one(f"#head-{side}", Static).update(f"{label} · {lines} lines · {marks}")

    def _show_scores(self) -> None:
        draft = self.draft
        assert draft is not None
        for side in SIDES:
            self.query_one(f"#score-{side}", ScoreCard).set_scores(draft.side_scores(side))
        self.query_one(PreferenceBar).set_ordinal(draft.screen_preference)
        self.query_one(RationaleEditor).set_text(draft.annotation.rationale)
        self.query_one(TagPicker).set_tags(draft.annotation.tags)

    def _show_tests(self) -> None:
        task = self.pair_task
        assert task is not None
        running = self.coderlhf.tests_running(task.id)
        for side in SIDES:
            panel = self.query_one(f"#test-{side}", TestPanel)
            panel.show(self.evidence.runs[self._key(side)], has_tests=task.tests is not None)
            panel.running = running

    def _update_where(self) -> None:
        assert self.pair_task is not None and self.draft is not None
        index, total = self.session.position(self.pair_task.id)
        state = "submitted" if self.draft.submitted else "draft"
        where = f"{self.pair_task.id} · {index}/{total} · {state}" if index else self.pair_task.id
        self.query_one(StatusLine).update_state(where=where, sync=self.session.sync_label())

    # -- evidence arriving from the app's workers ------------------------------

    def test_run_arrived(
        self, task_id: str, key: ResponseKey, run: TestRun | None, error: str | None
    ) -> None:
        """A run finished (or failed to run) for one response."""
        if self.pair_task is None or task_id != self.pair_task.id:
            return
        if run is not None:
            self.evidence.runs[key] = run
        side = self.draft.sides.side(key) if self.draft else "left"
        panel = self.query_one(f"#test-{side}", TestPanel)
        panel.show(self.evidence.runs[key], has_tests=self.pair_task.tests is not None, error=error)

    def tests_finished(self, task_id: str) -> None:
        """Both responses' runs are done."""
        if self.pair_task is not None and task_id == self.pair_task.id:
            for side in SIDES:
                self.query_one(f"#test-{side}", TestPanel).running = False
        self.refresh_bindings()

    def scan_finished(self, task_id: str, error: str | None) -> None:
        """The scan of a task finished: reload its findings."""
        self.refresh_bindings()
        if self.pair_task is None or task_id != self.pair_task.id:
            return
        if error:
            self.notify(error, title="Scan failed", severity="error")
            return
        self.evidence = load_runs_and_findings(self.session.store, task_id)
        left, right = (self.evidence.findings[self._key(side)] for side in SIDES)
        for side, found in (("left", left), ("right", right)):
            self.query_one(f"#code-{side}", CodePane).set_findings(found)
        if "diff" not in self._stale:
            self.query_one(DiffView).set_findings(left, right)
        self._show_heads(self.pair_task)
        self._update_finding_detail()
        total = len(left) + len(right)
        self.notify(f"Scan done: {total} finding{'s' if total != 1 else ''}.", timeout=3)

    # -- findings under the cursor ---------------------------------------------

    @on(LineView.CursorMoved)
    def _cursor_moved(self, event: LineView.CursorMoved) -> None:
        self._touch()
        self._update_finding_detail(event.view)

    def _update_finding_detail(self, view: LineView | None = None) -> None:
        detail = self.query_one(FindingDetail)
        total = sum(len(self.evidence.findings[k]) for k in ("a", "b"))
        scanned = any(self.evidence.scanned.values())
        summary = (
            f"{total} findings; f jumps to the next marker"
            if scanned
            else "Not scanned yet: press x to run the security scan"
        )
        entries: list[tuple[str, int | None, list[object]]] = []
        if self.diff_mode:
            diff = self.query_one(DiffView)
            if diff.row_count():
                left_f, right_f = diff.findings_at(diff.cursor)
                left_n, right_n = diff.line_numbers(diff.cursor)
                entries = [("Left", left_n, left_f), ("Right", right_n, right_f)]  # type: ignore[list-item]
        else:
            panes = [view] if isinstance(view, CodePane) else [self._focused_pane()]
            for pane in panes:
                if isinstance(pane, CodePane) and pane.row_count():
                    side = "Left" if pane.id == "code-left" else "Right"
                    entries.append((side, pane.cursor + 1, pane.findings_at(pane.cursor)))  # type: ignore[arg-type]
        detail.show(entries, summary)  # type: ignore[arg-type]

    def _focused_pane(self) -> CodePane:
        focused = self.focused
        if isinstance(focused, CodePane):
            return focused
        return self.query_one("#code-right" if self.view == "right" else "#code-left", CodePane)

    @on(LineView.Scrolled)
    def _pane_scrolled(self, event: LineView.Scrolled) -> None:
        if isinstance(event.view, CodePane):
            other = "#code-right" if event.view.id == "code-left" else "#code-left"
            self.query_one(other, CodePane).follow(event.x, event.y)

    # -- scoring messages -> draft -> store ------------------------------------

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

    @on(TextArea.Changed, "#rationale-text")
    def _rationale_changed(self, event: TextArea.Changed) -> None:
        assert self.draft is not None
        self.draft.set_rationale(event.text_area.text)
        self._touch()
        if self._save_timer is not None:
            self._save_timer.reset()
        else:
            self._save_timer = self.set_timer(TYPING_SAVE_DELAY_S, self.flush)

    @on(events.DescendantBlur, "#rationale-text")
    def _rationale_blurred(self) -> None:
        self.flush()

    def _touch(self) -> None:
        if self.draft is not None:
            self.draft.clock.touch(time.monotonic())

    def on_key(self, event: events.Key) -> None:
        self._touch()

    def save_now(self) -> None:
        """Save the draft now (a discrete change: a score, the preference, a tag)."""
        self._touch()
        self.flush()

    def flush(self, *, update_ui: bool = True) -> None:
        """Write any unsaved change to the store (called on every change, blur and exit)."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        draft = self.draft
        if draft is None or self.pair_task is None:
            return
        if not draft.dirty:
            return
        saved = draft.prepare(time.monotonic())
        self.session.save_annotation(saved)
        if saved.status is AnnotationStatus.IN_PROGRESS:
            self.session.mark(self.pair_task.id, TaskStatus.IN_PROGRESS)
        if update_ui:
            self._update_where()

    def on_screen_suspend(self) -> None:
        self.flush()
        if self.draft is not None:
            self.draft.clock.pause(time.monotonic())

    def on_screen_resume(self) -> None:
        self._touch()

    def on_unmount(self) -> None:
        self.flush(update_ui=False)

    # -- actions ---------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        task = self.pair_task
        if task is None:
            return True
        if action == "run_tests":
            if task.tests is None:
                return False
            return None if self.coderlhf.tests_running(task.id) else True
        if action == "run_scan":
            return None if self.coderlhf.scan_running(task.id) else True
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
            self.flush()
            self.set_focus(self.query_one(PreferenceBar))
            return
        self.flush()
        self.dismiss(None)

    def action_run_tests(self) -> None:
        if self.pair_task is None or self.pair_task.tests is None:
            return
        if self.coderlhf.start_tests(self.pair_task):
            for side in SIDES:
                self.query_one(f"#test-{side}", TestPanel).running = True
        self.refresh_bindings()

    def action_run_scan(self) -> None:
        if self.pair_task is not None and self.coderlhf.start_scan(self.pair_task):
            self.notify("Scanning both responses…", timeout=2)
        self.refresh_bindings()

    def action_toggle_diff(self) -> None:
        self.diff_mode = not self.diff_mode
        self._apply_layout(self.size.width)
        self._show_code()
        if self.diff_mode:
            self.set_focus(self.query_one(DiffView))
        else:
            self.set_focus(self._focused_pane())
        self._update_finding_detail()

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
        left = self.query_one("#score-left", ScoreCard)
        right = self.query_one("#score-right", ScoreCard)
        self.set_focus(right if left.has_focus else left)

    def action_focus_preference(self) -> None:
        self._reveal("score")
        self.set_focus(self.query_one(PreferenceBar))

    def action_focus_rationale(self) -> None:
        self._reveal("score")
        self.set_focus(self.query_one("#rationale-text", TextArea))

    def action_focus_tags(self) -> None:
        self._reveal("score")
        self.set_focus(self.query_one(TagPicker))

    def action_focus_code(self) -> None:
        if self.has_class("-narrow") and self.view == "score":
            self._set_view("left")
        if self.diff_mode:
            self.set_focus(self.query_one(DiffView))
            return
        left = self.query_one("#code-left", CodePane)
        right = self.query_one("#code-right", CodePane)
        if self.has_class("-narrow"):
            self.set_focus(right if self.view == "right" else left)
        else:
            self.set_focus(right if left.has_focus else left)

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
        self.flush()
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
        self.session.save_annotation(draft.prepare(time.monotonic(), submit=True))
        self.session.mark(task.id, TaskStatus.SUBMITTED)
        self.notify(f"Submitted {task.id}.", timeout=3)
        self.coderlhf.request_sync()
        target = self.session.next_unfinished(task.id)
        if target is None:
            self.notify("No unfinished task left in this view.", timeout=4)
            self.dismiss(None)
            return
        self.load_task(target)
