"""The comment editor: a category from the rubric, a severity, and the comment's text.

Opened on a marked range (a new comment) or on an existing comment (edit), it floats
over the pair screen (``overlay: screen``) instead of being a modal screen, whose
opening and closing repaint the whole terminal. The text area keeps the focus the whole
time: ``up``/``down`` choose the category and ``shift+up``/``shift+down`` (or
``pageup``/``pagedown``) the severity (priority bindings, ahead of the text area's own
cursor keys), ``ctrl+s`` saves, ``escape`` cancels; both lists also take a click. One
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

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Label, OptionList, TextArea
from textual.widgets.option_list import Option

from coderlhf_tui.critiques import CommentFields
from coderlhf_tui.domain import Severity
from coderlhf_tui.widgets import comment_gc
from coderlhf_tui.widgets.bindings import bindings_for

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
    The labels are as wide as the editor and the category's help keeps two rows, so the
    editor has the same size whatever it shows, and its texts are set without a layout
    unless a label's height changes."""

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
    CommentEditor #comment-lists { height: auto; }
    CommentEditor OptionList { height: auto; max-height: 9; width: 1fr; }
    CommentEditor .hint { color: $foreground 60%; }
    CommentEditor Label { width: 1fr; }
    CommentEditor #category-help { min-height: 2; }
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
        self._help_shown = ""
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
            yield Label("", id="comment-where", classes="dialog-title", markup=False)
            yield Label("", id="comment-quote", classes="hint", markup=False)
            with Horizontal(id="comment-lists"):
                yield _Choices(*(Option(n, id=n) for n in self.categories), id="category")
                yield _Choices(*(Option(s.value, id=s.value) for s in Severity), id="severity")
            yield Label("", id="category-help", classes="hint", markup=False)
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
        category = self.query_one("#category", OptionList)
        severity = self.query_one("#severity", OptionList)
        known = initial is not None and initial.category in self.categories
        # Set here, not announced: nothing but the editor reads these, and each message
        # would travel up through every ancestor on the key that opens it.
        with self.prevent(OptionList.OptionHighlighted, TextArea.Changed):
            category.highlighted = self.categories.index(initial.category) if known else 0  # type: ignore[union-attr]
            severity.highlighted = list(Severity).index(
                initial.severity if initial else DEFAULT_SEVERITY
            )
            self.query_one(TextArea).text = initial.text if initial else ""
        self._show(True)
        _show_text(self.query_one("#comment-where", Label), f"Comment on {where}")
        first = quote.splitlines()[0] if quote else ""
        _show_text(self.query_one("#comment-quote", Label), first[:86])
        self._describe()
        comment_gc.hold(GC_OWNER, self.app.set_timer)  # no collection pause on these keys
        self.screen.set_focus(self.query_one(TextArea))  # at once: keys typed next go to it

    @on(OptionList.OptionHighlighted, "#category")
    def _describe(self) -> None:
        """Show the category's help. Called at once by ``open`` and again when the list's
        highlight message arrives; an unchanged text is not set again (each ``update``
        lays the screen out, a second time in a later frame)."""
        help_text = self.descriptions.get(self._category(), "")
        if help_text != self._help_shown:
            self._help_shown = help_text
            _show_text(self.query_one("#category-help", Label), help_text)

    def action_category(self, step: int) -> None:
        self._step("#category", step)

    def action_severity(self, step: int) -> None:
        self._step("#severity", step)

    def _step(self, selector: str, step: int) -> None:
        choices = self.query_one(selector, OptionList)
        index = (choices.highlighted or 0) + step
        choices.highlighted = max(0, min(choices.option_count - 1, index))

    def _category(self) -> str:
        index = self.query_one("#category", OptionList).highlighted
        return self.categories[index or 0]

    def fields(self) -> CommentFields:
        """What the editor holds now."""
        index = self.query_one("#severity", OptionList).highlighted
        severity = list(Severity)[index if index is not None else 2]
        return CommentFields(self._category(), severity, self.query_one(TextArea).text.strip())

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


def _show_text(label: Label, text: str) -> None:
    """Set ``label``'s text, laying the screen out only when the label's height changes
    (each ``update`` would lay the whole screen out: 2-3 ms on the keys that open and
    save a comment)."""
    rows = label.size.height
    label.update(text, layout=False)
    least = label.styles.min_height
    needed = label.get_content_height(label.size, label.app.size, label.content_region.width)
    if max(needed, (least.cells or 0) if least is not None else 0) != rows:
        label.refresh(layout=True)


class _Choices(OptionList, can_focus=False):
    """A list chosen from with the editor's keys or a click; never takes the focus.

    A new highlight repaints the rows of the options losing and gaining it, not the
    whole list (``OptionList`` drew its every row again: ~1 ms of the key that opens the
    editor, which resets both lists, and of each category or severity key)."""

    highlighted: reactive[int | None] = reactive(None, repaint=False)

    def _watch_highlighted(self, old: int | None, new: int | None) -> None:
        # OptionList's own row index (private; tests/critiques/test_widgets.py holds it)
        lines, heights = self._index_to_line, self._heights
        for index in {old, new} - {None}:
            if index in lines:
                self.refresh_lines(lines[index], heights.get(index, 1))

    _rendered_at: Size | None = None

    @on(events.Resize)
    def _keep_rendered_rows(self, event: events.Resize) -> None:
        """Textual sends a resize to every widget shown again; the list dropped its rendered
        rows and repainted in a later frame, with the footer's line, whose union with it
        covered the lower screen. Same size: the rendered rows still hold, and
        ``OptionList``'s own handler (which drops them) is skipped."""
        if self.size == self._rendered_at:
            event.prevent_default()
        self._rendered_at = self.size


class _CommentText(TextArea):
    """The comment's text. It has the focus whenever the editor shows, so its look does not
    change with focus and taking the focus restyles nothing (a restyle is ~1.5 ms of CSS
    matching on the key that opens the editor and again on the one that saves)."""

    def watch_has_focus(self, _has_focus: bool) -> None:
        """No restyle (the cursor still shows and blinks: ``TextArea`` sees to that)."""
