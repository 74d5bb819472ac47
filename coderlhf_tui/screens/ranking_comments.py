"""Line comments on the ranking screen: the pair screen's comment handling, in response keys.

The code views post the same messages as on the pair screen (``CommentRequested``,
``FindingsJudged``, ``CommentsPanel.Chosen``), naming the view's side: ``code`` (the
single pane) or ``right`` (the diff's right half) is the response in view, ``pin`` or
``left`` the pinned one. This module turns that side into the response's key, changes the
draft through ``workbench/line_comments.py`` (the same functions the pair view uses), saves
at once and redraws the markers and the comments panel. A comment on any of ``a``..``h``
is kept and synced like one on a pair (``serialize.COMMENT_KEYS``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coderlhf_tui.domain import ResponseKey
from coderlhf_tui.screens import comment_actions
from coderlhf_tui.widgets.code_pane import CodePane
from coderlhf_tui.widgets.comment_marks import CommentRequested, FindingsJudged
from coderlhf_tui.widgets.comments_panel import CommentEntry, CommentsPanel
from coderlhf_tui.widgets.diff_view import DiffView
from coderlhf_tui.workbench import line_comments

if TYPE_CHECKING:
    from coderlhf_tui.screens.ranking import RankingScreen


def key_of(screen: RankingScreen, side: str) -> ResponseKey | None:
    """The response a view's side shows (None: the pinned side with nothing pinned)."""
    return screen.current if side in ("code", "right") else screen.pinned


def refresh(screen: RankingScreen, note: str = "") -> None:
    """Draw the comments: markers on the responses shown, every response's in the panel."""
    draft = screen.draft
    if draft is None:
        return
    diff = screen.query_one(DiffView)
    current = line_comments.marked_lines(line_comments.comments_of(draft, screen.current))
    screen.query_one("#rank-code", CodePane).set_comment_marks("code", current)
    diff.set_comment_marks("right", current)
    if screen.pinned is not None:
        pinned = line_comments.marked_lines(line_comments.comments_of(draft, screen.pinned))
        screen.query_one("#rank-pin", CodePane).set_comment_marks("pin", pinned)
        diff.set_comment_marks("left", pinned)
    entries = [
        CommentEntry(comment, draft.label(key))
        for key in draft.shown_order
        for comment in line_comments.comments_of(draft, key)  # type: ignore[arg-type]
    ]
    screen.query_one(CommentsPanel).show(entries, note)


def request(screen: RankingScreen, message: CommentRequested) -> None:
    """A range was marked: ask for the comment, then add it to that response."""
    draft, task = screen.draft, screen.task_shown
    key = key_of(screen, message.side)
    if draft is None or task is None or key is None:
        return
    start, end = message.start_line, message.end_line
    comment_actions.ask_for_comment(
        screen,
        comment_actions.range_label(draft.label(key), start, end),
        task.response(key).code,
        start,
        end,
        lambda fields: line_comments.add_to(draft, task, key, start, end, fields),
        lambda note: _saved(screen, note),
    )


def judge(screen: RankingScreen, message: FindingsJudged) -> None:
    """Record the annotator's verdict on the findings of a line."""
    draft, task = screen.draft, screen.task_shown
    key = key_of(screen, message.side)
    if draft is None or task is None or key is None:
        return
    category = screen.session.rubric.finding_category
    line_comments.judge_on(draft, task, key, message.findings, message.verdict, category)
    _saved(screen, comment_actions.findings_note(len(message.findings), message.verdict))


def chosen(screen: RankingScreen, message: CommentsPanel.Chosen) -> None:
    """Jump to, edit or delete the comment chosen in the panel."""
    draft = screen.draft
    comment = line_comments.find(draft, message.comment_id) if draft else None
    if draft is None or comment is None:
        return
    where = f"{draft.label(comment.response)} {comment.start_line}-{comment.end_line}"
    if not comment_actions.delete_or_edit(
        screen, draft, comment, message.action, where, lambda note: _saved(screen, note)
    ):
        jump(screen, comment.response, comment.start_line)


def jump(screen: RankingScreen, key: ResponseKey, line: int) -> None:
    """Show response ``key`` (unless it is already in view or pinned), cursor on ``line``."""
    draft = screen.draft
    if draft is None:
        return
    if key not in (screen.current, screen.pinned):
        screen.action_show(draft.shown_order.index(key) + 1)
    if screen.diff_mode:
        diff = screen.query_one(DiffView)
        comment_actions.diff_cursor_to(diff, 0 if key == screen.pinned else 1, line)
        screen.set_focus(diff)
        return
    pane = screen.query_one("#rank-pin" if key == screen.pinned else "#rank-code", CodePane)
    comment_actions.pane_cursor_to(screen, pane, line)


def _saved(screen: RankingScreen, note: str) -> None:
    screen.save_now()
    refresh(screen, note)  # the note in the panel's title, not a toast (comments_panel.py)
