"""The shape of one task under a lead's review, apart from the code that loads it.

The lead screen's widgets draw a ``TaskReview`` handed down to them; keeping the shape in a
module of its own means a widget that needs the type does not import the store behind
``quality.review`` (an import-linter contract in pyproject.toml holds that line).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from coderlhf_tui.domain import Adjudication, Annotation, Finding, Task, TestRun


@dataclass(frozen=True, slots=True)
class TaskReview:
    """One task with everything known about it, for the lead screen."""

    task: Task
    annotations: list[Annotation]
    """Submitted annotations, one per annotator, in annotator order."""
    tests: dict[str, TestRun | None] = field(default_factory=dict)
    findings: dict[str, list[Finding]] = field(default_factory=dict)
    adjudications: list[Adjudication] = field(default_factory=list)

    @property
    def adjudicated(self) -> Adjudication | None:
        """The adjudication in force (the latest), if any."""
        return self.adjudications[-1] if self.adjudications else None
