"""The whole of one response against the other, side by side, with changes marked.

Rows come from ``workbench.diffing.side_by_side``; changed characters within a changed
row are computed when the row is first drawn (then cached), so opening a 2,000-line
pair costs one line-level diff plus the visible rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.segment import Segment
from rich.style import Style

from coderlhf_tui.domain import Finding
from coderlhf_tui.widgets.code_lines import TAB, findings_by_line, half_row, plain_tokens
from coderlhf_tui.widgets.code_pane import HighlightingView
from coderlhf_tui.widgets.comment_marks import CommentTarget
from coderlhf_tui.workbench.diffing import (
    DiffRow,
    DiffStats,
    RowKind,
    changed_spans,
    diff_stats,
    side_by_side,
)
from coderlhf_tui.workbench.highlight import TokenLine

SEPARATOR = "│"
FILLER = "╱"


class DiffView(HighlightingView):
    """Left file against right file; each side keeps its own line numbers and markers."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self.rows: list[DiffRow] = []
        self.lines: tuple[list[str], list[str]] = ([], [])
        self.tokens: tuple[list[TokenLine], list[TokenLine]] = ([], [])
        self.findings: tuple[dict[int, list[Finding]], dict[int, list[Finding]]] = ({}, {})
        self.stats = DiffStats(0, 0, 0, 0)
        self._changes: list[int] = []

    def show(
        self,
        language: str,
        left: str,
        right: str,
        left_findings: Sequence[Finding],
        right_findings: Sequence[Finding],
    ) -> None:
        """Diff ``left`` against ``right``; the cursor goes back to the top."""
        self.language = language
        left, right = left.replace("\t", TAB), right.replace("\t", TAB)
        self.lines = (left.split("\n"), right.split("\n"))
        self.rows = side_by_side(*self.lines)
        self.stats = diff_stats(self.rows)
        self._changes = [
            i
            for i, row in enumerate(self.rows)
            if row.kind is not RowKind.EQUAL and (i == 0 or self.rows[i - 1].kind is RowKind.EQUAL)
        ]
        self.tokens = (self.first_tokens(left), self.first_tokens(right))
        self.findings = (findings_by_line(left_findings), findings_by_line(right_findings))
        self.set_reactive(HighlightingView.cursor, 0)
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.data_changed()
        if any(len(t) < len(lines) for t, lines in zip(self.tokens, self.lines, strict=True)):
            self.start_highlight([left, right])

    def set_findings(self, left: Sequence[Finding], right: Sequence[Finding]) -> None:
        """Replace the markers of both sides (after a scan)."""
        self.findings = (findings_by_line(left), findings_by_line(right))
        self.data_changed()

    def apply_tokens(self, tokens: list[list[TokenLine]]) -> None:
        self.tokens = (tokens[0], tokens[1])

    def findings_at(self, row: int) -> tuple[list[Finding], list[Finding]]:
        """The findings of each side on a diff row."""
        if row >= len(self.rows):
            return ([], [])
        diff_row = self.rows[row]
        left = self.findings[0].get(diff_row.left + 1, []) if diff_row.left is not None else []
        right = self.findings[1].get(diff_row.right + 1, []) if diff_row.right is not None else []
        return (left, right)

    def line_numbers(self, row: int) -> tuple[int | None, int | None]:
        """1-based line numbers on each side of a row (None for filler)."""
        diff_row = self.rows[row]
        return (
            None if diff_row.left is None else diff_row.left + 1,
            None if diff_row.right is None else diff_row.right + 1,
        )

    def row_count(self) -> int:
        return len(self.rows)

    COMMENT_SIDES = ("left", "right")
    """The side labels of the diff's comments, left file first."""

    def comment_targets(self, row: int) -> list[CommentTarget]:
        if row >= len(self.rows):
            return []
        numbers = self.line_numbers(row)
        found = self.findings_at(row)
        return [
            CommentTarget(side, number or 0, found[i])
            for i, (side, number) in enumerate(zip(self.COMMENT_SIDES, numbers, strict=True))
        ]

    def _digits(self) -> int:
        return max(3, len(str(max(len(self.lines[0]), len(self.lines[1])))))

    def content_width(self) -> int:
        longest = max((len(line) for side in self.lines for line in side), default=0)
        return 2 * (longest + self._digits() + 2) + 1

    def finding_rows(self) -> list[int]:
        return [
            i
            for i, row in enumerate(self.rows)
            if (row.left is not None and row.left + 1 in self.findings[0])
            or (row.right is not None and row.right + 1 in self.findings[1])
        ]

    def change_rows(self) -> list[int]:
        return self._changes

    def flows_at(self, row: int) -> list[tuple[Finding, list[int]]]:
        flows = []
        for side, findings in enumerate(self.findings_at(row)):
            for finding in findings:
                rows = [self.row_of_line(side, step.line) for step in finding.trace]
                steps = [r for r in rows if r is not None]
                if steps:
                    flows.append((finding, steps))
        return flows

    def row_of_line(self, side: int, line: int) -> int | None:
        """The diff row showing a side's 1-based line (None past the end)."""
        index = line - 1
        for number, row in enumerate(self.rows):
            if (row.left if side == 0 else row.right) == index:
                return number
        return None

    def render_row(self, row: int, width: int, scroll_x: int, cursor: bool) -> list[Segment]:
        diff_row = self.rows[row]
        half = (width - 1) // 2
        marks: tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]] = ((), ())
        if diff_row.kind is RowKind.CHANGE:
            assert diff_row.left is not None and diff_row.right is not None
            marks = changed_spans(self.lines[0][diff_row.left], self.lines[1][diff_row.right])
        left = self._half(0, diff_row.left, diff_row.kind, half, scroll_x, cursor, marks[0], row)
        right = self._half(
            1, diff_row.right, diff_row.kind, width - half - 1, scroll_x, cursor, marks[1], row
        )
        return [*left, Segment(SEPARATOR, self.style("code--gutter")), *right]

    def _half(
        self,
        side: int,
        index: int | None,
        kind: RowKind,
        width: int,
        scroll_x: int,
        cursor: bool,
        marks: tuple[tuple[int, int], ...],
        row: int = -1,
    ) -> list[Segment]:
        cursor_style = self.cursor_style() if cursor else Style()
        if index is None:
            filler = self.style("code--filler") + cursor_style
            return [Segment(FILLER * width, filler)]
        base = Style()
        mark_style = None
        if kind is RowKind.CHANGE:
            base = self.style("code--change")
            mark_style = self.style("code--mark-delete" if side == 0 else "code--mark-insert")
        elif kind is RowKind.DELETE:
            base = self.style("code--delete")
        elif kind is RowKind.INSERT:
            base = self.style("code--insert")
        base = base + cursor_style if cursor else base
        if self.marking(row, side):
            base = base + self.marking_style()
        tokens = self.tokens[side]
        line_tokens = (
            tokens[index] if index < len(tokens) else plain_tokens(self.lines[side][index])
        )
        return half_row(
            line_tokens,
            number=index + 1,
            digits=self._digits(),
            width=width,
            scroll_x=scroll_x,
            theme_name=self.syntax_theme(),
            base=base,
            gutter_style=self.style("code--gutter"),
            marker=self.marker_for(self.findings[side].get(index + 1)),
            marks=marks,
            mark_style=mark_style,
            note=self.note_marker(self.COMMENT_SIDES[side], index + 1),
        )
