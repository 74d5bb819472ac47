"""The comment editor: a category from the rubric, a severity, and the comment's text.

Opened on a marked range (a new comment) or on an existing comment (edit), it floats
over the pair screen (``overlay: screen``) instead of being a modal screen: a modal
screen's opening and closing repaint the whole terminal, which cost one key press
200-400 ms of main-thread CPU on a loaded machine; showing and hiding a floating widget
repaints only its own region. Keyboard first: the category list has focus, ``tab``
moves to severity and text, a digit picks a category while a list is focused,
``ctrl+s`` (or ``enter`` in the text) saves, ``escape`` cancels. The opener passes a
callback that receives the ``CommentFields`` (or None when cancelled), as
``push_screen`` would; focus goes back where it was.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from coderlhf_tui.critiques import CommentFields
from coderlhf_tui.domain import Severity
from coderlhf_tui.widgets.bindings import bindings_for

DEFAULT_SEVERITY = Severity.MEDIUM


Answer = Callable[[CommentFields | None], None]


class CommentEditor(Vertical):
    """Asks for a comment's category, severity and text (hidden until ``open``)."""

    BINDINGS = bindings_for("comment_dialog")

    DEFAULT_CSS = """
    CommentEditor {
        overlay: screen; position: absolute; offset: 6 4; display: none;
        width: 92; height: auto; max-height: 80%; padding: 0 1;
        border: thick $accent; background: $surface;
    }
    CommentEditor.-open { display: block; }
    CommentEditor #comment-lists { height: auto; }
    CommentEditor OptionList { height: auto; max-height: 9; width: 1fr; }
    CommentEditor .hint { color: $foreground 60%; }
    """

    def __init__(self, categories: dict[str, str], *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.categories = list(categories)
        self.descriptions = categories
        self._answer: Answer | None = None
        self._return_to: Widget | None = None

    def compose(self) -> ComposeResult:
        yield Label("", id="comment-where", classes="dialog-title", markup=False)
        yield Label("", id="comment-quote", classes="hint", markup=False)
        with Horizontal(id="comment-lists"):
            yield OptionList(
                *(Option(f"{n} {name}", id=name) for n, name in enumerate(self.categories, 1)),
                id="category",
            )
            yield OptionList(*(Option(s.value, id=s.value) for s in Severity), id="severity")
        yield Label("", id="category-help", classes="hint", markup=False)
        yield Input(placeholder="What is wrong here, and why", id="comment-text")
        yield Label(
            "tab: next field · 1-9: category · ctrl+s: save · escape: cancel", classes="hint"
        )

    @property
    def is_open(self) -> bool:
        """Whether the editor is showing."""
        return self.has_class("-open")

    def open(
        self, where: str, quote: str, answer: Answer, initial: CommentFields | None = None
    ) -> None:
        """Show the editor for a comment on ``where``; ``answer`` gets the result."""
        self._answer = answer
        self._return_to = self.screen.focused
        category = self.query_one("#category", OptionList)
        severity = self.query_one("#severity", OptionList)
        known = initial is not None and initial.category in self.categories
        category.highlighted = self.categories.index(initial.category) if known else 0  # type: ignore[union-attr]
        severity.highlighted = list(Severity).index(
            initial.severity if initial else DEFAULT_SEVERITY
        )
        self.query_one(Input).value = initial.text if initial else ""
        self.query_one("#comment-where", Label).update(f"Comment on {where}")
        first = quote.splitlines()[0] if quote else ""
        self.query_one("#comment-quote", Label).update(first[:86])
        self._describe()
        self.add_class("-open")
        category.focus()

    @on(OptionList.OptionHighlighted, "#category")
    def _describe(self) -> None:
        self.query_one("#category-help", Label).update(self.descriptions.get(self._category(), ""))

    @on(OptionList.OptionSelected)
    def _next_field(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.screen.focus_next()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_key(self, event: events.Key) -> None:
        key = event.character
        if isinstance(self.screen.focused, OptionList) and key and key.isdigit():
            index = int(key) - 1
            if 0 <= index < len(self.categories):
                self.query_one("#category", OptionList).highlighted = index
                event.stop()

    def _category(self) -> str:
        index = self.query_one("#category", OptionList).highlighted
        return self.categories[index or 0]

    def fields(self) -> CommentFields:
        """What the editor holds now."""
        index = self.query_one("#severity", OptionList).highlighted
        severity = list(Severity)[index if index is not None else 2]
        return CommentFields(self._category(), severity, self.query_one(Input).value.strip())

    def action_save(self) -> None:
        self._close(self.fields())

    def action_cancel(self) -> None:
        self._close(None)

    def _close(self, fields: CommentFields | None) -> None:
        answer, self._answer = self._answer, None
        self.remove_class("-open")
        if self._return_to is not None and self._return_to.is_attached:
            self.screen.set_focus(self._return_to)
        if answer is not None:
            answer(fields)
