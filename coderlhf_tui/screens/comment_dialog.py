"""The comment dialog: a category from the rubric, a severity, and the comment's text.

Opened on a marked range (new comment) or on an existing comment (edit); dismisses with
``CommentFields`` or None (cancelled). Keyboard first: the category list has focus,
``tab`` moves to severity and text, a digit picks a category while the lists are
focused, ``ctrl+s`` saves from anywhere, ``escape`` cancels. Nothing here is slower
than a keystroke: the lists are built once and typing goes to a plain ``Input``.
"""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from coderlhf_tui.domain import Severity
from coderlhf_tui.widgets.bindings import bindings_for
from coderlhf_tui.workbench.line_comments import CommentFields

DEFAULT_SEVERITY = Severity.MEDIUM


class CommentDialog(ModalScreen[CommentFields | None]):
    """Asks for a comment's category, severity and text."""

    BINDINGS = bindings_for("comment_dialog")

    DEFAULT_CSS = """
    CommentDialog { align: center middle; }
    CommentDialog > Vertical {
        width: 90; height: auto; max-height: 90%; padding: 1 2;
        border: thick $accent; background: $surface;
    }
    CommentDialog #comment-lists { height: auto; }
    CommentDialog OptionList { height: auto; max-height: 9; width: 1fr; }
    CommentDialog .hint { color: $foreground 60%; }
    """

    def __init__(
        self,
        where: str,
        quote: str,
        categories: dict[str, str],
        initial: CommentFields | None = None,
    ) -> None:
        super().__init__()
        self.where = where
        self.quote = quote
        self.categories = list(categories)
        self.descriptions = categories
        self.initial = initial

    def compose(self) -> ComposeResult:
        first_quote = self.quote.splitlines()[0] if self.quote else ""
        with Vertical():
            yield Label(f"Comment on {self.where}", classes="dialog-title")
            yield Label(first_quote[:80], markup=False, classes="hint")
            with Horizontal(id="comment-lists"):
                yield OptionList(
                    *(
                        Option(f"{n} {name}", id=name)
                        for n, name in enumerate(self.categories, start=1)
                    ),
                    id="category",
                )
                yield OptionList(*(Option(s.value, id=s.value) for s in Severity), id="severity")
            yield Label("", id="category-help", classes="hint", markup=False)
            yield Input(placeholder="What is wrong here, and why", id="comment-text")
            yield Label(
                "tab: next field · 1-9: category · ctrl+s: save · escape: cancel", classes="hint"
            )

    def on_mount(self) -> None:
        category = self.query_one("#category", OptionList)
        severity = self.query_one("#severity", OptionList)
        initial = self.initial
        category.highlighted = (
            self.categories.index(initial.category)
            if initial and initial.category in self.categories
            else 0
        )
        severity.highlighted = list(Severity).index(
            initial.severity if initial else DEFAULT_SEVERITY
        )
        if initial:
            self.query_one(Input).value = initial.text
        category.focus()
        self._describe()

    @on(OptionList.OptionHighlighted, "#category")
    def _describe(self) -> None:
        name = self._category()
        self.query_one("#category-help", Label).update(self.descriptions.get(name, ""))

    @on(OptionList.OptionSelected)
    def _next_field(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.focus_next()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def on_key(self, event: events.Key) -> None:
        key = event.character
        if isinstance(self.focused, OptionList) and key and key.isdigit():
            index = int(key) - 1
            if 0 <= index < len(self.categories):
                self.query_one("#category", OptionList).highlighted = index
                event.stop()

    def _category(self) -> str:
        index = self.query_one("#category", OptionList).highlighted
        return self.categories[index or 0]

    def fields(self) -> CommentFields:
        """What the dialog holds now."""
        index = self.query_one("#severity", OptionList).highlighted
        severity = list(Severity)[index if index is not None else 2]
        return CommentFields(self._category(), severity, self.query_one(Input).value.strip())

    def action_save(self) -> None:
        self.dismiss(self.fields())

    def action_cancel(self) -> None:
        self.dismiss(None)
