"""Line comments on the pair screen: what the screen does with the comment widgets' messages.

The code views post ``CommentRequested`` (a marked range) and ``FindingsJudged`` (``+``
or ``-`` on a finding); the comments panel posts ``CommentsPanel.Chosen`` (jump, edit,
delete). The pair screen hands each to a function here, which changes the draft
through ``workbench/line_comments.py`` (in A/B terms, via the draft's side map), saves
at once like a score, and redraws the markers and the panel. Kept apart from
``pair.py`` so the screen stays about the pair and this file about comments.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coderlhf_tui.screens import comment_actions
from coderlhf_tui.widgets.code_pane import CodePane
from coderlhf_tui.widgets.comment_marks import CommentRequested, FindingsJudged
from coderlhf_tui.widgets.comments_panel import CommentEntry, CommentsPanel
from coderlhf_tui.widgets.diff_view import DiffView
from coderlhf_tui.workbench import line_comments
from coderlhf_tui.workbench.blind import SIDES, Side

if TYPE_CHECKING:
    from coderlhf_tui.screens.pair import PairScreen

LABEL: dict[Side, str] = {"left": "Left", "right": "Right"}


def _side(name: str) -> Side:
    return "right" if name == "right" else "left"


def refresh(screen: PairScreen, *, list_after_paint: bool = False, note: str = "") -> None:
    """Draw the draft's comments: gutter markers in every code view, the panel's list
    (``list_after_paint``: in the frame after this one; see ``_saved``) with ``note``."""
    draft = screen.draft
    if draft is None:
        return
    entries: list[CommentEntry] = []
    diff = screen.query_one(DiffView)
    for side in SIDES:
        comments = line_comments.comments_on(draft, side)
        marks = line_comments.marked_lines(comments)
        screen.query_one(f"#code-{side}", CodePane).set_comment_marks(side, marks)
        diff.set_comment_marks(side, marks)
        entries += [CommentEntry(c, LABEL[side]) for c in comments]
    panel = screen.query_one(CommentsPanel)
    if list_after_paint:
        screen.call_after_refresh(panel.show, entries, note)
    else:
        panel.show(entries, note)


def request(screen: PairScreen, message: CommentRequested) -> None:
    """A range was marked: ask for the comment, then add it."""
    draft, task = screen.draft, screen.pair_task
    if draft is None or task is None:
        return
    side = _side(message.side)
    start, end = message.start_line, message.end_line
    comment_actions.ask_for_comment(
        screen,
        comment_actions.range_label(LABEL[side], start, end),
        task.response(draft.sides.key(side)).code,
        start,
        end,
        lambda fields: line_comments.add(draft, task, side, start, end, fields),
        lambda note: _saved(screen, note),
    )


def judge(screen: PairScreen, message: FindingsJudged) -> None:
    """Record the annotator's verdict on the findings of a line."""
    draft, task = screen.draft, screen.pair_task
    if draft is None or task is None:
        return
    category = screen.session.rubric.finding_category
    line_comments.judge(
        draft, task, _side(message.side), message.findings, message.verdict, category
    )
    _saved(screen, comment_actions.findings_note(len(message.findings), message.verdict))


def chosen(screen: PairScreen, message: CommentsPanel.Chosen) -> None:
    """Jump to, edit or delete the comment chosen in the panel."""
    draft = screen.draft
    comment = line_comments.find(draft, message.comment_id) if draft else None
    if draft is None or comment is None:
        return
    side = draft.sides.side(comment.response)
    where = f"{LABEL[side]} {comment.start_line}-{comment.end_line}"
    if not comment_actions.delete_or_edit(
        screen, draft, comment, message.action, where, lambda note: _saved(screen, note)
    ):
        jump(screen, side, comment.start_line)


def jump(screen: PairScreen, side: Side, line: int) -> None:
    """Put the cursor on ``line`` of ``side`` in the view in force, and focus it."""
    if screen.diff_mode:
        diff = screen.query_one(DiffView)
        comment_actions.diff_cursor_to(diff, SIDES.index(side), line)
        screen.set_focus(diff)
        return
    comment_actions.pane_cursor_to(screen, screen.query_one(f"#code-{side}", CodePane), line)


def _saved(screen: PairScreen, note: str) -> None:
    """The change is saved and drawn, ``note`` in the panel's title. The panel is listed
    again in the next frame: painted with the editor's closing, its rows at the bottom of
    the scoring column would stretch the area the compositor repaints over the whole lower
    screen."""
    screen.save_now()
    refresh(screen, list_after_paint=True, note=note)
