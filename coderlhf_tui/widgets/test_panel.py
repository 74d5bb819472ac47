"""One response's test result: verdict, counts, failing tests, duration, output tail.

Shows a spinner while the screen says a run is in progress; the full output opens in a
dialog from the pair screen.
"""

from __future__ import annotations

from textual.content import Content
from textual.markup import escape
from textual.reactive import reactive
from textual.widget import Widget

from coderlhf_tui.domain import TestRun, Verdict

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
TAIL_LINES = 3

VERDICT_STYLE: dict[Verdict, str] = {
    Verdict.PASSED: "b $success",
    Verdict.NO_TESTS: "b $warning",
    Verdict.INTERNAL_ERROR: "b $warning",
}


def output_tail(run: TestRun, lines: int = TAIL_LINES) -> str:
    """The last lines of the run's output (stderr after stdout)."""
    text = "\n".join(part for part in (run.stdout.strip(), run.stderr.strip()) if part)
    useful = [
        line for line in text.splitlines() if line.strip(" =-_") and not line.startswith("==")
    ]
    return "\n".join(useful[-lines:])


class TestPanel(Widget):
    """The latest test run of one shown response."""

    __test__ = False  # not a pytest class

    DEFAULT_CSS = """
    TestPanel {
        height: auto;
        max-height: 12;
        padding: 0 1;
        border: round $foreground 30%;
        border-title-color: $foreground 70%;
    }
    """

    running: reactive[bool] = reactive(False)
    """A run is in progress (the spinner turns)."""

    def __init__(self, title: str, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.border_title = title
        self.run: TestRun | None = None
        self.has_tests = True
        self.error: str | None = None
        self._frame = 0

    def on_mount(self) -> None:
        self._timer = self.set_interval(0.1, self._spin, pause=True)

    def watch_running(self, running: bool) -> None:
        if running:
            self.error = None
            self._timer.resume()
        else:
            self._timer.pause()
        self.refresh(layout=True)

    def _spin(self) -> None:
        self._frame = (self._frame + 1) % len(SPINNER)
        self.refresh()

    def show(
        self, run: TestRun | None, *, has_tests: bool = True, error: str | None = None
    ) -> None:
        """Display a run (None: not run yet) or an error from the runner."""
        self.run = run
        self.has_tests = has_tests
        self.error = error
        self.refresh(layout=True)

    def render(self) -> Content:
        if self.running:
            return Content.from_markup(f"[b $accent]{SPINNER[self._frame]}[/] running tests…")
        if self.error:
            return Content.from_markup(f"[b $error]runner error:[/] {escape(self.error)}")
        run = self.run
        if run is None:
            hint = "not run yet: press t" if self.has_tests else "this task has no tests"
            return Content.from_markup(f"[dim]{hint}[/]")
        style = VERDICT_STYLE.get(run.verdict, "b $error")
        lines = [
            f"[{style}]{run.verdict.value}[/]  {run.passed} passed · {run.failed} failed"
            f" · {run.duration_s:.2f}s"
        ]
        if run.failing_tests:
            names = ", ".join(run.failing_tests[:6])
            more = f" (+{len(run.failing_tests) - 6})" if len(run.failing_tests) > 6 else ""
            lines.append(f"[b]failing:[/] {escape(names)}{more}")
        if run.detail:
            lines.append(f"[dim]{escape(run.detail)}[/]")
        tail = output_tail(run)
        if tail and not run.verdict.is_pass:
            lines.append(f"[dim]{escape(tail)}[/]")
        return Content.from_markup("\n".join(lines))
