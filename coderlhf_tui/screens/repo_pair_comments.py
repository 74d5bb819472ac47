"""Line critiques on a repository task's patch panes, kept like the pair view's comments.

The panes are the pair view's code panes (``patch-a`` on the left, ``patch-b`` on the
right), so ``m`` marks a range, ``n``/``N`` jump, ``+``/``-`` judge a finding, and the
messages they post are handled here the way ``pair_comments`` handles them: the draft is
changed through ``workbench/line_comments.py`` in the task's A/B terms, saved at once,
and the markers and the comments panel redrawn.

The anchor is the line in the patch. A repository task's response *is* its patch (the
store keeps it as the response's code), so a comment is an ordinary ``LineComment`` on that
text: its quote is the marked diff lines, it syncs and exports like any other comment, and
``repotasks/patch_anchor.py`` turns it into GitHub's review anchor (file path, line in the
new or old file, side) for the repository export.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coderlhf_tui.screens import comment_actions
from coderlhf_tui.widgets.code_pane import CodePane
from coderlhf_tui.widgets.comment_marks import CommentRequested, FindingsJudged
from coderlhf_tui.widgets.comments_panel import CommentEntry, CommentsPanel
from coderlhf_tui.workbench import line_comments
from coderlhf_tui.workbench.blind import SIDES, Side

if TYPE_CHECKING:
    from coderlhf_tui.screens.repo_pair_stored import StoredRepoPairScreen

PANE: dict[Side, str] = {"left": "a", "right": "b"}
"""The pane of each screen side (``#patch-a`` shows the left response)."""


def side_of(pane_side: str) -> Side:
    """The screen side of a pane's comment label (``a`` or ``b``)."""
    return "right" if pane_side == "b" else "left"


def refresh(screen: StoredRepoPairScreen, note: str = "") -> None:
    """Markers in both patch panes, every comment in the panel."""
    entries: list[CommentEntry] = []
    for side in SIDES:
        comments = line_comments.comments_on(screen.draft, side)
        pane = screen.query_one(f"#patch-{PANE[side]}", CodePane)
        pane.set_comment_marks(PANE[side], line_comments.marked_lines(comments))
        name = screen.responses[SIDES.index(side)].name
        entries += [CommentEntry(c, name) for c in comments]
    screen.query_one(CommentsPanel).show(entries, note)


def request(screen: StoredRepoPairScreen, message: CommentRequested) -> None:
    """A range of patch lines was marked: ask for the critique, then add it."""
    draft, task = screen.draft, screen.store_task
    side = side_of(message.side)
    start, end = message.start_line, message.end_line
    name = screen.responses[SIDES.index(side)].name
    comment_actions.ask_for_comment(
        screen,
        comment_actions.range_label(f"{name} patch line", start, end),
        task.response(draft.sides.key(side)).code,
        start,
        end,
        lambda fields: line_comments.add(draft, task, side, start, end, fields),
        lambda note: _saved(screen, note),
    )


def judge(screen: StoredRepoPairScreen, message: FindingsJudged) -> None:
    """The annotator's verdict on the findings of a patch line."""
    category = screen.session.rubric.finding_category
    side = side_of(message.side)
    line_comments.judge(
        screen.draft, screen.store_task, side, message.findings, message.verdict, category
    )
    _saved(screen, comment_actions.findings_note(len(message.findings), message.verdict))


def chosen(screen: StoredRepoPairScreen, message: CommentsPanel.Chosen) -> None:
    """Jump to, edit or delete the comment chosen in the panel."""
    draft = screen.draft
    comment = line_comments.find(draft, message.comment_id)
    if comment is None:
        return
    side = draft.sides.side(comment.response)
    where = f"{side} patch line {comment.start_line}-{comment.end_line}"
    if not comment_actions.delete_or_edit(
        screen, draft, comment, message.action, where, lambda note: _saved(screen, note)
    ):
        pane = screen.query_one(f"#patch-{PANE[side]}", CodePane)
        comment_actions.pane_cursor_to(screen, pane, comment.start_line)


def _saved(screen: StoredRepoPairScreen, note: str) -> None:
    screen.save_now()
    refresh(screen, note)  # the note in the panel's title, not a toast (comments_panel.py)
