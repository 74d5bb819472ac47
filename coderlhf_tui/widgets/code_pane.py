"""One response's code: highlighted, numbered, with finding markers and a cursor line.

The first screenful is highlighted synchronously (a prefix lex), the whole file in a
worker thread; until it arrives the rest shows as plain text, so opening a big file
never waits for Pygments.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.segment import Segment
from rich.style import Style
from textual import work
from textual.message import Message

from coderlhf_tui.domain import Finding
from coderlhf_tui.widgets.code_lines import (
    TAB,
    findings_by_line,
    half_row,
    plain_tokens,
    worst_severity,
)
from coderlhf_tui.widgets.comment_marks import CommentTarget
from coderlhf_tui.widgets.cursor_focus import CursorFocusView
from coderlhf_tui.widgets.line_view import LineView
from coderlhf_tui.workbench.highlight import TokenLine, tokenize, tokenize_prefix

FIRST_PAINT_LINES = 120
"""Lines highlighted before the first paint; the rest follows from a worker."""

MARKER = "▌"


class Highlighted(Message):
    """A worker finished highlighting a file (internal to the code views)."""

    def __init__(self, generation: int, tokens: list[list[TokenLine]]) -> None:
        super().__init__()
        self.generation = generation
        self.tokens = tokens


class HighlightingView(CursorFocusView):
    """A line view whose files are highlighted in the background."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self.language = "text"
        self._load = 0

    def first_tokens(self, code: str) -> list[TokenLine]:
        """Prefix-lexed tokens for the first screen."""
        return tokenize_prefix(self.language, code, FIRST_PAINT_LINES)

    def start_highlight(self, codes: Sequence[str]) -> None:
        """Lex ``codes`` fully in a worker; ``apply_tokens`` receives them."""
        self._load += 1
        self._highlight(self._load, self.language, list(codes))

    @work(thread=True, exclusive=True, group="highlight", exit_on_error=False)
    def _highlight(self, load: int, language: str, codes: list[str]) -> None:
        tokens = [tokenize(language, code) for code in codes]
        self.post_message(Highlighted(load, tokens))

    def on_highlighted(self, message: Highlighted) -> None:
        message.stop()
        if message.generation == self._load:
            self.apply_tokens(message.tokens)
            self._strips.clear()
            self._generation += 1
            self.refresh()

    def apply_tokens(self, tokens: list[list[TokenLine]]) -> None:
        """Use fully lexed tokens (one list per file shown)."""

    def marker_for(self, findings: Sequence[Finding] | None) -> tuple[str, Style]:
        """The gutter marker of a line with these findings."""
        worst = worst_severity(findings or ())
        if worst is None:
            return (" ", Style())
        if worst.rank >= 3:
            return (MARKER, self.style("code--sev-high"))
        return (MARKER, self.style("code--sev-medium" if worst.rank == 2 else "code--sev-low"))


class CodePane(HighlightingView):
    """A single file with line numbers, finding markers and a cursor line."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self.lines: list[str] = []
        self.tokens: list[TokenLine] = []
        self.findings: dict[int, list[Finding]] = {}

    def show(self, language: str, code: str, findings: Sequence[Finding]) -> None:
        """Display ``code``; the cursor goes back to the top."""
        self.language = language
        code = code.replace("\t", TAB)
        self.lines = code.split("\n")
        self.tokens = self.first_tokens(code)
        self.findings = findings_by_line(findings)
        self.set_reactive(LineView.cursor, 0)
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.data_changed()
        if len(self.tokens) < len(self.lines):
            self.start_highlight([code])

    def set_findings(self, findings: Sequence[Finding]) -> None:
        """Replace the finding markers (after a scan)."""
        self.findings = findings_by_line(findings)
        self.data_changed()

    def apply_tokens(self, tokens: list[list[TokenLine]]) -> None:
        self.tokens = tokens[0]

    def findings_at(self, row: int) -> list[Finding]:
        """The findings on a row (0-based)."""
        return self.findings.get(row + 1, [])

    def row_count(self) -> int:
        return len(self.lines)

    @property
    def comment_side(self) -> str:
        """The side label of this pane's comments: its id's last part (``code-left``: left)."""
        return (self.id or "").rsplit("-", 1)[-1]

    def comment_targets(self, row: int) -> list[CommentTarget]:
        return [CommentTarget(self.comment_side, row + 1, self.findings_at(row))]

    def _digits(self) -> int:
        return max(3, len(str(len(self.lines))))

    def content_width(self) -> int:
        return max((len(line) for line in self.lines), default=0) + self._digits() + 2

    def finding_rows(self) -> list[int]:
        return sorted(line - 1 for line in self.findings)

    def flows_at(self, row: int) -> list[tuple[Finding, list[int]]]:
        last = len(self.lines) - 1
        return [
            (finding, [min(last, step.line - 1) for step in finding.trace])
            for finding in self.findings_at(row)
            if finding.trace
        ]

    def render_row(self, row: int, width: int, scroll_x: int, cursor: bool) -> list[Segment]:
        tokens = self.tokens[row] if row < len(self.tokens) else plain_tokens(self.lines[row])
        base = self.cursor_style() if cursor else Style()
        if self.marking(row, 0):
            base = base + self.marking_style()
        return half_row(
            tokens,
            number=row + 1,
            digits=self._digits(),
            width=width,
            scroll_x=scroll_x,
            theme_name=self.syntax_theme(),
            base=base,
            gutter_style=self.style("code--gutter"),
            marker=self.marker_for(self.findings.get(row + 1)),
            note=self.note_marker(self.comment_side, row + 1),
        )
