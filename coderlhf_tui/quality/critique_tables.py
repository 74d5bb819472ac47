"""The critique section of the QA report as tables, shared by the Markdown and HTML views.

Rows only (header + cells as strings): each view draws tables its own way, and both
show the same figures (``line_agreement`` computes them).
"""

from __future__ import annotations

from typing import Any

from coderlhf_tui.quality.line_agreement import ALL

AGREEMENT_HEADER = ["language", "category", "units", "lines marked", "line F1", "mean unit F1"]
REJECTED_HEADER = ["rule", "accepted", "disputed", "acceptance rate"]


def _figure(value: Any) -> str:
    return "-" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def agreement_rows(section: dict[str, Any]) -> list[list[str]]:
    """Line-level F1 per language and category (slices with units only), overall last."""
    agreement = section["agreement"]
    slices = [*sorted(agreement["by_language"].items()), ("all languages", agreement["overall"])]
    return [
        [
            language,
            category,
            str(f["units"]),
            str(f["lines_marked"]),
            _figure(f["line_f1"]),
            _figure(f["mean_unit_f1"]),
        ]
        for language, per_category in slices
        for category, f in sorted(per_category.items(), key=lambda kv: (kv[0] != ALL, kv[0]))
        if f["units"]
    ]


def rejected_rows(section: dict[str, Any]) -> list[list[str]]:
    """The scanner rules engineers dispute most."""
    return [
        [r["rule"], str(r["agree"]), str(r["dispute"]), _figure(r["acceptance_rate"])]
        for r in section["findings"]["most_rejected"]
    ]


def summary_line(section: dict[str, Any]) -> str:
    """One sentence: how many comments, and the overall finding acceptance."""
    findings = section["findings"]
    return (
        f"{section['comments']} line comments in {section['annotations_with_comments']} "
        f"annotations; {findings['verdicts']} scanner-finding verdicts, acceptance rate "
        f"{_figure(findings['acceptance_rate'])}. Line F1 = Σ 2|L1∩L2| / Σ (|L1|+|L2|) over "
        "(task, response, annotator pair) units where both annotators left comments."
    )
