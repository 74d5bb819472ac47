"""The ranking as a list: place, tie mark, blind label, verdict and findings per response.

Attributes down: the screen sets ``rows`` (already blind: labels, no keys or models
unless the rubric shows them) and the widget only draws them; it sends no messages and
takes no focus, so the keys that rank stay the screen's.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widget import Widget

VERDICT_STYLE = {"PASSED": "green", "NO_TESTS": "dim", "INTERNAL_ERROR": "yellow"}
VERDICT_STYLE |= {"resolved": "green", "partially_resolved": "yellow"}
"""A repository task's grades (``repotasks/grading.py``), shown by its ranked view."""


@dataclass(frozen=True, slots=True)
class RankRow:
    """One response as the list shows it."""

    place: int
    """1-based tie group; tied responses share it."""
    tied_with_above: bool
    label: str
    verdict: str | None
    findings: int | None
    """None when not scanned."""
    current: bool = False
    pinned: bool = False
    model: str = ""


class RankList(Widget):
    """The annotator's ranking, best first."""

    DEFAULT_CSS = """
    RankList {
        height: auto;
        padding: 0 1;
        border: round $foreground 30%;
        border-title-color: $foreground 70%;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.rows: list[RankRow] = []
        self.border_title = "Ranking"

    def show(self, rows: list[RankRow]) -> None:
        """Draw these rows."""
        self.rows = rows
        self.refresh(layout=True)

    def render(self) -> Text:
        text = Text()
        for index, row in enumerate(self.rows):
            if index:
                text.append("\n")
            place = " =" if row.tied_with_above else f"{row.place:>2}"
            marker = ">" if row.current else "*" if row.pinned else " "
            style = "bold reverse" if row.current else "bold" if row.pinned else ""
            text.append(f"{marker}{place} ", style=style)
            text.append(f"{row.label:<3}", style=style)
            verdict = row.verdict or "-"
            colour = VERDICT_STYLE.get(verdict, "red" if row.verdict else "dim")
            text.append(f" {verdict[:6]:<6}", style=colour)
            found = "?" if row.findings is None else str(row.findings)
            text.append(f" {found:>2}f", style="red" if row.findings else "dim")
            if row.model:
                text.append(f" {row.model}", style="italic dim")
        return text
