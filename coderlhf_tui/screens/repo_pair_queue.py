"""Leaving a workspace repository view: back to the queue, the next task, submit's tail.

The pairwise and the ranked repository views (``repo_pair_stored``, ``repo_pair_ranked``)
judge differently but move through the queue the same way as the pair screen: ``escape``
leaves the rationale first, then the view; ``[`` / ``]`` and a submit open the neighbour
on whichever screen its kind needs. Kept here once so the two views cannot drift.
"""

from __future__ import annotations

import time
from typing import Any

from textual.widgets import TextArea

from coderlhf_tui.domain import Task
from coderlhf_tui.screens.messages import OpenPair, SyncRequested
from coderlhf_tui.workbench.session import WorkSession


class QueueSteps:
    """Mixed into a repository view that has ``session``, ``store_task`` and ``draft``."""

    session: WorkSession
    store_task: Task
    draft: Any

    def leave_rationale(self) -> None:
        """Where ``escape`` puts the focus when it is in the rationale."""

    def action_back(self) -> None:
        """As on the pair screen: out of the rationale first, then back to the queue."""
        screen: Any = self
        screen.save()
        if isinstance(screen.focused, TextArea):
            self.leave_rationale()
            return
        screen.dismiss(None)

    def action_next_task(self) -> None:
        self._go(1)

    def action_prev_task(self) -> None:
        self._go(-1)

    def _go(self, delta: int) -> None:
        target = self.session.neighbor(self.store_task.id, delta)
        if target is not None:
            self._leave_for(target)

    def _leave_for(self, target: str | None) -> None:
        """Close this view (saving) and open ``target`` on the screen its kind needs."""
        screen: Any = self
        app = screen.app
        screen.dismiss(None)
        if target is not None:
            app.post_message(OpenPair(target))

    def submit_with(self, problems: list[str]) -> None:
        """Submit unless ``problems`` (the rubric's and the judgement's) say why not, then
        open the next unfinished task of the queue."""
        screen: Any = self
        if problems:
            screen.notify("\n".join(problems), title="Not ready to submit", severity="error")
            return
        self.session.save_draft(self.draft, time.monotonic(), submit=True)
        screen.notify(f"Submitted {self.store_task.id}.", timeout=3)
        screen.post_message(SyncRequested())
        target = self.session.next_unfinished(self.store_task.id)
        if target is None:
            screen.notify("No unfinished task left in this view.", timeout=4)
        self._leave_for(target)
