"""Small inline-SVG charts for the HTML report: a heatmap and horizontal bar charts.

Plain strings, no plotting library and no external assets, so the report is one file
that opens anywhere (and renders the same in a headless browser under test).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from html import escape

FONT = "font-family='system-ui, sans-serif' font-size='12'"


_STOPS = ((0.0, (215, 48, 39)), (0.4, (254, 224, 139)), (0.8, (26, 152, 80)))


def kappa_colour(value: float | None) -> str:
    """Red (<= 0) through amber (0.4) to green (>= 0.8); grey when missing."""
    if value is None:
        return "#d9d9d9"
    value = min(max(value, _STOPS[0][0]), _STOPS[-1][0])
    for (x0, c0), (x1, c1) in itertools.pairwise(_STOPS):
        if value <= x1:
            t = (value - x0) / (x1 - x0)
            red, green, blue = (round(a + (b - a) * t) for a, b in zip(c0, c1, strict=True))
            return f"#{red:02x}{green:02x}{blue:02x}"
    return "#1a9850"


def heatmap(
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float | None]],
    *,
    title: str,
    cell: int = 88,
) -> str:
    """A rows x columns grid of coloured cells with their values written in."""
    left, top = 110, 56
    width = left + cell * len(columns) + 10
    height = top + 28 * len(rows) + 40
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"role='img' aria-label='{escape(title)}' {FONT}>",
        f"<text x='0' y='16' font-size='14' font-weight='600'>{escape(title)}</text>",
    ]
    for j, column in enumerate(columns):
        x = left + j * cell + cell / 2
        parts.append(
            f"<text x='{x}' y='{top - 8}' text-anchor='middle'>{escape(column[:13])}</text>"
        )
    for i, row in enumerate(rows):
        y = top + i * 28
        parts.append(f"<text x='{left - 8}' y='{y + 18}' text-anchor='end'>{escape(row)}</text>")
        for j, value in enumerate(values[i]):
            x = left + j * cell
            text = "–" if value is None else f"{value:.2f}"
            fill = kappa_colour(value)
            parts.append(
                f"<rect x='{x}' y='{y}' width='{cell - 2}' height='26' fill='{fill}'>"
                f"<title>{escape(row)} / {escape(columns[j])}: {text}</title></rect>"
                f"<text x='{x + cell / 2 - 1}' y='{y + 17}' text-anchor='middle'>{text}</text>"
            )
    legend_y = top + 28 * len(rows) + 12
    for k, value in enumerate([0.0, 0.2, 0.4, 0.6, 0.8]):
        x = left + k * 50
        parts.append(
            f"<rect x='{x}' y='{legend_y}' width='48' height='12' fill='{kappa_colour(value)}'/>"
            f"<text x='{x + 24}' y='{legend_y + 24}' text-anchor='middle'>{value:.1f}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    title: str,
    maximum: float | None = None,
    reference: float | None = None,
    unit: str = "",
    highlight: Sequence[bool] = (),
) -> str:
    """Horizontal bars, one per label; an optional dashed reference line (e.g. 0.5)."""
    left, bar_width, row = 130, 300, 22
    known = [v for v in values if v is not None]
    top_value = maximum if maximum is not None else (max(known) if known else 1.0) or 1.0
    height = 30 + row * len(labels) + 10
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{left + bar_width + 80}' "
        f"height='{height}' role='img' aria-label='{escape(title)}' {FONT}>",
        f"<text x='0' y='16' font-size='14' font-weight='600'>{escape(title)}</text>",
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 28 + i * row
        parts.append(f"<text x='{left - 8}' y='{y + 14}' text-anchor='end'>{escape(label)}</text>")
        if value is None:
            parts.append(f"<text x='{left + 4}' y='{y + 14}' fill='#888'>no data</text>")
            continue
        length = max(0.0, min(1.0, value / top_value)) * bar_width
        colour = "#d73027" if i < len(highlight) and highlight[i] else "#4575b4"
        parts.append(
            f"<rect x='{left}' y='{y + 2}' width='{length:.1f}' height='{row - 6}' "
            f"fill='{colour}'/>"
            f"<text x='{left + length + 4:.1f}' y='{y + 14}'>{value:.2f}{escape(unit)}</text>"
        )
    if reference is not None:
        x = left + min(1.0, reference / top_value) * bar_width
        parts.append(
            f"<line x1='{x:.1f}' y1='24' x2='{x:.1f}' y2='{height - 6}' stroke='#333' "
            "stroke-dasharray='4 3'/>"
        )
    parts.append("</svg>")
    return "".join(parts)
