"""What the comments panel's edit and delete do, and a diff cursor put on a comment's line,
on every screen that hosts line comments (the pair screen and the ranking screen).

The screens differ only in how they name a response (a side, or a blind label) and where
a jump goes; editing and deleting a comment, and finding a line in the diff, are the same.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen

from coderlhf_tui.critiques import CommentFields
from coderlhf_tui.domain import LineComment
from coderlhf_tui.widgets.comment_editor import CommentEditor
from coderlhf_tui.widgets.diff_view import DiffView
from coderlhf_tui.workbench import line_comments
from coderlhf_tui.workbench.draft import Draft


def delete_or_edit(
    screen: Screen[None],
    draft: Draft,
    comment: LineComment,
    action: str,
    where: str,
    saved: Callable[[str], None],
) -> bool:
    """Delete ``comment`` or open the editor on it for the panel's ``action``; ``saved``
    gets the note once the draft changed. False for any other action (a jump)."""
    if action == "delete":
        line_comments.delete(draft, comment.id)
        saved("Comment deleted.")
        return True
    if action != "edit":
        return False
    initial = CommentFields(comment.category, comment.severity, comment.text)

    def answered(fields: CommentFields | None) -> None:
        if fields is not None:
            line_comments.edit(draft, comment.id, fields)
            saved("Comment updated.")

    screen.query_one(CommentEditor).open(where, comment.quote, answered, initial)
    return True


def diff_cursor_to(diff: DiffView, side_index: int, line: int) -> None:
    """Put the diff's cursor on the row showing ``line`` of side 0 (left) or 1 (right)."""
    for row in range(diff.row_count()):
        if diff.line_numbers(row)[side_index] == line:
            diff.cursor = row
            return
