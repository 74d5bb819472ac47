"""Line critiques on the ranked repository view's patch panes, in response keys.

The two panes post the pair view's comment messages naming their pane (``a`` the left,
``b`` the right); the ranked view shows any two of its patches there, so the pane is turned
into the key of the patch it shows and the draft is changed through
``workbench/line_comments.py`` by key, as the ranking screen does (``ranking_comments``). A
comment is an ordinary ``LineComment`` on the patch text, so it syncs and exports like one
on a pairwise repository task (``repotasks/patch_anchor.py`` gives GitHub's anchor).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coderlhf_tui.screens import comment_actions
from coderlhf_tui.widgets.code_pane import CodePane
from coderlhf_tui.widgets.comment_marks import CommentRequested, FindingsJudged
from coderlhf_tui.widgets.comments_panel import CommentEntry, CommentsPanel
from coderlhf_tui.workbench import line_comments

if TYPE_CHECKING:
    from coderlhf_tui.screens.repo_pair_ranked import StoredRepoRankScreen


def refresh(screen: StoredRepoRankScreen, note: str = "") -> None:
    """Markers on the two patches shown, every patch's comments in the panel."""
    draft = screen.draft
    for pane_side, key in zip("ab", screen.shown_keys, strict=True):
        marks = line_comments.marked_lines(line_comments.comments_of(draft, key))
        screen.query_one(f"#patch-{pane_side}", CodePane).set_comment_marks(pane_side, marks)
    entries = [
        CommentEntry(comment, draft.label(key))
        for key in draft.shown_order
        for comment in line_comments.comments_of(draft, key)  # type: ignore[arg-type]
    ]
    screen.query_one(CommentsPanel).show(entries, note)


def request(screen: StoredRepoRankScreen, message: CommentRequested) -> None:
    """A range of patch lines was marked: ask for the critique, then add it."""
    draft, task = screen.draft, screen.store_task
    key = screen.shown_keys[0 if message.side == "a" else 1]
    start, end = message.start_line, message.end_line
    comment_actions.ask_for_comment(
        screen,
        comment_actions.range_label(f"{draft.label(key)} patch line", start, end),
        task.response(key).code,
        start,
        end,
        lambda fields: line_comments.add_to(draft, task, key, start, end, fields),
        lambda note: _saved(screen, note),
    )


def judge(screen: StoredRepoRankScreen, message: FindingsJudged) -> None:
    """The annotator's verdict on the findings of a patch line."""
    key = screen.shown_keys[0 if message.side == "a" else 1]
    category = screen.session.rubric.finding_category
    line_comments.judge_on(
        screen.draft, screen.store_task, key, message.findings, message.verdict, category
    )
    _saved(screen, comment_actions.findings_note(len(message.findings), message.verdict))


def chosen(screen: StoredRepoRankScreen, message: CommentsPanel.Chosen) -> None:
    """Edit or delete the comment chosen in the panel, or bring its patch into the left
    pane with the cursor on it."""
    draft = screen.draft
    comment = line_comments.find(draft, message.comment_id)
    if comment is None:
        return
    where = f"{draft.label(comment.response)} patch line {comment.start_line}"
    if not comment_actions.delete_or_edit(
        screen, draft, comment, message.action, where, lambda note: _saved(screen, note)
    ):
        if comment.response != screen.shown_keys[0]:
            screen.action_show(draft.shown_order.index(comment.response) + 1)
        comment_actions.pane_cursor_to(
            screen, screen.query_one("#patch-a", CodePane), comment.start_line
        )


def _saved(screen: StoredRepoRankScreen, note: str) -> None:
    screen.save_now()
    refresh(screen, note)  # the note in the panel's title, not a toast (comments_panel.py)
