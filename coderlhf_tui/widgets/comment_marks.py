"""Line comments inside a code view: the range being marked, gutter markers, and the keys.

A mixin of ``LineView`` (the code pane and the diff view alike, and any view the
ranking screen builds on them), so every code view marks lines the same way:

- ``m`` starts marking at the cursor line; moving the cursor (keys or a click) extends
  the range, shown highlighted; ``m`` again asks for the comment (``CommentRequested``),
  ``escape`` gives up. In the diff view ``m`` marks the left side's lines and ``M`` the
  right side's; in a single pane both mark that pane.
- ``n``/``N`` jump to the next/previous line with a comment.
- ``+`` accepts the scanner findings on the cursor line as comments (agree), ``-``
  disputes them (false positive): ``FindingsJudged``.

The view does not know which response is A, nor the store: it posts messages in its
own terms (a *side* label and 1-based line numbers of that side), and the screen turns
them into draft changes (``workbench/line_comments.py``), then hands the markers back
with ``set_comment_marks``. A screen that does so says ``hosts_comments = True``; on
other screens (the lead's, where markers are shown read-only) ``m``, ``+`` and ``-`` are
off, and ``n``/``N`` still jump. A view provides ``comment_targets(row)``: for a row, each
side shown there with its line number and that line's findings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from weakref import WeakSet

from rich.segment import Segment
from rich.style import Style
from textual.message import Message

from coderlhf_tui.domain import Finding, FindingVerdict, LineComment
from coderlhf_tui.widgets import comment_gc

if TYPE_CHECKING:
    from coderlhf_tui.widgets.line_view import LineView

MARKING_HINT = "Marking: move to the last line, then m again (escape stops)."
"""Said as a toast at the first marking of a session only: a toast is mounted, and taken
down three seconds later in whatever key is being handled then, about 1 ms each (the
comment keys' budget is 16 ms); the footer shows ``escape`` to stop while marking."""

_HINTED: WeakSet[object] = WeakSet()
"""The apps whose annotator has been shown the marking hint."""

NOTE = "◆"
"""The gutter marker of a commented line (beside the finding marker)."""

DISPUTED = "◇"
"""The marker of a line whose only comment disputes a finding."""


@dataclass(frozen=True, slots=True)
class CommentTarget:
    """One side of a row: its label, its 1-based line number and that line's findings."""

    side: str
    line: int
    findings: Sequence[Finding] = field(default_factory=tuple)


class CommentRequested(Message):
    """Lines ``start_line..end_line`` of ``side`` were marked; the screen asks for the comment."""

    def __init__(self, view: LineView, side: str, start_line: int, end_line: int) -> None:
        super().__init__()
        self.view = view
        self.side = side
        self.start_line = start_line
        self.end_line = end_line


class FindingsJudged(Message):
    """The annotator judged the findings on one line of ``side``: agree or dispute."""

    def __init__(
        self, view: LineView, side: str, findings: Sequence[Finding], verdict: FindingVerdict
    ) -> None:
        super().__init__()
        self.view = view
        self.side = side
        self.findings = tuple(findings)
        self.verdict = verdict


class CommentMarks:
    """State and actions of line comments in a ``LineView`` (see the module docstring)."""

    mark_anchor: int | None = None
    """The row marking started on, while a range is being marked."""

    mark_side_index: int = 0
    """Which of the row's sides is being marked (the diff view's ``M`` marks the right)."""

    def _marks(self) -> dict[str, dict[int, LineComment]]:
        marks: dict[str, dict[int, LineComment]] | None = getattr(self, "_comment_marks", None)
        if marks is None:
            marks = {}
            self._comment_marks = marks
        return marks

    # -- what a view provides ---------------------------------------------------------

    def comment_targets(self, row: int) -> list[CommentTarget]:
        """The sides shown on ``row``, with line numbers and findings (none for a filler)."""
        return []

    # -- fed by the screen --------------------------------------------------------------

    def set_comment_marks(self, side: str, marks: dict[int, LineComment]) -> None:
        """The comments of ``side``, by 1-based line (the most severe per line).

        Only the rows whose marker changed are redrawn: a saved comment repaints its own
        gutter cells, not the whole view (a full redraw of two panes cost a save most of
        its 16 ms budget)."""
        before = self._marks().get(side, {})
        changed = {
            line for line in before.keys() | marks.keys() if before.get(line) != marks.get(line)
        }
        self._marks()[side] = dict(marks)
        if changed:
            self._redraw_rows(
                lambda row: any(
                    t.side == side and t.line in changed for t in self.comment_targets(row)
                )
            )

    def comment_on(self, side: str, line: int | None) -> LineComment | None:
        """The comment drawn on a line of a side."""
        return None if line is None else self._marks().get(side, {}).get(line)

    # -- drawing ------------------------------------------------------------------------

    def note_marker(self, side: str, line: int | None) -> tuple[str, Style]:
        """The gutter cell after the line number: a comment marker or a blank."""
        comment = self.comment_on(side, line)
        if comment is None:
            return (" ", Style())
        view = self._view()
        if comment.is_dispute:
            return (DISPUTED, view.style("code--gutter"))
        rank = comment.severity.rank
        name = (
            "code--sev-high" if rank >= 3 else "code--sev-medium" if rank == 2 else "code--sev-low"
        )
        return (NOTE, view.style(name))

    def marking(self, row: int, side_index: int) -> bool:
        """Whether ``row`` lies in the range being marked, on that side."""
        if self.mark_anchor is None or side_index != self.mark_side_index:
            return False
        cursor = self._view().cursor
        return min(self.mark_anchor, cursor) <= row <= max(self.mark_anchor, cursor)

    def marking_style(self) -> Style:
        """The background of rows being marked."""
        return self._view().style("code--marking")

    # -- actions (keymap scope "comment") ------------------------------------------------

    def action_mark(self, side_index: int = 0) -> None:
        view = self._view()
        if not view.row_count():
            return
        side_index = min(side_index, max(0, len(self.comment_targets(view.cursor)) - 1))
        if self.mark_anchor is None or side_index != self.mark_side_index:
            self.cancel_marking()  # a range on the other side of the diff
            comment_gc.hold(self._gc_owner(), view.app.set_timer)
            self.mark_anchor = view.cursor
            self.mark_side_index = side_index
            if view.app not in _HINTED:  # once per app: the footer shows the keys after that
                _HINTED.add(view.app)
                view.notify(MARKING_HINT, timeout=3)
            self._redraw_rows(lambda row: row == view.cursor)
            return
        low, high = sorted((self.mark_anchor, view.cursor))
        lines = [
            targets[side_index].line
            for row in range(low, high + 1)
            if len(targets := self.comment_targets(row)) > side_index
            and targets[side_index].line > 0
        ]
        side = self._side_of(low, high, side_index)
        self.cancel_marking()
        if not lines or side is None:
            view.notify("No lines of that side in the marked rows.", severity="warning")
            return
        # Straight to the screen that hosts comments (``check_comment_action``), the only
        # reader: bubbling up through the view's containers was five dispatches of the key
        # that opens the editor.
        view.screen.post_message(CommentRequested(view, side, min(lines), max(lines)))

    def action_stop_marking(self) -> None:
        self.cancel_marking()

    def cancel_marking(self) -> None:
        """Forget the range being marked (repainting only the rows it highlighted)."""
        if self.mark_anchor is not None:
            view = self._view()
            low, high = sorted((self.mark_anchor, view.cursor))
            self.mark_anchor = None
            self._redraw_rows(lambda row: low <= row <= high)
            comment_gc.release(self._gc_owner(), view.app.set_timer)

    def marking_moved(self, old: int, new: int) -> None:
        """The cursor moved from row ``old`` to ``new``: while marking, the rows between
        join or leave the highlighted range, and only they are repainted."""
        if self.mark_anchor is not None:
            low, high = sorted((old, new))
            self._redraw_rows(lambda row: low <= row <= high)

    def action_jump_comment(self, direction: int) -> None:
        view = self._view()
        rows = [
            row
            for row in range(view.row_count())
            if any(self.comment_on(t.side, t.line) for t in self.comment_targets(row))
        ]
        view._jump(rows, direction, "No comments in this view.")

    def action_judge(self, verdict: str) -> None:
        view = self._view()
        judged = FindingVerdict(verdict)
        posted = False
        for target in self.comment_targets(view.cursor):
            if target.findings:
                view.screen.post_message(  # straight to its reader, as CommentRequested
                    FindingsJudged(view, target.side, target.findings, judged)
                )
                posted = True
        if not posted:
            view.notify("No finding on this line (f jumps to the next one).", timeout=2)

    def check_comment_action(self, action: str) -> bool | None:
        """Marking and judging only where the screen hosts comments (``hosts_comments``);
        ``escape`` stops marking only while marking (otherwise the screen's escape)."""
        if action in ("mark", "judge"):
            return bool(getattr(self._view().screen, "hosts_comments", False))
        if action == "stop_marking":
            return self.mark_anchor is not None
        return True

    # -- helpers ------------------------------------------------------------------------

    def _side_of(self, low: int, high: int, side_index: int) -> str | None:
        for row in range(low, high + 1):
            targets = self.comment_targets(row)
            if len(targets) > side_index:
                return targets[side_index].side
        return None

    def _gc_owner(self) -> str:
        return f"marking-{id(self)}"

    def on_unmount(self) -> None:
        comment_gc.release_now(self._gc_owner())  # a view gone while marking

    def _view(self) -> LineView:
        return self  # type: ignore[return-value]

    def _redraw_rows(self, affected: Callable[[int], bool]) -> None:
        """Drop the cached strips of the rows ``affected`` says changed, and repaint those
        of them on screen (not the rest of the view)."""
        view: Any = self._view()
        strips = view._strips
        cached = list(strips.keys())  # an LRUCache: keys, no iteration
        stale = {row for row in {key[0] for key in cached} if affected(row)}
        for key in cached:
            if key[0] in stale:
                strips.discard(key)
        top = int(view.scroll_y)
        shown = range(top, min(top + view.size.height, view.row_count()))
        rows = [row for row in shown if row in stale or affected(row)]
        if rows:  # one region from the first to the last: one repaint request, not many
            view.refresh_lines(rows[0], rows[-1] - rows[0] + 1)


def note_cell(marker: tuple[str, Style], base: Style) -> Segment:
    """The comment marker cell of a gutter, on the row's background."""
    return Segment(marker[0], marker[1] + base)
