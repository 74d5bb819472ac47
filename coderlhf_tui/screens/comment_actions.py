"""What every screen that hosts line comments does the same way (the pair, ranking and both
repository views): ask for a comment on a marked range, word a verdict on findings, edit or
delete from the panel, and put a cursor on a comment's line.

The screens differ only in how they name a response (a side, a blind label, a patch) and
which pane or draft call a comment goes to; those they pass in.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen

from coderlhf_tui.critiques import CommentFields, quote_of
from coderlhf_tui.domain import FindingVerdict, LineComment
from coderlhf_tui.widgets.code_pane import CodePane
from coderlhf_tui.widgets.comment_editor import CommentEditor
from coderlhf_tui.widgets.diff_view import DiffView
from coderlhf_tui.workbench import line_comments
from coderlhf_tui.workbench.draft import Draft


def range_label(name: str, start: int, end: int) -> str:
    """How the editor and the notices name a marked range: ``name 12`` or ``name 12-14``."""
    return f"{name} {start}" + (f"-{end}" if end != start else "")


def ask_for_comment(
    screen: Screen[None],
    where: str,
    code: str,
    start: int,
    end: int,
    add: Callable[[CommentFields], object],
    saved: Callable[[str], None],
) -> None:
    """Open the editor on lines ``start``..``end`` of ``code``; once answered, ``add`` the
    comment to the draft and hand ``saved`` its note (a cancel changes nothing)."""

    def answered(fields: CommentFields | None) -> None:
        if fields is not None:
            add(fields)
            saved(f"{where} saved")

    screen.query_one(CommentEditor).open(where, quote_of(code, start, end), answered)


def findings_note(count: int, verdict: FindingVerdict) -> str:
    """The note after ``+`` or ``-`` on a line's findings."""
    word = "accepted" if verdict is FindingVerdict.AGREE else "disputed"
    return f"{count} finding{'s' if count != 1 else ''} {word}"


def pane_cursor_to(screen: Screen[None], pane: CodePane, line: int) -> None:
    """Put ``pane``'s cursor on ``line`` (kept inside the file) and focus it."""
    pane.cursor = max(0, min(pane.row_count() - 1, line - 1))
    screen.set_focus(pane)


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
        saved("deleted")
        return True
    if action != "edit":
        return False
    initial = CommentFields(comment.category, comment.severity, comment.text)

    def answered(fields: CommentFields | None) -> None:
        if fields is not None:
            line_comments.edit(draft, comment.id, fields)
            saved("updated")

    screen.query_one(CommentEditor).open(where, comment.quote, answered, initial)
    return True


def diff_cursor_to(diff: DiffView, side_index: int, line: int) -> None:
    """Put the diff's cursor on the row showing ``line`` of side 0 (left) or 1 (right)."""
    for row in range(diff.row_count()):
        if diff.line_numbers(row)[side_index] == line:
            diff.cursor = row
            return
