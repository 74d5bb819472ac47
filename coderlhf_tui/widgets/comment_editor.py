"""The comment editor: a category from the rubric, a severity, and the comment's text.

Opened on a marked range (a new comment) or on an existing comment (edit), it floats
over the pair screen (``overlay: screen``) instead of being a modal screen, whose
opening and closing repaint the whole terminal. The text area keeps the focus the whole
time: ``up``/``down`` choose the category and ``shift+up``/``shift+down`` (or
``pageup``/``pagedown``) the severity (priority bindings, ahead of the text area's own
cursor keys), ``ctrl+s`` saves, ``escape`` cancels; both columns also take a click
(``widgets/comment_head.py`` draws them, the title and the help as one widget). One
focused widget means no focus change while the comment is written, so keys typed faster
than a focus change lands are never delivered to a widget being left. Saving is not a
priority binding on purpose: it reaches the editor through the text area, after every
character typed before it (a priority key is handled as it arrives and would overtake
the characters still queued for the text area). A ``TextArea``, not an ``Input``: an
``Input`` repaints its surroundings twice per key (21 ms a key against 8 ms, see
BENCHMARKS.md). The opener passes a callback that receives the ``CommentFields`` (or None
when cancelled), as ``push_screen`` would; focus goes back where it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Label, TextArea
from textual.widgets.text_area import TextAreaTheme

from coderlhf_tui.critiques import CommentFields
from coderlhf_tui.domain import Severity
from coderlhf_tui.widgets import comment_gc
from coderlhf_tui.widgets.bindings import bindings_for
from coderlhf_tui.widgets.comment_head import CommentHead
from coderlhf_tui.widgets.focus_notice import FocusToScreen

DEFAULT_SEVERITY = Severity.MEDIUM

GC_OWNER = "comment-editor"


Answer = Callable[[CommentFields | None], None]


OPEN_AT = (6, 4)
"""Where the editor shows (columns, rows from the screen's top left)."""


@runtime_checkable
class VeilingScreen(Protocol):
    """A screen that leaves a laid-out widget out of the picture without a layout
    (``screens/draft_screen.py``)."""

    def veil(self, widget: Widget, veiled: bool) -> None:
        """Veil ``widget`` (and all it holds) or show it again, repainting its area."""


class CommentEditor(Vertical):
    """Asks for a comment's category, severity and text (hidden until ``open``).

    The editor is always displayed and laid out where it opens; closed, the screen veils
    it (``VeilingScreen``: the pair, ranking and repository screens' compositor leaves it
    out of what is drawn and clicked), so opening or closing repaints its area and lays
    nothing out. Moved off the screen and back instead, every open and save laid the whole
    screen out (2-3 ms); shown and hidden (``display``), its dozen widgets each also got a
    hide, a show and a resize event. On a screen that cannot veil it is shown and hidden.
    Closed, its widgets take no focus (``allow_focus_children``) and cannot be clicked.
    Its head keeps one height whatever it shows, so no text it sets lays the screen out."""

    BINDINGS = bindings_for("comment_dialog")

    DEFAULT_CSS = """
    CommentEditor {
        overlay: screen; position: absolute;
        width: 92; height: auto; max-height: 80%;
    }
    CommentEditor > #comment-body {
        height: auto; padding: 0 1;
        border: thick $accent; background: $surface;
    }
    CommentEditor .hint { color: $foreground 60%; }
    CommentEditor Label { width: 1fr; }
    CommentEditor TextArea, CommentEditor TextArea:focus {
        height: 4; border: round $foreground 30%; padding: 0;
    }
    """

    def __init__(self, categories: dict[str, str], *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.categories = list(categories)
        self.descriptions = categories
        self._answer: Answer | None = None
        self._return_to: Widget | None = None
        self.styles.offset = OPEN_AT

    def on_mount(self) -> None:
        self._show(False)

    def _show(self, shown: bool) -> None:
        """Unveil or veil the editor where the screen can, else display or hide it."""
        screen = self.screen
        if isinstance(screen, VeilingScreen):
            screen.veil(self, not shown)
        else:
            self.display = shown

    def compose(self) -> ComposeResult:
        with Vertical(id="comment-body"):
            yield CommentHead(self.descriptions, [s.value for s in Severity], id="comment-head")
            yield _CommentText(id="comment-text", soft_wrap=True, tab_behavior="focus")
            yield Label(
                "↑↓ category · shift+↑↓ severity · ctrl+s saves · escape cancels", classes="hint"
            )

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        """A change of the editor's size (the screen's first layout, a resize) would make
        Textual ask for a second layout of the whole screen in the next frame. The layout
        that sized it already placed its children, and it does not scroll."""
        return super()._size_updated(size, virtual_size, container_size, layout=False)

    @property
    def is_open(self) -> bool:
        """Whether the editor is showing."""
        return self._answer is not None

    def allow_focus_children(self) -> bool:
        """Closed, off the screen, nothing in it takes the focus (``tab`` skips it)."""
        return self.is_open

    def open(
        self, where: str, quote: str, answer: Answer, initial: CommentFields | None = None
    ) -> None:
        """Show the editor for a comment on ``where``; ``answer`` gets the result."""
        self._answer = answer
        self._return_to = self.screen.focused
        category, severity = 0, DEFAULT_SEVERITY
        if initial is not None:
            severity = initial.severity
            if initial.category in self.categories:
                category = self.categories.index(initial.category)
        first = quote.splitlines()[0] if quote else ""
        self.query_one(CommentHead).show(
            f"Comment on {where}", first, category, list(Severity).index(severity)
        )
        text = self.query_one(TextArea)
        text.text = initial.text if initial else ""  # announced to nobody (_CommentText)
        self._show(True)
        comment_gc.hold(GC_OWNER, self.app.set_timer)  # no collection pause on these keys
        self.screen.set_focus(text)  # at once: keys typed next go to it

    def action_category(self, step: int) -> None:
        self.query_one(CommentHead).step_category(step)

    def action_severity(self, step: int) -> None:
        self.query_one(CommentHead).step_severity(step)

    def fields(self) -> CommentFields:
        """What the editor holds now."""
        head = self.query_one(CommentHead)
        return CommentFields(
            self.categories[head.category],
            list(Severity)[head.severity],
            self.query_one(TextArea).text.strip(),
        )

    def action_save(self) -> None:
        self._close(self.fields())

    def action_cancel(self) -> None:
        self._close(None)

    def _close(self, fields: CommentFields | None) -> None:
        answer, self._answer = self._answer, None
        self._show(False)
        back = self._return_to
        self.screen.set_focus(back if back is not None and back.is_attached else None)
        if answer is not None:
            answer(fields)
        comment_gc.release(GC_OWNER, self.app.set_timer)

    def on_unmount(self) -> None:
        comment_gc.release_now(GC_OWNER)


class _CommentText(FocusToScreen, TextArea):
    """The comment's text. It has the focus whenever the editor shows, so its look does not
    change with focus and taking the focus restyles nothing (a restyle is ~1.5 ms of CSS
    matching on the key that opens the editor and again on the one that saves).

    Nothing reads its text until the comment is saved (``CommentEditor.fields``), so it
    announces no change: ``TextArea`` posts a ``Changed`` and a ``SelectionChanged`` on every
    typed key, each dispatched through the editor's ancestors up to the app (ten of the
    fourteen messages a typed key cost). And its theme's styles are worked out when its
    styles or theme change, not on every repaint (``TextArea`` does it per repaint)."""

    _styled_for: TextAreaTheme | None = None
    """The theme object whose styles were last worked out (None: work them out)."""

    def post_message(self, message: Message) -> bool:
        if isinstance(message, TextArea.Changed | TextArea.SelectionChanged):
            return False
        return super().post_message(message)

    def watch_has_focus(self, _has_focus: bool) -> None:
        """No restyle (the cursor still shows and blinks: ``TextArea`` sees to that)."""

    def notify_style_update(self) -> None:
        self._styled_for = None
        super().notify_style_update()

    def render_lines(self, crop: Region) -> list[Strip]:
        theme = self._theme
        if theme is not None and self._styled_for is not theme:
            theme.apply_css(self)
            self._styled_for = theme
        return ScrollView.render_lines(self, crop)  # TextArea's own applies the theme again
