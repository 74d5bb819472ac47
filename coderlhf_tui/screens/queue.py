"""The queue: the workspace's tasks with status and evidence, filters, search, next task."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar, overload

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static

from coderlhf_tui.domain import Language, TaskStatus
from coderlhf_tui.screens.messages import OpenPair, SyncStateChanged, TasksArrived
from coderlhf_tui.store import TaskSummary
from coderlhf_tui.widgets.bindings import bindings_for
from coderlhf_tui.widgets.key_footer import KeyFooter
from coderlhf_tui.widgets.queue_table import QueueTable, header_text
from coderlhf_tui.widgets.status_line import StatusLine
from coderlhf_tui.workbench.session import QueueFilter, WorkSession

STATUS_LABEL: dict[TaskStatus, str] = {
    TaskStatus.NEW: "new",
    TaskStatus.IN_PROGRESS: "in progress",
    TaskStatus.SUBMITTED: "submitted",
    TaskStatus.NEEDS_SYNC: "needs sync",
}

VERDICT_SHORT = {
    "PASSED": "pass",
    "FAILED": "FAIL",
    "COMPILE_ERROR": "CE",
    "RUNTIME_ERROR": "RE",
    "TIME_LIMIT": "TLE",
    "MEMORY_LIMIT": "MLE",
    "OUTPUT_LIMIT": "OLE",
    "NO_TESTS": "none",
    "INTERNAL_ERROR": "err",
}

SEARCH_DELAY_S = 0.25

T = TypeVar("T")


def verdicts_cell(row: TaskSummary) -> str:
    """'pass/FAIL' style summary of both responses' latest test runs."""
    if row.verdict_a is None and row.verdict_b is None:
        return "-"
    a = VERDICT_SHORT.get(row.verdict_a or "", "-")
    b = VERDICT_SHORT.get(row.verdict_b or "", "-")
    return f"{a}/{b}"


def findings_cell(row: TaskSummary) -> str:
    """'0/2' finding counts, '-' for a response never scanned."""
    if row.findings_a is None and row.findings_b is None:
        return "-"
    a = "-" if row.findings_a is None else str(row.findings_a)
    b = "-" if row.findings_b is None else str(row.findings_b)
    return f"{a}/{b}"


def prompt_cell(row: TaskSummary) -> str:
    """The prompt's head; during a search, the part that matched and the match in context."""
    head = " ".join(row.prompt_head.split())[:160]
    if row.match_field is not None:
        return f"{row.match_field}: {row.match_snippet or head}"
    return head


def cycle(options: Sequence[T | None], current: T | None) -> T | None:
    """The option after ``current`` (wrapping)."""
    index = options.index(current) if current in options else 0
    return options[(index + 1) % len(options)]


def row_cells(row: TaskSummary) -> tuple[str, ...]:
    """The table's cells of one task, in ``COLUMNS`` order."""
    return (
        row.id,
        row.language,
        row.task_type or "",
        STATUS_LABEL[row.status],
        verdicts_cell(row),
        findings_cell(row),
        prompt_cell(row),
    )


class QueueCells(Sequence[tuple[str, ...]]):
    """The cells of every task, made when the table draws a row: a queue of 10,000 tasks
    shows about forty, and formatting the rest cost the first paint ~10 ms."""

    def __init__(self, rows: Sequence[TaskSummary]) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, index: int) -> tuple[str, ...]: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[tuple[str, ...]]: ...

    def __getitem__(self, index: int | slice) -> tuple[str, ...] | Sequence[tuple[str, ...]]:
        if isinstance(index, slice):
            return [row_cells(row) for row in self.rows[index]]
        return row_cells(self.rows[index])


SEARCH_PLACEHOLDER = "/ full-text search: prompt, code, comments…"
"""Says the box searches every text of a task (docs/data.md), short enough for 80 columns."""


