"""The help screen: every binding of every scope, with the keys in force after remapping."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from coderlhf_tui.keymap import SCOPES, effective_keys, specs_for
from coderlhf_tui.widgets.bindings import bindings_for

INTRO = (
    "Everything works from the keyboard; the mouse works too. The command palette (ctrl+p) "
    "lists every action. Remap any binding by its id in the `keys` section of the config file."
)


def help_lines(keymap: dict[str, str]) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """(scope heading, [(keys, description, binding id)]) for every scope."""
    return [
        (
            heading,
            [
                (effective_keys(spec, keymap).replace(",", " / "), spec.description, spec.id)
                for spec in specs_for(scope)
            ],
        )
        for scope, heading in SCOPES.items()
    ]


class HelpScreen(ModalScreen[None]):
    """All bindings, grouped by where they apply."""

    BINDINGS = bindings_for("dialog")

    def __init__(self, keymap: dict[str, str], config_file: str) -> None:
        super().__init__()
        self.keymap = keymap
        self.config_file = config_file

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-wide"):
            yield Label("Help: keys", classes="dialog-title")
            with VerticalScroll(classes="dialog-body", id="help-body"):
                yield Static(INTRO, markup=False)
                yield Static(f"Config file: {self.config_file}", markup=False)
                for heading, rows in help_lines(self.keymap):
                    yield Label(heading, classes="help-heading")
                    table = "\n".join(
                        f"{keys:<22} {description:<28} {binding_id}"
                        for keys, description, binding_id in rows
                    )
                    yield Static(table, markup=False, classes="help-table")
            yield Label("escape closes", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_confirm(self) -> None:
        self.dismiss(None)
