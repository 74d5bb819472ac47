"""The saving rules of every screen that edits a draft (the pair and the ranking screen).

A discrete change (a score, the preference, a rank move, a tag) is saved at once
(``save_now``); typing in the rationale is saved within ``TYPING_SAVE_WITHIN_S`` of the
first key however fast the typing goes on, and always on blur, suspend and exit. Every
key and cursor move counts as activity for the draft's clock. Kept in one base class so
both screens keep the same durability promise and the bound is written once. The sync
state in the status line is kept here too: both screens show it the same way.
"""

from __future__ import annotations

import time

from textual import events, on
from textual.reactive import Reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import TextArea

from coderlhf_tui.screens.messages import SyncStateChanged
from coderlhf_tui.screens.row_compositor import RowCroppedCompositor
from coderlhf_tui.widgets.status_line import StatusLine
from coderlhf_tui.workbench.draft import Draft
from coderlhf_tui.workbench.session import WorkSession

TYPING_SAVE_WITHIN_S = 0.15
"""A rationale edit is saved at most this long after it was typed, however fast the typing
goes on (and always on blur and exit): a ``kill -9`` loses at most this much typing plus
one write. Each save is a store revision, so this is also the history's finest grain."""


class DraftScreen(Screen[None]):
    """A screen with a ``session`` and the ``draft`` it edits, saved by the rules above;
    ``after_save`` redraws what a save changes (the status line's state)."""

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    """Textual's own ``Screen.focused`` repaints the whole screen on every focus change
    (160x48 cells, every widget) though the screen draws nothing that depends on it; the
    widgets gaining and losing focus repaint themselves. Not repainting is what lets the
    keys that move the focus (the comment editor's open and save, ``s``/``p``/``r``/``c``)
    fit in 16 ms."""

    session: WorkSession
    draft: Draft | None = None
    _save_timer: Timer | None = None

    def __init__(
        self,
        name: str | None = None,
        id: str | None = None,  # noqa: A002
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._compositor = self._rows = RowCroppedCompositor()
        """A partial repaint renders only the rows it shows (``row_compositor.py``)."""

    def veil(self, widget: Widget, veiled: bool) -> None:
        """Leave ``widget`` laid out but out of the picture, or show it again, repainting
        its area: an overlay shown or hidden without a layout of the screen (see
        ``row_compositor.py``). The widget's refresh asks for the frame; a refresh of the
        screen would repaint the area alone and drop the other widgets' repaints."""
        if self._rows.set_veiled(widget, veiled):
            widget.refresh()

    def after_save(self) -> None:
        """Called after a save that wrote something, unless the screen is going away."""

    @on(TextArea.Changed, "#rationale-text")
    def _rationale_changed(self, event: TextArea.Changed) -> None:
        assert self.draft is not None
        self.draft.set_rationale(event.text_area.text)
        self._touch()
        if self._save_timer is None:  # not reset by later keys: a save within the bound
            self._save_timer = self.set_timer(TYPING_SAVE_WITHIN_S, self.save)

    @on(events.DescendantBlur, "#rationale-text")
    def _rationale_blurred(self) -> None:
        self.save()

    @on(SyncStateChanged)
    def _sync_state_changed(self, message: SyncStateChanged) -> None:
        self.show_sync_state(message.label)

    def show_sync_state(self, label: str) -> None:
        """Put the sync state on the screen's status line; a screen whose status line is a
        line of its own (the repository views) overrides this."""
        self.query_one(StatusLine).update_state(sync=label)

    def _touch(self) -> None:
        if self.draft is not None:
            self.draft.clock.touch(time.monotonic())

    def on_key(self, event: events.Key) -> None:
        self._touch()

    def save_now(self) -> None:
        """Save a discrete change (a score, the preference, a rank move, a tag) at once."""
        self._touch()
        self.save()

    def save(self, *, update_ui: bool = True) -> None:
        """Hand any unsaved change to the writer (on every change, blur and exit)."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if self.draft is None:
            return
        if self.session.save_draft(self.draft, time.monotonic()) and update_ui:
            self.after_save()

    def on_screen_suspend(self) -> None:
        self.save()
        if self.draft is not None:
            self.draft.clock.pause(time.monotonic())

    def on_screen_resume(self) -> None:
        self._touch()

    def on_unmount(self) -> None:
        self.save(update_ui=False)
        if self.session.editing is self.draft:
            self.session.editing = None
