"""Rendering one line of code as Rich segments: syntax colours, intra-line marks, gutter.

Pure functions over Rich styles (no widget state), shared by the single-file code pane
and the side-by-side diff view, so both draw lines the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from pygments.token import _TokenType
from rich.segment import Segment
from rich.style import Style
from rich.syntax import PygmentsSyntaxTheme

from coderlhf_tui.domain import Finding, Severity
from coderlhf_tui.workbench.diffing import Span
from coderlhf_tui.workbench.highlight import TokenLine

TAB = "    "


@lru_cache(maxsize=8)
def _theme(name: str) -> PygmentsSyntaxTheme:
    return PygmentsSyntaxTheme(name)


@lru_cache(maxsize=4096)
def token_style(theme_name: str, token_type: _TokenType) -> Style:
    """The foreground style of a token type under a Pygments style (no background)."""
    style = _theme(theme_name).get_style_for_token(token_type)
    return Style(color=style.color, bold=style.bold, italic=style.italic)


def line_cells(
    tokens: TokenLine,
    theme_name: str,
    base: Style,
    marks: Sequence[Span] = (),
    mark_style: Style | None = None,
) -> list[Segment]:
    """The segments of one line: token colours on ``base``, ``marks`` overlaid."""
    segments: list[Segment] = []
    offset = 0
    for token_type, raw in tokens:
        text = raw.replace("\t", TAB) if "\t" in raw else raw
        style = base + token_style(theme_name, token_type)
        if marks and mark_style is not None:
            segments.extend(_split_marked(text, offset, style, marks, style + mark_style))
        else:
            segments.append(Segment(text, style))
        offset += len(text)
    return segments


def plain_tokens(line: str) -> TokenLine:
    """A line not yet highlighted, as one plain token."""
    from pygments.token import Text

    return ((Text, line),) if line else ()


def _split_marked(
    text: str, offset: int, style: Style, marks: Sequence[Span], marked: Style
) -> list[Segment]:
    out: list[Segment] = []
    position = 0
    end = len(text)
    for start, stop in marks:
        lo = max(start - offset, position)
        hi = min(stop - offset, end)
        if hi <= lo:
            continue
        if lo > position:
            out.append(Segment(text[position:lo], style))
        out.append(Segment(text[lo:hi], marked))
        position = hi
    if position < end:
        out.append(Segment(text[position:], style))
    return out


def worst_severity(findings: Sequence[Finding]) -> Severity | None:
    """The highest severity among ``findings``."""
    return max((f.severity for f in findings), key=lambda s: s.rank, default=None)


def findings_by_line(findings: Sequence[Finding]) -> dict[int, list[Finding]]:
    """1-based line number -> the findings covering that line."""
    by_line: dict[int, list[Finding]] = {}
    for finding in findings:
        last = max(finding.start_line, finding.end_line)
        for line in range(finding.start_line, last + 1):
            by_line.setdefault(line, []).append(finding)
    return by_line


def gutter(
    number: int | None,
    digits: int,
    marker: str,
    number_style: Style,
    marker_style: Style,
    note: Segment | None = None,
) -> list[Segment]:
    """Line number (blank for a filler row), a one-cell finding marker and a one-cell
    comment marker (``note``, a blank without one)."""
    label = str(number).rjust(digits) if number is not None else " " * digits
    return [
        Segment(label, number_style),
        Segment(marker, marker_style),
        note or Segment(" ", number_style),
    ]


def half_row(
    tokens: TokenLine,
    *,
    number: int | None,
    digits: int,
    width: int,
    scroll_x: int,
    theme_name: str,
    base: Style,
    gutter_style: Style,
    marker: tuple[str, Style],
    marks: Sequence[Span] = (),
    mark_style: Style | None = None,
    note: tuple[str, Style] | None = None,
) -> list[Segment]:
    """A gutter (fixed) and one line of code scrolled ``scroll_x`` cells, ``width`` wide."""
    note_segment = None if note is None else Segment(note[0], note[1] + base)
    head = gutter(number, digits, marker[0], gutter_style + base, marker[1] + base, note_segment)
    code_width = max(0, width - digits - 2)
    cells = line_cells(tokens, theme_name, base, marks, mark_style)
    body = list(Segment.adjust_line_length(cells, scroll_x + code_width, base))
    if scroll_x:
        body = _crop_left(body, scroll_x)
    return head + body


def _crop_left(segments: list[Segment], cells: int) -> list[Segment]:
    out: list[Segment] = []
    skip = cells
    for segment in segments:
        length = segment.cell_length
        if skip >= length:
            skip -= length
            continue
        if skip:
            segment = Segment(segment.text[skip:], segment.style)
            skip = 0
        out.append(segment)
    return out
