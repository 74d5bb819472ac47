"""The findings on the cursor line: CWE, severity, rule and message, one line each.

A taint finding adds a second line with its flow (source line, intermediate lines, sink
line), so the engineer sees where the data came from without leaving the pair; a
test-tampering finding is labelled as such, since it speaks to correctness, not security.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.markup import escape
from textual.widget import Widget

from coderlhf_tui.domain import FINDING_TEST_TAMPERING, Finding


def describe(finding: Finding) -> str:
    """One finding as markup: severity, CWE, title, message."""
    style = "b $error" if finding.severity.rank >= 3 else "b $warning"
    title = f" {finding.cwe_title}" if finding.cwe_title else ""
    hint = f" [dim]fix: {escape(finding.fix_hint)}[/]" if finding.fix_hint else ""
    kind = "[b]TEST TAMPERING[/] " if finding.category == FINDING_TEST_TAMPERING else ""
    return (
        f"{kind}[{style}]{finding.severity.value}[/] {escape(finding.cwe_id)}{escape(title)}"
        f" · {escape(finding.message)}{hint}{describe_trace(finding)}"
    )


def describe_trace(finding: Finding) -> str:
    """A taint finding's flow as markup: `` · flow: source L3 `x` → L5 → sink L8``."""
    if not finding.trace:
        return ""
    steps = []
    for step in finding.trace:
        label = "" if step.role == "via" else f"{step.role} "
        text = f" [i]{escape(step.text)}[/]" if step.role != "via" and step.text else ""
        steps.append(f"{label}L{step.line}{text}")
    return "\n  [b]flow:[/] " + " → ".join(steps)


class FindingDetail(Widget):
    """What the markers on the cursor line mean."""

    DEFAULT_CSS = """
    FindingDetail {
        height: auto;
        max-height: 4;
        padding: 0 1;
        background: $boost;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.entries: list[tuple[str, int | None, Sequence[Finding]]] = []
        self.summary = ""

    def show(self, entries: list[tuple[str, int | None, Sequence[Finding]]], summary: str) -> None:
        """Findings per side at the cursor: (side label, line, findings); ``summary`` otherwise."""
        self.entries = entries
        self.summary = summary
        self.refresh(layout=True)

    def render(self) -> Content:
        lines = []
        for side, line, findings in self.entries:
            for finding in findings:
                lines.append(f"[b]{side} L{line}[/] {describe(finding)}")
        if not lines:
            lines.append(f"[dim]{escape(self.summary)}[/]")
        return Content.from_markup("\n".join(lines))
