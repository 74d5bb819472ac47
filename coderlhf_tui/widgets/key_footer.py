"""The key footer: one line of the bindings in force, repainted instead of rebuilt.

Textual's ``Footer`` recomposes on every focus change: one widget per binding (the pair
screen shows about seventy) is removed, created, styled and laid out again, which cost
the keys that move the focus (the comment editor's ``m`` and ``ctrl+s``, the pair
screen's ``s``/``p``/``r``) a few hundred milliseconds of the UI thread each. This
footer is a single widget that renders its text: a change of bindings repaints one line,
and only when what it shows changed. It shows what Textual's shows (key, description,
disabled keys dimmed, the command palette key on the right) and a click on a key presses
it.

A change of bindings is painted in the frame after the one it came with
(``call_after_refresh``): the key that opened or closed the comment editor repaints the
editor's region, and the compositor repaints every widget under the union of the dirty
regions, which the footer's line at the bottom of the screen stretched to the screen's
whole lower part (about half the cost of those keys). Painted on its own, the footer's
line costs one row; it shows one frame (16 ms) after the key that changed it. The line
drawn for each set of keys is kept, so going back to a set shown before draws nothing.
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.cache import LRUCache
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

ShownKey = tuple[str, str, str, bool]
"""(key, key as displayed, description, enabled) of one binding in the footer."""

Shown = tuple[tuple[ShownKey, ...], ShownKey | None]
"""The bindings shown (one per action) and the command palette's key."""

LINES_KEPT = 8
"""How many drawn lines the footer keeps (a few sets of keys, at a width or two)."""


class KeyFooter(Widget, can_focus=False):
    """The bindings of the focused widget, its screen and the app, on one line."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-footer--key",
        "key-footer--description",
        "key-footer--separator",
    }
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyFooter > .key-footer--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyFooter > .key-footer--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    KeyFooter > .key-footer--separator {
        color: $foreground 20%;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._shown: Shown | None = None
        self._spans: list[tuple[int, int, str]] = []
        """(first column, end column, key) of every key on the line, for clicks."""
        self._update_pending = False
        self._lines: LRUCache[tuple[Shown, int], tuple[Strip, list[tuple[int, int, str]]]]
        self._lines = LRUCache(LINES_KEPT)
        """The line drawn (and its click spans) per set of keys shown and width."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        """Look at the bindings once, in the next frame, however many changes came in this
        one (a focus change announces them twice)."""
        if screen is self.screen and not self._update_pending:
            self._update_pending = True
            self.call_after_refresh(self._update_shown)

    def _update_shown(self) -> None:
        self._update_pending = False
        if not self.is_attached:  # its screen went away in the meantime
            return
        shown = self.shown_keys()
        if shown != self._shown:
            self._shown = shown
            self.refresh()

    def render_line(self, y: int) -> Strip:
        """The line for the keys shown, drawn once per set of keys and width: the footer
        goes back and forth between a few sets (the code's, the comment editor's), and
        drawing its text again cost the keys that open and save a comment ~1 ms each."""
        if self._shown is None:
            self._shown = self.shown_keys()
        key = (self._shown, self.size.width)
        drawn = self._lines.get(key)
        if drawn is None:
            drawn = self._lines[key] = (super().render_line(y), self._spans)
        line, self._spans = drawn
        return line

    def notify_style_update(self) -> None:
        """A change of theme or CSS: the lines drawn are stale."""
        self._lines.clear()
        super().notify_style_update()

    def shown_keys(self) -> Shown:
        """The bindings to show (one per action, in binding order) and the palette's key."""
        app = self.app
        keys: list[ShownKey] = []
        actions: set[str] = set()
        palette: ShownKey | None = None
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            shown = (binding.key, app.get_key_display(binding), binding.description, active.enabled)
            if key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette = shown
            if binding.show and binding.action not in actions:
                actions.add(binding.action)
                keys.append(shown)
        return tuple(keys), palette

    def render(self) -> Text:
        if self._shown is None:
            self._shown = self.shown_keys()
        keys, palette = self._shown
        key_style = self.get_component_rich_style("key-footer--key")
        description_style = self.get_component_rich_style("key-footer--description")
        dimmed = Style(dim=True)
        width = self.size.width
        right = Text()
        if palette is not None:
            right.append("▏", self.get_component_rich_style("key-footer--separator"))
            right.append(palette[1], key_style)
            right.append(f" {palette[2]} ", description_style)
        line = Text(no_wrap=True, overflow="crop")
        self._spans = []
        for key, display, description, enabled in keys:
            start = line.cell_len
            dim = Style() if enabled else dimmed
            line.append(f" {display} ", key_style + dim)
            if description:
                line.append(f"{description} ", description_style + dim)
            self._spans.append((start, line.cell_len, key))
        room = max(0, width - right.cell_len)
        line.truncate(room, pad=True)
        if palette is not None:
            self._spans.append((room, width, palette[0]))
        line.append_text(right)
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                event.stop()
                self.app.simulate_key(key)
                return
