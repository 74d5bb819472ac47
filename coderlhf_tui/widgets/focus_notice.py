"""Telling the screen that a widget took or lost the focus, without the trip through its
containers.

Textual answers a focus change with ``DescendantFocus`` or ``DescendantBlur``, posted to the
widget's parent and bubbled up through every container to the app. In this app only the
screens read them (the draft screens save the rationale when it loses the focus), and no
container between a code pane or the comment text and their screen has a handler for
them. The keys that open and save a comment move the focus twice between such widgets,
so the messages went through about a dozen containers on each (issue 15, BENCHMARKS.md).
A widget with ``FocusToScreen`` posts them to its screen (whence they still bubble to the
app), and decides itself what to repaint (``focus_changed``). The mixin comes first among
the widget's bases, so its handlers run first and stop Textual's (and those of the widget's
other bases, such as ``LineView``'s repaint of the whole view); it is not a Textual node
itself, so the widget's CSS still comes from its widget base.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events

if TYPE_CHECKING:
    from textual.widget import Widget

    _Mixin = Widget
else:
    _Mixin = object


class FocusToScreen(_Mixin):
    """Focus and blur announced to the screen, not the parent (see the module docstring)."""

    def _on_focus(self, event: events.Focus) -> None:
        event.prevent_default()  # Textual's own handler posts to the parent
        self.has_focus = True
        self.focus_changed()
        self.screen.post_message(events.DescendantFocus(self))

    def _on_blur(self, event: events.Blur) -> None:
        event.prevent_default()
        self.has_focus = False
        self.focus_changed()
        self.screen.post_message(events.DescendantBlur(self))

    def focus_changed(self) -> None:
        """Repaint what the focus changes (Textual repaints the whole widget)."""
        self.refresh()
