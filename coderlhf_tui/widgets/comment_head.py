"""The comment editor's upper part as one widget: what is commented, the category and
severity columns, and the chosen category's help.

It was four labels and two option lists. Opening the editor set the texts of three labels
and reset both lists, and each of those six widgets was then drawn again, measured,
announced to the screen (``Update``) and cut by the compositor: about a fifth of the key
that opens the editor (issue 15, BENCHMARKS.md). Drawn as one widget, a row is a strip
built from a few segments and kept by what it shows, so opening the editor on another
range draws the title and the quoted line, and a category or severity key the two rows
whose highlight moves and the help; everything else comes from the kept rows. The widget's
height is fixed for its width (the longest help decides it), so no text it shows lays the
screen out. A click on an option chooses it, as the lists took one.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import ClassVar

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

OPTION_ROWS = 9
"""The most option rows shown; a longer category list scrolls with its highlight."""

GAP = 2
"""Columns between the category and severity columns."""

TITLE, QUOTE, HEADINGS, FIRST_OPTION = 0, 1, 3, 4
"""Rows of the title, the quoted line, the columns' headings and the first option (row 2
is blank, as is the row after the options)."""

Row = tuple[object, ...]
"""What one row shows: the key its drawn strip is kept under."""


class CommentHead(Widget, can_focus=False):
    """The title, the quoted line, two columns of choices and the category's help."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "comment-head--title",
        "comment-head--hint",
        "comment-head--chosen",
    }
    DEFAULT_CSS = """
    CommentHead { height: auto; width: 1fr; }
    CommentHead > .comment-head--title { text-style: bold; }
    CommentHead > .comment-head--hint { color: $foreground 60%; }
    CommentHead > .comment-head--chosen {
        color: $block-cursor-foreground;
        background: $block-cursor-background;
        text-style: $block-cursor-text-style;
    }
    """

    def __init__(
        self,
        categories: dict[str, str],
        severities: Sequence[str],
        *,
        id: str | None = None,  # noqa: A002
    ) -> None:
        super().__init__(id=id)
        self.categories = list(categories)
        self.descriptions = categories
        self.severities = list(severities)
        self.where = ""
        """What is commented (the title row)."""
        self.quoted = ""
        """The first commented line."""
        self.category = 0
        """The highlighted category's index."""
        self.severity = 0
        """The highlighted severity's index."""
        self._top = 0
        """The first category shown (the list scrolls when it is longer than the rows)."""
        self._styles: dict[str, Style] = {}
        self._drawn: LRUCache[Row, Strip] = LRUCache(64)
        """Each row drawn, under what it shows (its width included)."""
        self._wrapped: dict[tuple[int, int], list[str]] = {}
        """Each category's help wrapped to a width: asked for on every row change."""
        self._shown: dict[int, Row] = {}
        """Per row, what it was last drawn showing: a change repaints the rows that differ."""

    # -- what it shows -----------------------------------------------------------------------

    def show(self, where: str, quoted: str, category: int, severity: int) -> None:
        """Show what a new or edited comment is on, its first line and its choices."""
        self.where, self.quoted = where, quoted
        self.category, self.severity = category, severity
        self._changed()

    def step_category(self, step: int) -> None:
        """Move the category highlight by ``step``, stopping at the ends."""
        self.category = max(0, min(len(self.categories) - 1, self.category + step))
        self._changed()

    def step_severity(self, step: int) -> None:
        """Move the severity highlight by ``step``, stopping at the ends."""
        self.severity = max(0, min(len(self.severities) - 1, self.severity + step))
        self._changed()

    @property
    def option_rows(self) -> int:
        return min(OPTION_ROWS, max(len(self.categories), len(self.severities)))

    def _changed(self) -> None:
        """Scroll the categories to the highlight and repaint the rows whose look changed."""
        rows = self.option_rows
        if self.category < self._top:
            self._top = self.category
        elif self.category >= self._top + rows:
            self._top = self.category - rows + 1
        width = self.size.width
        for y, shown in list(self._shown.items()):
            if self._row(y, width) != shown:
                del self._shown[y]
                self.refresh(Region(0, y, width, 1))

    def _help_lines(self, category: int, width: int) -> list[str]:
        lines = self._wrapped.get((category, width))
        if lines is None:
            help_text = self.descriptions.get(self.categories[category], "")
            lines = self._wrapped[(category, width)] = textwrap.wrap(help_text, max(1, width))
        return lines

    def _help_rows(self, width: int) -> int:
        """Rows kept for the help: the longest category's, so the height never changes."""
        return max(
            [1, *(len(self._help_lines(index, width)) for index in range(len(self.categories)))]
        )

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return FIRST_OPTION + self.option_rows + 1 + self._help_rows(width)

    def _columns(self, width: int) -> tuple[int, int]:
        left = (width - GAP) // 2
        return left, width - GAP - left

    def _row(self, y: int, width: int) -> Row:
        """What row ``y`` shows at ``width``."""
        if y == TITLE:
            return ("title", self.where, width)
        if y == QUOTE:
            return ("hint", self.quoted, width)
        if y == HEADINGS:
            return ("headings", width)
        option = y - FIRST_OPTION
        if 0 <= option < self.option_rows:
            category = self._top + option
            return (
                "options",
                self.categories[category] if category < len(self.categories) else "",
                category == self.category,
                self.severities[option] if option < len(self.severities) else "",
                option == self.severity,
                width,
            )
        help_row = option - self.option_rows - 1
        lines = self._help_lines(self.category, width)
        if 0 <= help_row < len(lines):
            return ("hint", lines[help_row], width)
        return ("blank", width)

    # -- drawing -----------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(f"comment-head--{name}")
        return style

    def notify_style_update(self) -> None:
        """A change of theme or CSS: the styles and rows drawn are stale."""
        self._styles.clear()
        self._drawn.clear()
        self._shown.clear()
        super().notify_style_update()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        row = self._row(y, width)
        self._shown[y] = row
        strip = self._drawn.get(row)
        if strip is None:
            strip = self._drawn[row] = self._draw(row, width)
        return strip

    def _draw(self, row: Row, width: int) -> Strip:
        kind = row[0]
        base = self.rich_style
        if kind in ("title", "hint"):
            text = str(row[1])
            segments = [Segment(set_cell_size(text, width), base + self._style(str(kind)))]
        elif kind == "headings":
            left, right = self._columns(width)
            hint = base + self._style("hint")
            segments = [
                Segment(set_cell_size(" category  ↑↓", left), hint),
                Segment(" " * GAP, base),
                Segment(set_cell_size(" severity  shift+↑↓", right), hint),
            ]
        elif kind == "options":
            _, category, category_chosen, severity, severity_chosen, _ = row
            left, right = self._columns(width)
            chosen = base + self._style("chosen")
            segments = [
                Segment(set_cell_size(f" {category}", left), chosen if category_chosen else base),
                Segment(" " * GAP, base),
                Segment(set_cell_size(f" {severity}", right), chosen if severity_chosen else base),
            ]
        else:
            segments = [Segment(" " * width, base)]
        return Strip(segments, width)

    def on_click(self, event: events.Click) -> None:
        """A click on an option chooses it."""
        option = event.y - FIRST_OPTION
        if not 0 <= option < self.option_rows:
            return
        left, _right = self._columns(self.size.width)
        if event.x < left and self._top + option < len(self.categories):
            event.stop()
            self.category = self._top + option
            self._changed()
        elif event.x >= left + GAP and option < len(self.severities):
            event.stop()
            self.severity = option
            self._changed()
