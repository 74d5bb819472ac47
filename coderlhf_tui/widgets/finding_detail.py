"""The findings on the cursor line: CWE, severity, rule and message, one line each.

A taint finding adds a second line with its flow (source line, intermediate lines, sink
line), so the engineer sees where the data came from without leaving the pair; while
``w`` walks that flow the step under the cursor is highlighted. A test-tampering finding
is labelled as such, since it speaks to correctness, not security.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.markup import escape
from textual.widget import Widget

from coderlhf_tui.domain import FINDING_TEST_TAMPERING, Finding


def describe(finding: Finding, step: int | None = None) -> str:
    """One finding as markup: severity, CWE, title, message (``step``: the flow step the
    cursor is on, highlighted)."""
    style = "b $error" if finding.severity.rank >= 3 else "b $warning"
    title = f" {finding.cwe_title}" if finding.cwe_title else ""
    if finding.related_cwes:
        title += f" (also {', '.join(finding.related_cwes)})"
    hint = f" [dim]fix: {escape(finding.fix_hint)}[/]" if finding.fix_hint else ""
    kind = "[b]TEST TAMPERING[/] " if finding.category == FINDING_TEST_TAMPERING else ""
    return (
        f"{kind}[{style}]{finding.severity.value}[/] {escape(finding.cwe_id)}{escape(title)}"
        f" · {escape(finding.message)}{hint}{describe_trace(finding, step)}"
    )


def describe_trace(finding: Finding, at: int | None = None) -> str:
    """A taint finding's flow as markup: `` · flow: source L3 `x` → L5 → sink L8``; the
    step ``at`` (the cursor's, while following the flow) in reverse video."""
    if not finding.trace:
        return ""
    steps = []
    for index, step in enumerate(finding.trace):
        label = "" if step.role == "via" else f"{step.role} "
        text = f" [i]{escape(step.text)}[/]" if step.role != "via" and step.text else ""
        shown = f"{label}L{step.line}{text}"
        steps.append(f"[reverse]▶ {shown}[/]" if index == at else shown)
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
        self.following: tuple[Finding, int] | None = None
        self._shown = ""
        """The markup on screen: a cursor move that changes nothing shown (a line without
        findings, the summary again) skips the relayout a new text needs (a few ms a key)."""

    def show(
        self,
        entries: list[tuple[str, int | None, Sequence[Finding]]],
        summary: str,
        following: tuple[Finding, int] | None = None,
    ) -> None:
        """Findings per side at the cursor: (side label, line, findings); ``summary`` otherwise.
        ``following``: the finding whose flow the cursor walks and the step it is on."""
        self.entries = entries
        self.summary = summary
        self.following = following
        markup = self._markup()
        if markup != self._shown:  # every cursor move calls this; most change nothing shown
            self._shown = markup
            self.refresh(layout=True)

    def _markup(self) -> str:
        lines = []
        followed, at = self.following or (None, None)
        for side, line, findings in self.entries:
            for finding in findings:
                step = at if finding == followed else None
                lines.append(f"[b]{side} L{line}[/] {describe(finding, step)}")
        if not lines:
            lines.append(f"[dim]{escape(self.summary)}[/]")
        return "\n".join(lines)

    def render(self) -> Content:
        return Content.from_markup(self._shown or self._markup())
