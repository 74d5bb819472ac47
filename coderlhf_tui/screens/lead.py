"""The lead screen: the most disputed tasks first, every judgement beside the code, settle.

The left table is the disagreement queue (``quality.disagreement``), filtered by
language, dimension and annotator, or a spot-check sample (``quality.spotcheck``). The
right side shows the selected task: each annotator's preference, scores, time, tags and
rationale side by side, then two responses' test results and code with their findings -
A and B, or on a ranked task any two: ``1``..``8`` bring that response into view beside
the one picked before it (``lead_panes``), and scroll into view; ``z`` hides the queue
so that on an 80-column terminal the two panes get the whole width.
The lead adjudicates (final preference, scores, note) or sends one annotation back to its
annotator; both go through ``quality.review`` into the store and sync from there.

The workspace is read in a worker, so opening the screen on 100,000 annotations never
freezes the terminal. The app opens this screen with its ``app.lead`` binding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static

from coderlhf_tui.domain import RANKED_KEYS, Ranking
from coderlhf_tui.quality.disagreement import Disagreement, rank_disagreements
from coderlhf_tui.quality.report import Workspace, load_workspace
from coderlhf_tui.quality.review import (
    adjudicate,
    load_review,
    send_back,
    suggested_decision,
)
from coderlhf_tui.quality.spotcheck import SpotCheckItem, spot_check
from coderlhf_tui.quality.task_review import TaskReview
from coderlhf_tui.ranking import format_ranking, pair_preference
from coderlhf_tui.rubric import Rubric
from coderlhf_tui.screens.lead_dialogs import (
    AdjudicateDialog,
    Decision,
    SendBackDialog,
    SpotCheckDialog,
)
from coderlhf_tui.screens.lead_panes import PANES, Picks, in_panes, picked
from coderlhf_tui.screens.ranking_adjudication import RankingAdjudicateDialog
from coderlhf_tui.store import Store
from coderlhf_tui.widgets.bindings import bindings_for
from coderlhf_tui.widgets.code_pane import CodePane
from coderlhf_tui.widgets.judgements import JudgementsView
from coderlhf_tui.widgets.key_footer import KeyFooter
from coderlhf_tui.widgets.review_comments import comment_choices
from coderlhf_tui.widgets.test_panel import TestPanel
from coderlhf_tui.workbench.line_comments import marked_lines

T = TypeVar("T")


def cycle(options: Sequence[T | None], current: T | None) -> T | None:
    """The option after ``current`` (wrapping; None is 'all')."""
    index = options.index(current) if current in options else 0
    return options[(index + 1) % len(options)]


@dataclass(frozen=True, slots=True)
class LeadFilter:
    """What the disagreement queue shows; None means any."""

    language: str | None = None
    dimension: str | None = None
    annotator: str | None = None
    hide_settled: bool = True

    def describe(self) -> str:
        """A one-line label for the filter bar."""
        return " · ".join(
            [
                f"language: {self.language or 'all'}",
                f"dimension: {self.dimension or 'all'}",
                f"annotator: {self.annotator or 'all'}",
                "settled hidden" if self.hide_settled else "settled shown",
            ]
        )


class LeadScreen(Screen[None]):
    """Disagreement queue, side-by-side judgements, adjudication and spot-checks."""

    DEFAULT_CSS = """
    #lead-bar { height: 1; padding: 0 1; background: $boost; }
    #lead-body { height: 1fr; }
    #lead-table { width: 64; height: 1fr; }
    LeadScreen.-wide #lead-table { display: none; }
    #lead-detail { width: 1fr; height: 1fr; }
    #lead-head { height: auto; padding: 0 1; text-style: bold; }
    #lead-prompt { height: auto; max-height: 6; padding: 0 1; color: $foreground 80%; }
    #lead-evidence { height: auto; }
    #lead-evidence TestPanel { width: 1fr; }
    #lead-code { height: 24; }
    .lead-code-col { width: 1fr; }
    .lead-code-head { height: 1; padding: 0 1; background: $boost; text-style: bold; }
    #lead-code-left, #lead-code-right { height: 1fr; }
    """

    BINDINGS = bindings_for("lead")

    def __init__(self, store: Store, rubric: Rubric, lead: str = "lead") -> None:
        super().__init__()
        self.store = store
        self.rubric = rubric
        self.lead = lead
        self.filter = LeadFilter()
        self.mode = "disputes"
        self.workspace: Workspace | None = None
        self.rows: list[Disagreement | SpotCheckItem] = []
        self.review: TaskReview | None = None
        self.sample: tuple[int, int] = (20, 0)
        self.picks: Picks = ("a", "b")
        """The responses in view (any two of a ranked task's), the latest pick second."""

    def compose(self) -> ComposeResult:
        yield Static("loading…", id="lead-bar")
        with Horizontal(id="lead-body"):
            yield DataTable(id="lead-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="lead-detail"):
                yield Static("", id="lead-head", markup=False)
                yield Static("", id="lead-prompt", markup=False)
                yield JudgementsView(id="lead-judgements")
                with Horizontal(id="lead-evidence"):
                    for pane, key in zip(PANES, self.picks, strict=True):
                        yield TestPanel(f"tests {key.upper()}", id=f"lead-tests-{pane}")
                with Horizontal(id="lead-code"):
                    for pane, key in zip(PANES, self.picks, strict=True):
                        with Vertical(classes="lead-code-col"):
                            yield Static(
                                key.upper(), id=f"lead-code-head-{pane}", classes="lead-code-head"
                            )
                            yield CodePane(id=f"lead-code-{pane}")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.reload()

    # -- loading -------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the workspace again (in a worker) and rebuild the table."""
        self.query_one("#lead-bar", Static).update("loading the workspace…")
        self._load()

    @work(thread=True, exclusive=True, group="lead-load", exit_on_error=False)
    def _load(self) -> None:
        workspace = load_workspace(self.store, self.rubric)
        self.app.call_from_thread(self._loaded, workspace)

    def _loaded(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.fill_table()

    def fill_table(self) -> None:
        """Rows for the current mode and filter; keeps the cursor on the same task."""
        if self.workspace is None:
            return
        table = self.query_one(DataTable)
        current = self.selected_task_id()
        table.clear(columns=True)
        frame = self.workspace.frame
        if self.mode == "disputes":
            f = self.filter
            settled = set(self.workspace.adjudicated) if f.hide_settled else set()
            self.rows = list(
                rank_disagreements(
                    frame,
                    language=f.language,
                    dimension=f.dimension,
                    annotator=f.annotator,
                    exclude_tasks=settled,
                )
            )
            spread = f.dimension or "max spread"
            for label, width in (
                ("task", 26),
                ("lang", 10),
                ("n", 2),
                ("pref", 4),
                (spread, 6),
                ("score", 5),
            ):
                table.add_column(label, width=width)
            for row in self.rows:
                assert isinstance(row, Disagreement)
                table.add_row(
                    row.task_id,
                    row.language,
                    str(len(row.annotators)),
                    f"{row.preference_range}{'!' if row.winner_conflict else ''}",
                    str(
                        row.spread[f.dimension]
                        if f.dimension
                        else max(row.spread.values(), default=0)
                    ),
                    f"{row.score:.2f}",
                )
            label = f"disputes · {len(self.rows)} tasks · {f.describe()}"
        else:
            size, seed = self.sample
            self.rows = list(spot_check(frame, size, seed, language=self.filter.language))
            for name, width in (("task", 26), ("lang", 10), ("annotator", 14)):
                table.add_column(name, width=width)
            for item in self.rows:
                assert isinstance(item, SpotCheckItem)
                table.add_row(item.task_id, item.language, item.annotator)
            label = f"spot-check · {len(self.rows)} annotations · size {size} · seed {seed}"
        self.query_one("#lead-bar", Static).update(label)
        ids = [row.task_id for row in self.rows]
        if current in ids:
            table.move_cursor(row=ids.index(current), animate=False)
        table.focus()
        self.show_selected()

    def selected_task_id(self) -> str | None:
        """The task under the table cursor."""
        table = self.query_one(DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row].task_id

    def show_selected(self) -> None:
        """Fill the detail pane with the selected task."""
        task_id = self.selected_task_id()
        if self.review is None or self.review.task.id != task_id:
            self.picks = ("a", "b")
        self.review = load_review(self.store, task_id) if task_id else None
        review = self.review
        self.query_one(JudgementsView).show(review, self.rubric.dimension_names)
        head = self.query_one("#lead-head", Static)
        prompt = self.query_one("#lead-prompt", Static)
        if review is None:
            head.update("No task selected." if self.rows else "No task matches.")
            prompt.update("")
            return
        task = review.task
        settled = review.adjudicated
        gold = f" · gold {task.gold.preference.value}" if task.gold else ""
        state = f" · adjudicated {settled.preference.value} by {settled.lead}" if settled else ""
        if settled is not None and settled.ranking:
            state = f" · adjudicated {format_ranking(settled.ranking)} by {settled.lead}"
        if task.is_ranked:  # the panes show any two; the ranking row compares them all
            state += f" · ranked task of {len(task.responses)} responses (1-{len(task.keys)})"
        head.update(f"{task.id} · {task.language.value}{gold}{state}")
        prompt.update(task.prompt.strip())
        self.show_panes()

    def show_panes(self) -> None:
        """The two picked responses: tests, code, findings and comment marks."""
        review = self.review
        if review is None:
            return
        task = review.task
        for pane, key in zip(PANES, in_panes(self.picks), strict=True):
            response = task.response(key)
            tests = self.query_one(f"#lead-tests-{pane}", TestPanel)
            tests.border_title = f"tests {key.upper()}"
            tests.show(review.tests.get(key), has_tests=task.tests is not None)
            findings = review.findings.get(key, [])
            model = f" · {response.model}" if response.model else ""
            self.query_one(f"#lead-code-head-{pane}", Static).update(
                f"{key.upper()}{model} · {len(findings)} finding(s)"
            )
            code = self.query_one(f"#lead-code-{pane}", CodePane)
            code.show(task.language.value, response.code, findings)
            every = [c for a in review.annotations for c in a.comments if c.response == key]
            code.set_comment_marks(code.comment_side, marked_lines(every))

    def action_show_response(self, number: int) -> None:
        """Bring response ``number`` (1 = A) into view beside the one picked before it."""
        review = self.review
        if review is None or not 1 <= number <= len(review.task.keys):
            return
        before = in_panes(self.picks)
        self.picks = picked(self.picks, RANKED_KEYS[number - 1])
        if in_panes(self.picks) != before:
            self.show_panes()
        self.query_one("#lead-code").scroll_visible(animate=False)

    def action_toggle_table(self) -> None:
        """Hide the queue so the detail (and its code panes) takes the whole width."""
        self.toggle_class("-wide")
        if not self.has_class("-wide"):
            self.query_one(DataTable).focus()

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_selected()

    # -- filters and modes ----------------------------------------------------------------------

    def _set_filter(self, **changes: Any) -> None:
        values = {
            "language": self.filter.language,
            "dimension": self.filter.dimension,
            "annotator": self.filter.annotator,
            "hide_settled": self.filter.hide_settled,
            **changes,
        }
        self.filter = LeadFilter(**values)
        self.fill_table()

    def action_cycle_language(self) -> None:
        options = [None, *(self.workspace.frame.languages if self.workspace else [])]
        self._set_filter(language=cycle(options, self.filter.language))

    def action_cycle_dimension(self) -> None:
        options = [None, *self.rubric.dimension_names]
        self._set_filter(dimension=cycle(options, self.filter.dimension))

    def action_cycle_annotator(self) -> None:
        options = [None, *(self.workspace.frame.annotators if self.workspace else [])]
        self._set_filter(annotator=cycle(options, self.filter.annotator))

    def action_clear_filters(self) -> None:
        self._set_filter(language=None, dimension=None, annotator=None)

    def action_toggle_settled(self) -> None:
        self._set_filter(hide_settled=not self.filter.hide_settled)

    def action_disputes(self) -> None:
        self.mode = "disputes"
        self.fill_table()

    def action_spot_check(self) -> None:
        def drawn(answer: tuple[int, int] | None) -> None:
            if answer is not None:
                self.sample = answer
                self.mode = "spot-check"
                self.fill_table()

        self.app.push_screen(SpotCheckDialog(*self.sample), drawn)

    def action_refresh(self) -> None:
        self.reload()

    def action_back(self) -> None:
        self.dismiss(None)

    # -- settling --------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("adjudicate", "send_back"):
            return self.review is not None and bool(self.review.annotations)
        return True

    def action_adjudicate(self) -> None:
        review = self.review
        if review is None:
            return
        if review.task.is_ranked:
            self._adjudicate_ranking(review)
            return
        dims = self.rubric.dimension_names
        preference, scores = suggested_decision(review.annotations, dims)
        if review.adjudicated is not None:
            preference, scores = review.adjudicated.preference, review.adjudicated.scores
        task_id = review.task.id

        def decided(decision: Decision | None) -> None:
            if decision is None:
                return
            adjudicate(
                self.store,
                task_id,
                self.lead,
                decision.preference,
                decision.scores,
                decision.note,
                decision.dropped_comments,
            )
            self.notify(f"{task_id}: adjudicated {decision.preference.value}", timeout=3)
            if self.workspace is not None:
                self.workspace.adjudicated[task_id] = self.workspace.adjudicated.get(task_id, 0) + 1
            self.fill_table()

        self.app.push_screen(
            AdjudicateDialog(
                task_id,
                dims,
                (self.rubric.scale_min, self.rubric.scale_max),
                preference,
                scores,
                comment_choices(
                    review.annotations,
                    review.adjudicated.dropped_comments if review.adjudicated else (),
                ),
            ),
            decided,
        )

    def _adjudicate_ranking(self, review: TaskReview) -> None:
        """A ranked task's final ranking (screens/ranking_adjudication.py)."""
        task_id = review.task.id

        def decided(decision: tuple[Ranking, str] | None) -> None:
            if decision is None:
                return
            ranking, note = decision
            adjudicate(
                self.store, task_id, self.lead, pair_preference(ranking), {}, note, ranking=ranking
            )
            self.notify(f"{task_id}: adjudicated {format_ranking(ranking)}", timeout=3)
            self.reload()

        self.app.push_screen(RankingAdjudicateDialog(review), decided)

    def action_send_back(self) -> None:
        review = self.review
        if review is None:
            return
        by_name = {a.annotator: a for a in review.annotations}

        def chosen(name: str | None) -> None:
            if name is None:
                return
            send_back(self.store, by_name[name])
            self.notify(f"{review.task.id}: sent back to {name}", timeout=3)
            self.reload()

        self.app.push_screen(SendBackDialog(review.task.id, sorted(by_name)), chosen)
