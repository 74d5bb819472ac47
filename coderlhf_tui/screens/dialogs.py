"""Modal dialogs: confirm submission despite warnings, and read long text (prompt, output)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Markdown, Static

from coderlhf_tui.widgets.bindings import bindings_for


class ConfirmDialog(ModalScreen[bool]):
    """Lists warnings and asks whether to go ahead; dismisses with True or False."""

    BINDINGS = bindings_for("dialog")

    def __init__(self, title: str, lines: list[str], confirm: str = "Submit anyway") -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines
        self.confirm_label = confirm

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                for line in self.lines:
                    yield Static(f"• {line}", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.confirm_label} (y)", id="confirm", variant="warning")
                yield Button("Go back (n)", id="cancel", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class TextDialog(ModalScreen[None]):
    """A scrollable page of Markdown or plain text; escape closes it."""

    BINDINGS = bindings_for("dialog")

    def __init__(self, title: str, body: str, *, markdown: bool = True) -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.markdown = markdown

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-wide"):
            yield Label(self.title_text, classes="dialog-title")
            with VerticalScroll(classes="dialog-body", id="text-body"):
                if self.markdown:
                    yield Markdown(self.body)
                else:
                    yield Static(self.body, markup=False)
            yield Label("escape closes", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#text-body").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "confirm"

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_confirm(self) -> None:
        return None