class QueueScreen(Screen[None]):
    """Every task of the workspace for this annotator."""

    BINDINGS = bindings_for("queue")
    AUTO_FOCUS = "#queue-table"
    """Keyboard-first: the list, not the search box, has focus when the screen appears
    (otherwise Textual focuses the first focusable widget, the search Input)."""

    def __init__(self, session: WorkSession) -> None:
        super().__init__()
        self.session = session
        self._search_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status")
        with Horizontal(id="queue-filters"):
            yield Input(placeholder=SEARCH_PLACEHOLDER, id="queue-search")
            yield Static("", id="queue-filter-label")
        yield Static(header_text(), id="queue-header")
        yield QueueTable(id="queue-table")
        yield Static("", id="queue-summary")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._mounted = True
        self.reload()

    def on_screen_resume(self) -> None:
        if getattr(self, "_mounted", False):
            self._mounted = False  # the first resume is the first show: already loaded
            return
        self.reload(keep=True)

    def reload(self, keep: bool = False) -> None:
        """Read the queue from the store (keeping the cursor on the same task if asked)."""
        table = self.query_one(QueueTable)
        current = self.selected_task_id() if keep else None
        rows = self.session.load_queue()
        table.set_rows(QueueCells(rows), [row.status.value for row in rows])
        self._ids = [row.id for row in rows]
        if current in self._ids:
            table.cursor = self._ids.index(current)
        self._update_labels(rows)

    def _update_labels(self, rows: list[TaskSummary]) -> None:
        counts = {status: 0 for status in TaskStatus}
        for row in rows:
            counts[row.status] += 1
        summary = f"{len(rows)} tasks · " + " · ".join(
            f"{counts[s]} {STATUS_LABEL[s]}" for s in TaskStatus if counts[s] or s is TaskStatus.NEW
        )
        self.query_one("#queue-summary", Static).update(summary)
        self.query_one("#queue-filter-label", Static).update(self.session.filter.describe())
        self.query_one(StatusLine).update_state(
            workspace=self.session.workspace,
            annotator=self.session.annotator,
            sync=self.session.sync_label(),
            where="queue",
        )

    @on(TasksArrived)
    def _tasks_arrived(self) -> None:
        self.reload(keep=True)

    @on(SyncStateChanged)
    def _sync_state_changed(self, message: SyncStateChanged) -> None:
        self.query_one(StatusLine).update_state(sync=message.label)

    def selected_task_id(self) -> str | None:
        """The task under the table cursor."""
        table = self.query_one(QueueTable)
        ids: list[str] = getattr(self, "_ids", [])
        if not ids or table.cursor >= len(ids):
            return None
        return ids[table.cursor]

    def _set_filter(self, **changes: object) -> None:
        current = self.session.filter
        values = {
            "language": current.language,
            "status": current.status,
            "search": current.search,
            **changes,
        }
        self.session.filter = QueueFilter(**values)  # type: ignore[arg-type]
        self.reload(keep=True)

    # -- actions ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_selected":
            return self.selected_task_id() is not None
        if action == "clear_filters":
            return self.session.filter != QueueFilter() or None
        return True

    def action_open_selected(self) -> None:
        task_id = self.selected_task_id()
        if task_id is not None:
            self.post_message(OpenPair(task_id))

    def action_open_next(self) -> None:
        task_id = self.session.next_unfinished(self.selected_task_id(), inclusive=True)
        if task_id is None:
            self.notify("No unfinished task in this view.", timeout=3)
            return
        self.post_message(OpenPair(task_id))

    def action_search(self) -> None:
        self.query_one("#queue-search", Input).focus()

    def action_cycle_language(self) -> None:
        options: list[str | None] = [None, *(lang.value for lang in Language)]
        self._set_filter(language=cycle(options, self.session.filter.language))

    def action_cycle_status(self) -> None:
        options: list[TaskStatus | None] = [None, *TaskStatus]
        self._set_filter(status=cycle(options, self.session.filter.status))

    def action_clear_filters(self) -> None:
        self.query_one("#queue-search", Input).value = ""
        self.session.filter = QueueFilter()
        self.reload(keep=True)

    def action_refresh(self) -> None:
        self.reload(keep=True)

    @on(QueueTable.Selected)
    def _row_selected(self, event: QueueTable.Selected) -> None:
        self.action_open_selected()

    @on(Input.Changed, "#queue-search")
    def _search_changed(self, event: Input.Changed) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        value = event.value.strip()
        self._search_timer = self.set_timer(
            SEARCH_DELAY_S, lambda: self._set_filter(search=value or None)
        )

    def key_escape(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one(QueueTable).focus()

    @on(Input.Submitted, "#queue-search")
    def _search_done(self, event: Input.Submitted) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._set_filter(search=event.value.strip() or None)
        self.query_one(QueueTable).focus()
