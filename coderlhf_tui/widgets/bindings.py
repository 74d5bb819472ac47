"""Turns the keymap's plain binding specs into Textual ``Binding``s with their ids."""

from __future__ import annotations

from collections.abc import Collection

from textual.binding import Binding

from coderlhf_tui.keymap import specs_for


def bindings_for(
    scope: str, only: Collection[str] | None = None
) -> list[Binding | tuple[str, str] | tuple[str, str, str]]:
    """The Textual bindings of one keymap scope (ids kept, so the user keymap applies);
    ``only`` keeps just the bindings with these ids."""
    return [
        Binding(
            spec.keys,
            spec.action,
            spec.description,
            show=spec.show,
            priority=spec.priority,
            id=spec.id,
        )
        for spec in specs_for(scope)
        if only is None or spec.id in only
    ]
