"""The ranking screen: rank three to eight responses to one prompt from the keyboard.

Left, the ranking (``RankList``), a score card for the response in view, the rationale and
the tags; right, the prompt, the response in view (every response is one digit away,
``1``..``8`` in the blind shown order), optionally beside a pinned second response or
diffed against it (the existing ``CodePane`` and ``DiffView``, findings on their lines),
and its test panel. ``t`` and ``x`` test and scan every response at once through the
app's workers (``screens/messages.py``). The ranking changes one response at a time:
``K``/``J`` move the response in view up or down, ``=`` ties it with the one above, ``u``
unties it (``ranking.py``). Blind rules are the pair screen's: shuffled order per
annotator and task, labels #1..#8, model names only when the rubric shows them
(``workbench/ranked_draft.py``). Every change is saved at once through the session's
writer, like the pair screen's.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Markdown, SelectionList, Static, TextArea

from coderlhf_tui.domain import Finding, Ranking, ResponseKey, Task
from coderlhf_tui.ranking import (
    group_of,
    judgement_problem,
    move_down,
    move_up,
    tie_with_above,
    untie,
)
from coderlhf_tui.screens import ranking_comments
from coderlhf_tui.screens.dialogs import ConfirmDialog, TextDialog
from coderlhf_tui.screens.draft_screen import DraftScreen
from coderlhf_tui.screens.messages import (
    OpenPair,
    RunScan,
    RunTests,
    ScanFinished,
    ScanStarted,
    SyncRequested,
    TestRunFinished,
    TestsStarted,
)
from coderlhf_tui.widgets.bindings import bindings_for
from coderlhf_tui.widgets.code_pane import CodePane
from coderlhf_tui.widgets.comment_editor import CommentEditor
from coderlhf_tui.widgets.comment_marks import CommentRequested, FindingsJudged
from coderlhf_tui.widgets.comments_panel import CommentsPanel
from coderlhf_tui.widgets.diff_view import DiffView
from coderlhf_tui.widgets.finding_detail import FindingDetail
from coderlhf_tui.widgets.key_footer import KeyFooter
from coderlhf_tui.widgets.line_view import LineView
from coderlhf_tui.widgets.rank_list import RankList, RankRow
from coderlhf_tui.widgets.rationale import RationaleEditor
from coderlhf_tui.widgets.score_card import ScoreCard
from coderlhf_tui.widgets.status_line import StatusLine
from coderlhf_tui.widgets.tag_picker import TagPicker
from coderlhf_tui.widgets.test_panel import TestPanel
from coderlhf_tui.workbench.ranked_draft import RankedDraft, ranking_warnings
from coderlhf_tui.workbench.runs_and_findings import PairEvidence, load_runs_and_findings
from coderlhf_tui.workbench.session import WorkSession


class RankingScreen(DraftScreen):
    """Rank, test and score the responses of one ranked task."""

    BINDINGS = bindings_for("ranking")
    AUTO_FOCUS = "#rank-code"

    hosts_comments = True
    """The code views' line comments are wired here (``screens/ranking_comments.py``)."""

    DEFAULT_CSS = """
    RankingScreen #rank-body { height: 1fr; }
    RankingScreen #rank-side { width: 34; }
    RankingScreen #rank-main { width: 1fr; }
    RankingScreen #rank-prompt-box { height: auto; max-height: 4; }
    RankingScreen #rank-head { height: 1; background: $boost; }
    RankingScreen #rank-panes { height: 1fr; }
    RankingScreen #rank-panes CodePane { width: 1fr; }
    RankingScreen #rank-pin { display: none; }
    RankingScreen #rank-diff { display: none; }
    RankingScreen.-pinned #rank-pin { display: block; }
    RankingScreen.-diff #rank-code, RankingScreen.-diff #rank-pin { display: none; }
    RankingScreen.-diff #rank-diff { display: block; }
    RankingScreen #rank-finding { height: auto; max-height: 2; }
    RankingScreen #rank-test { max-height: 6; }
    """

    def __init__(self, session: WorkSession, task_id: str) -> None:
        super().__init__()
        self.session = session
        self.first_task_id = task_id
        self.task_shown: Task | None = None
        self.draft: RankedDraft | None = None
        self.evidence = PairEvidence()
        self.current: ResponseKey = "a"
        self.pinned: ResponseKey | None = None
        self.diff_mode = False

    def compose(self) -> ComposeResult:
        # The floating editor first, as on the pair screen: opening it repaints nothing else.
        yield CommentEditor(self.session.rubric.comment_categories, id="comment-editor")
        yield StatusLine(id="status")
        with Horizontal(id="rank-body"):
            with VerticalScroll(id="rank-side"):
                yield RankList(id="rank-list")
                yield ScoreCard(self.session.rubric, "left", "Scores", id="rank-score")
                yield RationaleEditor(self.session.rubric.rationale_min_length, id="rationale")
                yield TagPicker(self.session.rubric, id="tags")
                yield CommentsPanel(id="rank-comments")
            with Vertical(id="rank-main"):
                with VerticalScroll(id="rank-prompt-box"):
                    yield Markdown("", id="rank-prompt")
                yield Static("", id="rank-head")
                with Horizontal(id="rank-panes"):
                    yield CodePane(id="rank-pin")
                    yield CodePane(id="rank-code")
                    yield DiffView(id="rank-diff")
                yield FindingDetail(id="rank-finding")
                yield TestPanel("Tests", id="rank-test")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(StatusLine).update_state(
            workspace=self.session.workspace,
            annotator=self.session.annotator,
            sync=self.session.sync_label(),
        )
        self.load_task(self.first_task_id)

    # -- loading ---------------------------------------------------------------------------

    def load_task(self, task_id: str) -> bool:
        """Show another ranked task (a pairwise one goes back to the app's pair screen)."""
        task = self.session.store.get_task(task_id)
        if task is None:
            self.notify(f"Task {task_id} is not in this workspace.", severity="error")
            return False
        from coderlhf_tui.repotasks.stored import is_repository

        if not task.is_ranked or is_repository(task):  # the app opens it on its own screen
            self.save()
            self.dismiss(None)
            self.app.post_message(OpenPair(task_id))
            return True
        self.save()
        if self.draft is not None:
            self.draft.clock.pause(time.monotonic())
        self.task_shown = task
        self.draft = RankedDraft.open_ranked(
            self.session.store,
            task,
            self.session.annotator,
            self.session.rubric,
            time.monotonic(),
            unsaved=self.session.unsaved(task.id),
        )
        self.session.editing = self.draft
        self.evidence = load_runs_and_findings(self.session.store, task.id, task.keys)
        self.current = self.draft.shown_order[0]  # type: ignore[assignment]
        self.pinned = None
        self.diff_mode = False
        meta = f"**{task.id}** · {task.language.value} · {len(task.responses)} responses"
        self.query_one("#rank-prompt", Markdown).update(f"{meta}\n\n{task.prompt}")
        self.query_one(RationaleEditor).set_text(self.draft.annotation.rationale)
        self.query_one(TagPicker).set_tags(self.draft.annotation.tags)
        self.query_one("#rank-test", TestPanel).running = self.session.in_flight.running(
            "tests", task.id
        )
        self._show_current()
        self._update_where()
        self.refresh_bindings()
        return True

    def _label(self, key: str) -> str:
        assert self.draft is not None
        return self.draft.label(key)

    def _model(self, key: ResponseKey) -> str:
        assert self.task_shown is not None
        if not self.session.rubric.show_model_names:
            return ""
        return self.task_shown.response(key).model or ""

    def _show_current(self) -> None:
        """Draw the response in view (and the pinned one, or their diff) and its card."""
        task, draft = self.task_shown, self.draft
        assert task is not None and draft is not None
        key = self.current
        language = task.language.value
        self.query_one("#rank-code", CodePane).show(
            language, task.response(key).code, self.evidence.findings[key]
        )
        pinned = self.pinned
        if pinned is not None:
            self.query_one("#rank-pin", CodePane).show(
                language, task.response(pinned).code, self.evidence.findings[pinned]
            )
            if self.diff_mode:
                self.query_one(DiffView).show(
                    language,
                    task.response(pinned).code,
                    task.response(key).code,
                    self.evidence.findings[pinned],
                    self.evidence.findings[key],
                )
        self.set_class(pinned is not None and not self.diff_mode, "-pinned")
        self.set_class(pinned is not None and self.diff_mode, "-diff")
        card = self.query_one(ScoreCard)
        card.border_title = f"Scores {self._label(key)}"
        card.set_scores(draft.key_scores(key))
        self.query_one("#rank-test", TestPanel).show(
            self.evidence.runs[key], has_tests=task.tests is not None
        )
        self._show_head()
        self._show_list()
        self._update_finding_detail()
        ranking_comments.refresh(self)

    def _show_head(self) -> None:
        task = self.task_shown
        assert task is not None
        key = self.current
        lines = task.response(key).code.count("\n") + 1
        marks = (
            f"{len(self.evidence.findings[key])} findings"
            if self.evidence.scanned[key]
            else "not scanned"
        )
        model = self._model(key)
        head = f"{self._label(key)}{' · ' + model if model else ''} · {lines} lines · {marks}"
        if self.pinned is not None:
            mode = "diff against" if self.diff_mode else "beside"
            head += f"   ({mode} {self._label(self.pinned)}: c unpins, d diff)"
        self.query_one("#rank-head", Static).update(head)

    def _show_list(self) -> None:
        draft = self.draft
        assert draft is not None
        rows = []
        for place, group in enumerate(draft.ranking, start=1):
            ordered = sorted(group, key=draft.shown_order.index)
            for index, key in enumerate(ordered):
                run = self.evidence.runs.get(key)  # type: ignore[call-overload]
                rows.append(
                    RankRow(
                        place=place,
                        tied_with_above=index > 0,
                        label=draft.label(key),
                        verdict=run.verdict.value if run is not None else None,
                        findings=len(self.evidence.findings[key])  # type: ignore[index]
                        if self.evidence.scanned[key]  # type: ignore[index]
                        else None,
                        current=key == self.current,
                        pinned=key == self.pinned,
                        model=self._model(key),  # type: ignore[arg-type]
                    )
                )
        self.query_one(RankList).show(rows)

    def _update_finding_detail(self, view: LineView | None = None) -> None:
        total = sum(len(found) for found in self.evidence.findings.values())
        scanned = any(self.evidence.scanned.values())
        summary = (
            f"{total} findings in all; f jumps to the next marker"
            if scanned
            else "Not scanned yet: x scans every response"
        )
        entries: list[tuple[str, int | None, Sequence[Finding]]] = []
        if self.diff_mode and self.pinned is not None:
            diff = self.query_one(DiffView)
            if diff.row_count():
                left, right = diff.findings_at(diff.cursor)
                left_n, right_n = diff.line_numbers(diff.cursor)
                entries = [
                    (self._label(self.pinned), left_n, left),
                    (self._label(self.current), right_n, right),
                ]
        else:
            pane = view if isinstance(view, CodePane) else self.query_one("#rank-code", CodePane)
            if pane.row_count():
                key = self.pinned if pane.id == "rank-pin" and self.pinned else self.current
                entries = [(self._label(key), pane.cursor + 1, pane.findings_at(pane.cursor))]
        self.query_one(FindingDetail).show(entries, summary)

    def _update_where(self) -> None:
        assert self.task_shown is not None and self.draft is not None
        index, total = self.session.position(self.task_shown.id)
        state = "submitted" if self.draft.submitted else "draft"
        where = f"{self.task_shown.id} · {index}/{total} · {state}" if index else self.task_shown.id
        self.query_one(StatusLine).update_state(where=where, sync=self.session.sync_label())

    def _showing(self, task_id: str) -> bool:
        return self.task_shown is not None and self.task_shown.id == task_id

    # -- answers from the app --------------------------------------------------------------

    @on(OpenPair)
    def _open_pair(self, message: OpenPair) -> None:
        message.stop()
        self.load_task(message.task_id)

    @on(TestsStarted)
    def _tests_started(self, message: TestsStarted) -> None:
        if self._showing(message.task_id):
            self.query_one("#rank-test", TestPanel).running = True
        self.refresh_bindings()

    @on(TestRunFinished)
    def _test_run_finished(self, message: TestRunFinished) -> None:
        if self._showing(message.task_id) and self.task_shown is not None:
            if message.run is not None:
                self.evidence.runs[message.key] = message.run
            if message.key == self.current or message.error:
                self.query_one("#rank-test", TestPanel).show(
                    self.evidence.runs[self.current],
                    has_tests=self.task_shown.tests is not None,
                    error=message.error,
                )
            if message.last:
                self.query_one("#rank-test", TestPanel).running = False
            self._show_list()
        if message.last:
            self.refresh_bindings()

    @on(ScanStarted)
    def _scan_started(self, message: ScanStarted) -> None:
        if self._showing(message.task_id):
            self.notify("Scanning every response…", timeout=2)
        self.refresh_bindings()

    @on(ScanFinished)
    def _scan_finished(self, message: ScanFinished) -> None:
        self.refresh_bindings()
        if not self._showing(message.task_id) or self.task_shown is None:
            return
        if message.error:
            self.notify(message.error, title="Scan failed", severity="error")
            return
        self.evidence = load_runs_and_findings(
            self.session.store, self.task_shown.id, self.task_shown.keys
        )
        self._show_current()
        total = sum(len(found) for found in self.evidence.findings.values())
        self.notify(f"Scan done: {total} finding{'s' if total != 1 else ''}.", timeout=3)

    # -- edits -> draft -> store -------------------------------------------------------------

    @on(CommentRequested)
    def _comment_requested(self, message: CommentRequested) -> None:
        ranking_comments.request(self, message)

    @on(FindingsJudged)
    def _findings_judged(self, message: FindingsJudged) -> None:
        ranking_comments.judge(self, message)

    @on(CommentsPanel.Chosen)
    def _comment_chosen(self, message: CommentsPanel.Chosen) -> None:
        ranking_comments.chosen(self, message)

    @on(LineView.CursorMoved)
    def _cursor_moved(self, event: LineView.CursorMoved) -> None:
        self._update_finding_detail(event.view)
        self._touch()

    @on(ScoreCard.Changed)
    def _score_changed(self, event: ScoreCard.Changed) -> None:
        assert self.draft is not None
        self.draft.set_key_score(self.current, event.dimension, event.level)
        self.save_now()

    @on(SelectionList.SelectedChanged, "#tags")
    def _tags_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        assert self.draft is not None
        self.draft.set_tags(list(event.selection_list.selected))
        self.save_now()

    def after_save(self) -> None:
        self._update_where()

    # -- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        task = self.task_shown
        if task is None:
            return True
        if action == "show":
            return int(str(parameters[0])) <= len(task.responses) if parameters else True
        if action == "run_tests":
            if task.tests is None:
                return False
            return None if self.session.in_flight.running("tests", task.id) else True
        if action == "run_scan":
            return None if self.session.in_flight.running("scan", task.id) else True
        if action == "toggle_diff":
            return self.pinned is not None or None
        if action in ("next_task", "prev_task"):
            delta = 1 if action == "next_task" else -1
            return self.session.neighbor(task.id, delta) is not None or None
        return True

    def action_show(self, position: int) -> None:
        """Show the response at this shown position (1-based)."""
        draft = self.draft
        if draft is None or not 1 <= position <= len(draft.shown_order):
            return
        self.current = draft.shown_order[position - 1]  # type: ignore[assignment]
        if self.pinned == self.current:
            self.pinned = None
        self._show_current()
        self.set_focus(self.query_one("#rank-diff" if self.diff_mode else "#rank-code"))

    def action_move(self, delta: int) -> None:
        """Move the response in view one place up (-1) or down (+1)."""
        self._rank(move_up if delta < 0 else move_down)

    def action_tie(self) -> None:
        """Tie the response in view with the one above it."""
        self._rank(tie_with_above)

    def action_untie(self) -> None:
        """Take the response in view out of its tie group."""
        self._rank(untie)

    def _rank(self, operation: Callable[[Ranking, str], Ranking]) -> None:
        draft = self.draft
        if draft is None:
            return
        draft.set_ranking(operation(draft.ranking, self.current))
        self._show_list()
        self.save_now()

    def action_pin(self) -> None:
        """Pin the response in view for side-by-side comparison (again: unpin)."""
        if self.pinned is not None:
            self.pinned = None
            self.diff_mode = False
            self.notify("Unpinned.", timeout=2)
        else:
            self.pinned = self.current
            self.notify(
                f"{self._label(self.current)} pinned: show another with its digit;"
                " d diffs the two.",
                timeout=4,
            )
        self._show_current()
        self.refresh_bindings()

    def action_toggle_diff(self) -> None:
        if self.pinned is None:
            return
        self.diff_mode = not self.diff_mode
        self._show_current()
        self.set_focus(self.query_one("#rank-diff" if self.diff_mode else "#rank-code"))

    def action_run_tests(self) -> None:
        if self.task_shown is not None and self.task_shown.tests is not None:
            self.post_message(RunTests(self.task_shown))

    def action_run_scan(self) -> None:
        if self.task_shown is not None:
            self.post_message(RunScan(self.task_shown))

    def action_focus_scores(self) -> None:
        self.set_focus(self.query_one(ScoreCard))

    def action_focus_rationale(self) -> None:
        self.set_focus(self.query_one("#rationale-text", TextArea))

    def action_focus_tags(self) -> None:
        self.set_focus(self.query_one(TagPicker))

    def action_focus_code(self) -> None:
        self.set_focus(self.query_one("#rank-diff" if self.diff_mode else "#rank-code"))

    def action_focus_comments(self) -> None:
        self.set_focus(self.query_one(CommentsPanel))

    def action_show_prompt(self) -> None:
        if self.task_shown is not None:
            self.app.push_screen(
                TextDialog(f"Prompt · {self.task_shown.id}", self.task_shown.prompt)
            )

    def action_back(self) -> None:
        if not isinstance(self.focused, LineView):
            self.save()
            self.action_focus_code()
            return
        self.save()
        self.dismiss(None)

    def action_next_task(self) -> None:
        self._go(1)

    def action_prev_task(self) -> None:
        self._go(-1)

    def _go(self, delta: int) -> None:
        if self.task_shown is None:
            return
        target = self.session.neighbor(self.task_shown.id, delta)
        if target is not None:
            self.load_task(target)

    def action_submit(self) -> None:
        self.save()
        draft, task = self.draft, self.task_shown
        if draft is None or task is None:
            return
        problems = draft.submit_problems()
        shape = judgement_problem(draft.annotation, len(task.responses))
        if shape:
            problems.append(shape)
        if problems:
            self.notify("\n".join(problems), title="Not ready to submit", severity="error")
            return
        warnings = ranking_warnings(draft, self.evidence.runs)
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
        draft, task = self.draft, self.task_shown
        assert draft is not None and task is not None
        self.session.save_draft(draft, time.monotonic(), submit=True)
        groups = group_of(draft.ranking)
        best = ", ".join(draft.label(k) for k in draft.shown_order if groups[k] == 0)
        self.notify(f"Submitted {task.id} (best: {best}).", timeout=3)
        self.post_message(SyncRequested())
        target = self.session.next_unfinished(task.id)
        if target is None:
            self.notify("No unfinished task left in this view.", timeout=4)
            self.dismiss(None)
            return
        self.load_task(target)
