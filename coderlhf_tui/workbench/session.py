"""One annotator's working session on a workspace: the queue order and where to go next.

The queue screen loads the (filtered) task list once; the pair screen moves through the
same order without asking the store for the whole list again, which keeps "next pair"
cheap on a workspace of 10,000 tasks. Statuses are updated locally as annotations are
saved, so "next unfinished" is right without a reload.

The session also holds the draft being edited (``editing``) and what is running
(``in_flight``): the app saves that draft on quit and when the terminal goes away, and the
screens read what runs, without the app and the screens calling each other.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from coderlhf_tui.domain import Annotation, AnnotationStatus, Task, TaskStatus
from coderlhf_tui.rubric import Rubric
from coderlhf_tui.store import Store, TaskSummary
from coderlhf_tui.sync.client.state import sync_state
from coderlhf_tui.workbench.draft import Draft
from coderlhf_tui.workbench.in_flight import InFlight
from coderlhf_tui.workbench.runs_and_findings import CheckService
from coderlhf_tui.workbench.writer import AnnotationWriter

UNFINISHED = (TaskStatus.NEW, TaskStatus.IN_PROGRESS)

RESCUE_SETTLE_S = 1.0
"""At most this long a hang-up waits for the UI thread to apply keys already delivered."""

SETTLE_LOOK_S = 0.05
"""How often it looks whether the draft still changes."""


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """What the queue shows: None means any."""

    language: str | None = None
    status: TaskStatus | None = None
    search: str | None = None

    def describe(self) -> str:
        """A short label for the filter line."""
        parts = [
            f"language: {self.language or 'all'}",
            f"status: {self.status.value.replace('_', ' ') if self.status else 'all'}",
        ]
        if self.search:
            parts.append(f"search: {self.search!r}")
        return " · ".join(parts)


class WorkSession:
    """The store, rubric, annotator and services one app run works with."""

    def __init__(
        self,
        store: Store,
        rubric: Rubric,
        annotator: str,
        checks: CheckService,
        workspace: str,
        writer: AnnotationWriter | None = None,
    ) -> None:
        self.store = store
        self.writer = writer
        self.rubric = rubric
        self.annotator = annotator
        self.checks = checks
        self.workspace = workspace
        self.filter = QueueFilter()
        self.order: list[str] = []
        self.statuses: dict[str, TaskStatus] = {}
        self.editing: Draft | None = None
        self.in_flight = InFlight()

    def load_queue(self, queue_filter: QueueFilter | None = None) -> list[TaskSummary]:
        """The tasks the queue shows, remembering their order for navigation."""
        if queue_filter is not None:
            self.filter = queue_filter
        rows = self.store.list_tasks(
            language=self.filter.language,
            status=self.filter.status,
            search=self.filter.search or None,
            annotator=self.annotator,
        )
        self.order = [row.id for row in rows]
        self.statuses = {row.id: row.status for row in rows}
        return rows

    def save_annotation(self, annotation: Annotation) -> None:
        """Hand a draft's copy to the writer thread (or write it here when there is none)."""
        if self.writer is not None:
            self.writer.save(annotation)
        else:
            self.store.save_annotation(annotation)

    def open_draft(self, task: Task, now: float) -> Draft:
        """The annotator's draft of a task (a copy still waiting for the writer wins over the
        stored one), remembered as the one being edited."""
        self.editing = Draft.open(
            self.store, task, self.annotator, self.rubric, now, unsaved=self.unsaved(task.id)
        )
        return self.editing

    def save_draft(self, draft: Draft, now: float, *, submit: bool = False) -> bool:
        """Hand the draft's changes (or its submission) to the writer; False when there was
        nothing to save."""
        if not (draft.dirty or submit):
            return False
        saved = draft.prepare(now, submit=submit)
        self.save_annotation(saved)
        if submit:
            self.mark(saved.task_id, TaskStatus.SUBMITTED)
        elif saved.status is AnnotationStatus.IN_PROGRESS:
            self.mark(saved.task_id, TaskStatus.IN_PROGRESS)
        return True

    def save_open_draft(self, now: float) -> None:
        """Save the draft being edited, if any (quit, leaving the screen)."""
        if self.editing is not None:
            self.save_draft(self.editing, now)

    def rescue_open_draft(self, timeout: float, settle_s: float = RESCUE_SETTLE_S) -> bool:
        """The terminal went away: hand the edited draft's latest state to the writer and wait
        until everything is written; False when that took longer than ``timeout``.

        Called off the UI thread, and only reads the draft. Keys the terminal delivered just
        before it went may still be on their way through the UI thread's queues, so this
        first gives it up to ``settle_s`` to apply them, stopping as soon as the draft has
        stayed the same for two looks in a row (at once, in effect, when the UI is idle or
        stuck)."""
        draft = self.editing
        if draft is not None:
            seen, quiet, waited = draft.annotation, 0, 0.0
            while quiet < 2 and waited < settle_s:
                time.sleep(SETTLE_LOOK_S)
                waited += SETTLE_LOOK_S
                quiet = quiet + 1 if draft.annotation is seen else 0
                seen = draft.annotation
            copy = draft.rescue_copy(time.monotonic())
            if copy is not None:
                self.save_annotation(copy)
        return self.flush_writes(timeout)

    def unsaved(self, task_id: str) -> Annotation | None:
        """This annotator's copy of a task's annotation still waiting for the writer."""
        if self.writer is None:
            return None
        return self.writer.pending_for(task_id, self.annotator)

    def flush_writes(self, timeout: float | None = None) -> bool:
        """Wait until every handed-over change is in the store."""
        return self.writer.flush(timeout) if self.writer is not None else True

    def mark(self, task_id: str, status: TaskStatus) -> None:
        """Record a task's new status after a save."""
        self.statuses[task_id] = status

    def position(self, task_id: str) -> tuple[int, int]:
        """1-based position of the task in the queue, and the queue length (0 when absent)."""
        try:
            return self.order.index(task_id) + 1, len(self.order)
        except ValueError:
            return 0, len(self.order)

    def neighbor(self, task_id: str, delta: int) -> str | None:
        """The task ``delta`` places away in the queue (None past either end)."""
        if task_id not in self.statuses:
            return self.order[0] if self.order else None
        index = self.order.index(task_id) + delta
        return self.order[index] if 0 <= index < len(self.order) else None

    def next_unfinished(self, after: str | None = None, *, inclusive: bool = False) -> str | None:
        """The first new or in-progress task after ``after`` (or from it, when ``inclusive``),
        wrapping around the queue; None when every task is done."""
        if not self.order:
            return None
        start = 0
        if after in self.statuses:
            start = self.order.index(after) + (0 if inclusive else 1)
        count = len(self.order)
        for offset in range(count):
            task_id = self.order[(start + offset) % count]
            if (inclusive or task_id != after) and self.statuses.get(task_id) in UNFINISHED:
                return task_id
        return None

    def sync_label(self) -> str:
        """The sync state for the status line ('local', 'synced', 'N pending', 'offline',
        'offline, N pending')."""
        status = sync_state(self.store)
        if status.label == "offline" and status.pending:
            return f"offline, {status.pending} pending"
        return status.label
