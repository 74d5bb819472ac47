"""The left part of the pair screen: the prompt, the two responses (side by side or as one
diff), the findings under the cursor and both responses' test panels.

Attributes down: the screen hands over what to show (``show_pair``, ``show_findings``,
``show_run``) already in screen terms, left and right, so this view never knows which
response is A. Messages up: the panes' ``LineView.CursorMoved`` and ``LineView.Scrolled``
bubble on to the screen after this view has answered them among siblings (the finding
line follows the cursor; the other pane follows the scroll).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Markdown, Static

from coderlhf_tui.domain import Finding, TestRun
from coderlhf_tui.widgets.code_pane import CodePane
from coderlhf_tui.widgets.diff_view import DiffView
from coderlhf_tui.widgets.finding_detail import FindingDetail
from coderlhf_tui.widgets.line_view import LineView
from coderlhf_tui.widgets.test_panel import TestPanel
from coderlhf_tui.workbench.blind import SIDES, Side

LABEL: dict[Side, str] = {"left": "Left", "right": "Right"}


@dataclass(frozen=True, slots=True)
class ShownResponse:
    """One side of the pair as this view shows it."""

    code: str
    model: str = ""
    findings: Sequence[Finding] = field(default_factory=tuple)
    scanned: bool = False
    run: TestRun | None = None


class ResponsesView(Vertical):
    """Prompt, code (panes or diff), finding detail and test panels of one pair."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.language = ""
        self.shown: dict[Side, ShownResponse] = {side: ShownResponse("") for side in SIDES}
        self.diff_mode = False
        self.show_models = False
        self._stale: set[str] = set()

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="prompt-box"):
            yield Markdown("", id="prompt")
        with Horizontal(id="panes"):
            for side in SIDES:
                with Vertical(id=f"col-{side}", classes="code-col"):
                    yield Static(LABEL[side], id=f"head-{side}", classes="pane-head")
                    yield CodePane(id=f"code-{side}")
            with Vertical(id="diff-col"):
                yield Static("", id="diff-head", classes="pane-head")
                yield DiffView(id="diff")
        yield FindingDetail(id="finding")
        with Horizontal(id="tests"):
            for side in SIDES:
                yield TestPanel(f"{LABEL[side]} tests", id=f"test-{side}")

    # -- showing a pair ------------------------------------------------------------------

    def show_pair(
        self,
        language: str,
        prompt: str,
        left: ShownResponse,
        right: ShownResponse,
        *,
        has_tests: bool,
        running: bool,
        show_models: bool,
    ) -> None:
        """Show a new pair (the code is drawn for the mode in force; the other on demand)."""
        self.language = language
        self.shown = {"left": left, "right": right}
        self.show_models = show_models
        self._stale = {"panes", "diff"}
        self._show_code()
        self.query_one("#prompt", Markdown).update(prompt)
        self.query_one("#prompt-box").scroll_home(animate=False)
        self._show_heads()
        for side in SIDES:
            panel = self.query_one(f"#test-{side}", TestPanel)
            panel.show(self.shown[side].run, has_tests=has_tests)
            panel.running = running
        self.update_finding_detail()

    def set_diff_mode(self, diff_mode: bool) -> None:
        """Switch between the two panes and the diff (drawing the diff when first needed)."""
        self.diff_mode = diff_mode
        self._show_code()
        self.update_finding_detail()

    def _show_code(self) -> None:
        left, right = self.shown["left"], self.shown["right"]
        if self.diff_mode and "diff" in self._stale:
            diff = self.query_one(DiffView)
            diff.show(self.language, left.code, right.code, left.findings, right.findings)
            self._stale.discard("diff")
            stats = diff.stats
            self.query_one("#diff-head", Static).update(
                f"Diff: left against right · {stats.changed} changed · "
                f"{stats.deleted} only left · {stats.inserted} only right   (. , jump to changes)"
            )
        if not self.diff_mode and "panes" in self._stale:
            for side in SIDES:
                shown = self.shown[side]
                pane = self.query_one(f"#code-{side}", CodePane)
                pane.show(self.language, shown.code, shown.findings)
            self._stale.discard("panes")

    def _show_heads(self) -> None:
        for side in SIDES:
            shown = self.shown[side]
            label = LABEL[side]
            if self.show_models and shown.model:
                label += f" · {shown.model}"
            lines = shown.code.count("\n") + 1
            marks = f"{len(shown.findings)} findings" if shown.scanned else "not scanned"
            self.query_one(f"#head-{side}", Static).update(f"{label} · {lines} lines · {marks}")

    def show_findings(self, left: ShownResponse, right: ShownResponse) -> None:
        """A scan finished: new findings (and scanned flags) for both sides."""
        self.shown = {"left": left, "right": right}
        for side in SIDES:
            self.query_one(f"#code-{side}", CodePane).set_findings(self.shown[side].findings)
        if "diff" not in self._stale:
            self.query_one(DiffView).set_findings(left.findings, right.findings)
        self._show_heads()
        self.update_finding_detail()

    def show_run(
        self, side: Side, run: TestRun | None, *, has_tests: bool, error: str | None
    ) -> None:
        """One side's test run arrived (or could not run: ``error``)."""
        self.query_one(f"#test-{side}", TestPanel).show(run, has_tests=has_tests, error=error)

    def set_running(self, running: bool) -> None:
        """Turn both test panels' spinners on or off."""
        for side in SIDES:
            self.query_one(f"#test-{side}", TestPanel).running = running

    # -- the cursor and scrolling --------------------------------------------------------

    def code_view(self, prefer: Side = "left") -> LineView:
        """The view keys should go to: the diff in diff mode, else the focused pane (or the
        ``prefer`` side's pane when neither has focus)."""
        if self.diff_mode:
            return self.query_one(DiffView)
        return self._pane(prefer)

    def other_pane(self) -> CodePane:
        """The pane without focus (``s``-style switching between the two)."""
        left = self.query_one("#code-left", CodePane)
        return self.query_one("#code-right", CodePane) if left.has_focus else left

    def _pane(self, prefer: Side) -> CodePane:
        focused = self.screen.focused
        if isinstance(focused, CodePane):
            return focused
        return self.query_one(f"#code-{prefer}", CodePane)

    @on(LineView.CursorMoved)
    def _cursor_moved(self, event: LineView.CursorMoved) -> None:
        self.update_finding_detail(event.view)

    @on(LineView.Scrolled)
    def _pane_scrolled(self, event: LineView.Scrolled) -> None:
        if isinstance(event.view, CodePane):
            other = "#code-right" if event.view.id == "code-left" else "#code-left"
            self.query_one(other, CodePane).follow(event.x, event.y)

    def update_finding_detail(self, view: LineView | None = None, prefer: Side = "left") -> None:
        """Say what the markers on the cursor line mean (or how to get findings)."""
        total = sum(len(self.shown[side].findings) for side in SIDES)
        scanned = any(self.shown[side].scanned for side in SIDES)
        summary = (
            f"{total} findings; f jumps to the next marker"
            if scanned
            else "Not scanned yet: press x to run the security scan"
        )
        entries: list[tuple[str, int | None, Sequence[Finding]]] = []
        following: tuple[Finding, int] | None = None
        flow_side = "Left"
        if self.diff_mode:
            diff = self.query_one(DiffView)
            if diff.row_count():
                left_f, right_f = diff.findings_at(diff.cursor)
                left_n, right_n = diff.line_numbers(diff.cursor)
                entries = [("Left", left_n, left_f), ("Right", right_n, right_f)]
                following = diff.flow_step()
                if following is not None:
                    finding = following[0]
                    if finding not in diff.findings[0].get(finding.start_line, []):
                        flow_side = "Right"
        else:
            pane = view if isinstance(view, CodePane) else self._pane(prefer)
            if pane.row_count():
                flow_side = "Left" if pane.id == "code-left" else "Right"
                entries.append((flow_side, pane.cursor + 1, pane.findings_at(pane.cursor)))
                following = pane.flow_step()
        if following is not None and not any(following[0] in found for *_, found in entries):
            # the cursor is on the flow's source or an intermediate line: show whose flow
            entries.insert(0, (flow_side, following[0].start_line, [following[0]]))
        self.query_one(FindingDetail).show(entries, summary, following)
