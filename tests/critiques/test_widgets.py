"""The comment widgets on their own, in a real Textual app: marking a range in a code pane
and in the diff view, the markers and jumps, the comment dialog, the comments panel."""

from __future__ import annotations

import asyncio
import gc
from dataclasses import replace
from typing import Any

from rich.color import Color
from rich.segment import Segment
from textual import events
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.geometry import Region
from textual.message import Message
from textual.widgets import TextArea

from coderlhf_tui.critiques import CommentFields, new_comment
from coderlhf_tui.domain import Finding, FindingVerdict, Severity
from coderlhf_tui.rubric import load_rubric
from coderlhf_tui.widgets import comment_gc
from coderlhf_tui.widgets.code_pane import CodePane
from coderlhf_tui.widgets.comment_editor import CommentEditor
from coderlhf_tui.widgets.comment_head import CommentHead
from coderlhf_tui.widgets.comment_marks import (
    MARKING_HINT,
    NOTE,
    CommentRequested,
    FindingsJudged,
)
from coderlhf_tui.widgets.comments_panel import CommentEntry, CommentsPanel, entry_text
from coderlhf_tui.widgets.diff_view import DiffView

CODE = "\n".join(f"x{i} = {i}" for i in range(1, 21))
OTHER = CODE.replace("x5 = 5", "x5 = 50")
FINDING = Finding("py.x", "CWE-1", "t", Severity.HIGH, 4, 4, "bad")


class Harness(App[None]):
    """A code pane, a diff view and a comments panel; records the messages they post."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[Message] = []

    def compose(self) -> ComposeResult:
        yield CodePane(id="code-left")
        yield DiffView(id="diff")
        yield CommentsPanel(id="comments")
        yield CommentEditor(load_rubric().comment_categories)

    def on_mount(self) -> None:
        self.screen.hosts_comments = True  # type: ignore[attr-defined]  # as the pair screen
        self.query_one(CodePane).show("python", CODE, [FINDING])
        self.query_one(DiffView).show("python", CODE, OTHER, [], [FINDING])

    def on_comment_requested(self, message: CommentRequested) -> None:
        self.seen.append(message)

    def on_findings_judged(self, message: FindingsJudged) -> None:
        self.seen.append(message)

    def on_comments_panel_chosen(self, message: CommentsPanel.Chosen) -> None:
        self.seen.append(message)

    def on_text_area_changed(self, message: TextArea.Changed) -> None:
        self.seen.append(message)

    def on_text_area_selection_changed(self, message: TextArea.SelectionChanged) -> None:
        self.seen.append(message)


def run(coro: Any) -> None:
    asyncio.run(coro)


def test_marking_a_range_in_a_pane_and_in_the_diff() -> None:
    async def scenario() -> None:
        app = Harness()
        async with app.run_test(size=(100, 40)) as pilot:
            pane = app.query_one(CodePane)
            pane.focus()
            await pilot.press("j", "m", "j", "j", "m")
            await pilot.pause()
            request = app.seen.pop()
            assert isinstance(request, CommentRequested)
            assert (request.side, request.start_line, request.end_line) == ("left", 2, 4)
            await pilot.press("m", "escape", "m")  # escape stops; m starts again
            assert pane.mark_anchor == pane.cursor and not app.seen
            await pilot.press("escape")
            await pilot.press("down", "down", "down")  # to line 7, then the finding's line
            await pilot.press("up", "up", "up", "plus")
            await pilot.pause()
            judged = app.seen.pop()
            assert isinstance(judged, FindingsJudged)
            assert judged.verdict is FindingVerdict.AGREE and judged.findings == (FINDING,)
            made = new_comment(CODE, "a", 9, 10, "style", Severity.HIGH)
            pane.set_comment_marks("left", {9: made, 10: made})
            await pilot.press("home", "n")
            assert pane.cursor == 8
            assert NOTE in "".join(s.text for s in pane.render_line(8 - int(pane.scroll_y)))
            diff = app.query_one(DiffView)
            diff.focus()
            await pilot.press("home", "j", "j", "M", "j", "j", "M")
            await pilot.pause()
            right = app.seen.pop()
            assert isinstance(right, CommentRequested)
            assert (right.side, right.start_line, right.end_line) == ("right", 3, 5)
            await pilot.press("minus")  # line 5 has no finding: a notice, no message
            await pilot.press("up", "minus")
            await pilot.pause()
            disputed = app.seen.pop()
            assert isinstance(disputed, FindingsJudged) and disputed.side == "right"
            assert disputed.verdict is FindingVerdict.DISPUTE

    run(scenario())


def test_marking_is_off_where_no_screen_hosts_comments() -> None:
    async def scenario() -> None:
        app = Harness()
        async with app.run_test(size=(100, 40)) as pilot:
            app.screen.hosts_comments = False  # type: ignore[attr-defined]  # as the lead's
            pane = app.query_one(CodePane)
            pane.focus()
            await pilot.press("m", "j", "m", "plus")
            await pilot.pause()
            assert pane.mark_anchor is None and not app.seen
            made = new_comment(CODE, "a", 9, 9, "style", Severity.HIGH)
            pane.set_comment_marks("left", {9: made})
            await pilot.press("home", "n")
            assert pane.cursor == 8  # jumping still works

    run(scenario())


def test_comment_editor_from_the_keyboard() -> None:
    results: list[CommentFields | None] = []

    async def scenario() -> None:
        app = Harness()
        async with app.run_test(size=(100, 40)) as pilot:
            pane = app.query_one(CodePane)
            pane.focus()
            await pilot.pause()
            editor = app.query_one(CommentEditor)
            assert not editor.is_open
            editor.open("Left 3-5", "x3 = 3", results.append)
            await pilot.pause()
            assert editor.is_open and app.focused is not None and app.focused.id == "comment-text"
            await pilot.press("down", "shift+up", "pageup", "down", "up")
            await pilot.press(*"no lock")
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert not editor.is_open and app.focused is pane  # focus goes back
            initial = CommentFields("security", Severity.LOW, "old")
            editor.open("Left 3", "", results.append, initial)
            await pilot.pause()
            assert editor.fields() == initial
            await pilot.press("escape")
            await pilot.pause()

    run(scenario())
    assert results == [CommentFields("edge_case", Severity.CRITICAL, "no lock"), None]


def test_comments_panel_lists_and_chooses() -> None:
    async def scenario() -> None:
        app = Harness()
        async with app.run_test(size=(100, 40)) as pilot:
            panel = app.query_one(CommentsPanel)
            first = new_comment(CODE, "a", 2, 3, "edge_case", Severity.HIGH, "first")
            second = new_comment(CODE, "b", 7, 7, "style", Severity.LOW, "second")
            panel.show([CommentEntry(first, "Left"), CommentEntry(second, "Right")])
            panel.focus()
            await pilot.press("down", "e", "up", "enter", "delete")
            await pilot.pause()
            chosen = [
                (m.comment_id, m.action) for m in app.seen if isinstance(m, CommentsPanel.Chosen)
            ]
            assert chosen == [(second.id, "edit"), (first.id, "jump"), (first.id, "delete")]
            assert panel.comment_count == 2

    run(scenario())


def test_relisting_keeps_the_rows_of_unchanged_comments_and_shows_every_change() -> None:
    """A save lists every comment again: an unchanged comment keeps its row (its segments
    made once), an edited, added or removed one shows as it now is, in the order given,
    and what the panel draws after repainting only the rows that changed is what drawing
    every row anew gives."""

    async def scenario() -> None:
        app = Harness()
        async with app.run_test(size=(100, 40)) as pilot:
            panel = app.query_one(CommentsPanel)
            notes = [
                new_comment(CODE, "a", n, n + 1, "style", Severity.LOW, f"note {n}")
                for n in range(1, 16, 3)
            ]
            entries = [CommentEntry(note, "Left") for note in notes]
            panel.show(entries)
            await pilot.pause()
            area = Region(0, 0, panel.size.width, panel.size.height)
            kept = dict(panel._segments)  # each entry's segments, made once
            edited = CommentEntry(replace(notes[2], text="now a longer note"), "Left")
            added = CommentEntry(
                new_comment(CODE, "b", 4, 4, "edge_case", Severity.HIGH, "+"), "Right"
            )
            after = [entries[0], added, entries[1], edited, entries[4]]
            panel.show(after)
            await pilot.pause()
            assert [e.comment.id for e in panel.entries] == [e.comment.id for e in after]
            assert all(panel._segments[e] is kept[e] for e in (entries[0], entries[1], entries[4]))
            drawn = list(panel.render_lines(area))
            panel.notify_style_update()  # every row drawn anew, nothing kept
            panel.refresh()
            assert drawn == list(panel.render_lines(area))
            texts = [strip.text for strip in drawn[1 : 1 + len(after)]]
            for text, entry in zip(texts, after, strict=True):
                assert str(entry_text(entry))[:60] in text
            panel.show([])
            await pilot.pause()
            assert panel.comment_count == 0 and panel.highlighted is None
            assert not [s for s in panel.render_lines(area) if "note" in s.text or "+" in s.text]
            assert panel._segments == {}  # nothing kept for comments no longer listed
            panel.show(after)  # listed again: the same rows
            assert [s.text for s in panel.render_lines(area)] == [s.text for s in drawn]

    run(scenario())


def test_the_panel_scrolls_with_its_highlight_and_takes_a_click() -> None:
    """Twenty comments in a six-row panel: the highlight moves with the cursor keys and
    the list scrolls to keep it in view; a click on a comment jumps to it; the scrollbar
    follows the list's length (set without a layout of the screen)."""

    async def scenario() -> None:
        app = Harness()
        async with app.run_test(size=(100, 40)) as pilot:
            panel = app.query_one(CommentsPanel)
            notes = [
                new_comment(CODE, "a", n, n, "style", Severity.LOW, f"note {n}")
                for n in range(1, 21)
            ]
            panel.show([CommentEntry(note, "Left") for note in notes])
            panel.focus()
            await pilot.pause()
            await pilot.press("end")
            await pilot.pause()
            assert panel.highlighted == 19 and panel.scroll_y == 20 - 6
            await pilot.press("home", "down", "down")
            await pilot.pause()
            assert panel.highlighted == 2 and panel.scroll_y == 0
            await pilot.click(CommentsPanel, offset=(4, 4))  # the fourth row
            await pilot.pause()
            chosen = [m for m in app.seen if isinstance(m, CommentsPanel.Chosen)]
            assert [(m.comment_id, m.action) for m in chosen] == [(notes[3].id, "jump")]
            assert panel.highlighted == 3
            assert panel.show_vertical_scrollbar  # its scrollbar follows the list's length
            assert panel.vertical_scrollbar.window_virtual_size == 20
            panel.show([CommentEntry(note, "Left") for note in notes[:3]])
            await pilot.pause()
            assert not panel.show_vertical_scrollbar and panel.highlighted == 2
            panel.show([CommentEntry(note, "Left") for note in notes[:12]])
            await pilot.pause()
            assert panel.show_vertical_scrollbar
            assert panel.vertical_scrollbar.window_virtual_size == 12

    run(scenario())


class CountingPane(CodePane):
    """A code pane that records which rows it draws (the real pane, counted)."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.drawn: list[int] = []

    def render_row(self, row: int, width: int, scroll_x: int, cursor: bool) -> list[Segment]:
        self.drawn.append(row)
        return super().render_row(row, width, scroll_x, cursor)


class PaneAndEditor(App[None]):
    """One counting pane and the comment editor, as the pair screen holds them."""

    def compose(self) -> ComposeResult:
        yield CommentEditor(load_rubric().comment_categories)
        yield CountingPane(id="code-left")

    def on_mount(self) -> None:
        self.screen.hosts_comments = True  # type: ignore[attr-defined]
        self.query_one(CodePane).show("python", CODE, [])


def test_comment_keys_redraw_only_the_rows_that_changed_and_hold_the_collector() -> None:
    """A saved comment redraws its own gutter rows, opening the editor redraws none of
    the pane (focus shows on the cursor row alone), and the cyclic collector is held off
    from the first ``m`` until shortly after the save."""

    async def scenario() -> None:
        app = PaneAndEditor()
        async with app.run_test(size=(100, 30)) as pilot:
            pane = app.query_one(CountingPane)
            pane.focus()
            await pilot.pause()
            made = new_comment(CODE, "a", 3, 4, "style", Severity.HIGH)
            pane.drawn.clear()
            pane.set_comment_marks("left", {3: made, 4: made})
            await pilot.pause()
            assert sorted(pane.drawn) == [2, 3]
            assert NOTE in "".join(s.text for s in pane.render_line(2))
            pane.set_comment_marks("left", {4: made})
            await pilot.pause()
            assert NOTE not in "".join(s.text for s in pane.render_line(2))
            assert NOTE in "".join(s.text for s in pane.render_line(3))
            assert gc.isenabled()
            await pilot.press("m")
            assert not gc.isenabled()  # held from the first m
            await pilot.press("j", "m")  # the range is marked; the editor opens at once
            pane.drawn.clear()
            app.query_one(CommentEditor).open("Left 1-2", "x1 = 1", lambda fields: None)
            await pilot.pause()
            assert app.focused is not pane and pane.drawn == [pane.cursor]
            await pilot.press("ctrl+s")  # resumes RESUME_AFTER_S later (when idle)
            await pilot.pause(comment_gc.RESUME_AFTER_S + 0.3)
            assert gc.isenabled() and not comment_gc.holding()

    run(scenario())


def test_scrollbars_follow_new_rows_though_layouts_leave_them_alone() -> None:
    """Line views skip Textual's scrollbar refresh on every layout; the scrollbars must
    still follow a file of another length."""

    async def scenario() -> None:
        app = PaneAndEditor()
        async with app.run_test(size=(100, 30)) as pilot:
            pane = app.query_one(CountingPane)
            for rows in (200, 10, 120):
                pane.show("python", "\n".join(f"x{i} = {i}" for i in range(rows)), [])
                await pilot.pause()
                assert pane.show_vertical_scrollbar is (rows > pane.size.height)
                if rows > pane.size.height:
                    assert pane.vertical_scrollbar.window_virtual_size == rows

    run(scenario())


def test_the_editor_head_repaints_what_changed_and_takes_a_click() -> None:
    """The editor's head (title, quote, both columns, help) is one widget: a category or
    severity key moves the highlight and the help, and what it draws then, from its kept
    rows, is what drawing every row anew gives; a click on an option chooses it."""

    async def scenario() -> None:
        app = Harness()
        async with app.run_test(size=(100, 40)) as pilot:
            editor = app.query_one(CommentEditor)
            head = editor.query_one(CommentHead)
            categories = load_rubric().comment_categories
            names, helps = list(categories), list(categories.values())
            editor.open("Left 1", "x1 = 1\nx2 = 2", lambda fields: None)
            await pilot.pause()
            area = Region(0, 0, head.size.width, head.size.height)
            height = head.size.height

            def texts() -> list[str]:
                return [strip.text.rstrip() for strip in head.render_lines(area)]

            first = texts()
            assert first[0] == "Comment on Left 1" and first[1] == "x1 = 1"
            assert names[0] in first[4] and "medium" in "".join(first).lower()
            assert any(helps[0][:40] in line for line in first)
            for keys in ("down", "shift+up"):  # the next category, a higher severity
                await pilot.press(keys, keys)
                await pilot.pause()
                drawn = list(head.render_lines(area))
                head.notify_style_update()  # every row drawn again, nothing kept
                head.refresh()
                assert drawn == list(head.render_lines(area))
            assert editor.fields().category == names[2]
            assert editor.fields().severity == Severity.CRITICAL
            assert any(helps[2][:40] in line for line in texts())
            assert head.size.height == height  # no help or choice changes the height
            await pilot.click(CommentHead, offset=(2, 4))  # the first category
            await pilot.click(CommentHead, offset=(head.size.width - 3, 4))  # the first severity
            assert editor.fields().category == names[0]
            assert editor.fields().severity == Severity.INFO  # the first shown
            await pilot.click(CommentHead, offset=(2, 1))  # the quote: no choice
            assert editor.fields().category == names[0]

    run(scenario())


def test_the_comment_text_announces_nothing_and_follows_a_theme_change() -> None:
    """The editor's text area posts no ``Changed`` or ``SelectionChanged`` (nothing reads
    them before the save) and works its theme's styles out once per style change, not
    per repaint: after a change of theme, or a restyle that changes its background, it
    draws in the new colours."""

    class Restyled(Harness):
        CSS = "#comment-body.alarm TextArea { background: red; }"

    async def scenario() -> None:
        app = Restyled()
        async with app.run_test(size=(100, 40)) as pilot:
            editor = app.query_one(CommentEditor)
            text = editor.query_one(TextArea)
            editor.open("Left 1", "x1 = 1", lambda fields: None)
            await pilot.pause()
            await pilot.press(*"no lock")
            await pilot.pause()
            assert text.text == "no lock" and editor.fields().text == "no lock"
            assert not [m for m in app.seen if isinstance(m, TextArea.Changed)]
            assert not [m for m in app.seen if isinstance(m, TextArea.SelectionChanged)]
            before = text.rich_style.bgcolor
            theme = text._theme  # TextArea's own theme object, the one its lines use
            assert theme.base_style is not None and theme.base_style.bgcolor == before
            app.theme = "textual-light" if app.current_theme.dark else "textual-dark"
            await pilot.pause()
            await pilot.press("x")  # a repaint after the change
            await pilot.pause()
            after = text.rich_style.bgcolor
            assert after != before and text._theme.base_style is not None
            assert text._theme.base_style.bgcolor == after
            editor.query_one("#comment-body").add_class("alarm")  # a restyle, same theme
            await pilot.pause()
            await pilot.press("y")
            await pilot.pause()
            red = Color.parse("#ff0000")
            assert text.rich_style.bgcolor == text._theme.base_style.bgcolor == red

    run(scenario())


class FocusRecorder:
    """Records the focus messages reaching a node."""

    seen: list[str]

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.seen.append(f"focus {event.widget.id}")

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self.seen.append(f"blur {event.widget.id}")


class Box(FocusRecorder, Vertical):
    """A container between the widgets and their screen."""

    def __init__(self) -> None:
        super().__init__(id="box")
        self.seen = []


class BoxedPaneAndEditor(FocusRecorder, App[None]):
    """A code pane and the comment editor inside a container, as on the pair screen."""

    def __init__(self) -> None:
        super().__init__()
        self.seen = []

    def compose(self) -> ComposeResult:
        with Box():
            yield CodePane(id="code-left")
            yield CommentEditor(load_rubric().comment_categories)

    def on_mount(self) -> None:
        self.query_one(CodePane).show("python", CODE, [])


def test_focus_changes_of_the_comment_keys_go_to_the_screen_not_the_containers() -> None:
    """The code pane and the comment text tell their screen (and so the app) that they
    took or lost the focus, without the trip through the containers between."""

    async def scenario() -> None:
        app = BoxedPaneAndEditor()
        async with app.run_test(size=(100, 30)) as pilot:
            pane = app.query_one(CodePane)
            pane.focus()
            await pilot.pause()
            app.query_one(CommentEditor).open("Left 1", "x1 = 1", lambda fields: None)
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            assert app.focused is pane
            assert sorted(app.seen) == [
                "blur code-left",
                "blur comment-text",
                "focus code-left",
                "focus code-left",
                "focus comment-text",
            ]
            assert app.query_one(Box).seen == []

    run(scenario())


def test_the_marking_hint_is_shown_at_the_first_marking_only() -> None:
    """The first ``m`` of a session says how marking goes, in a toast; later ones do not
    (the footer shows the keys), so no toast is mounted and taken down on the comment
    keys."""

    async def scenario() -> None:
        app = Harness()
        async with app.run_test(size=(100, 40)) as pilot:
            app.query_one(CodePane).focus()
            await pilot.pause()
            for _ in range(3):
                await pilot.press("m", "escape")
                await pilot.pause()
            hints = [n for n in app._notifications if n.message == MARKING_HINT]
            assert len(hints) == 1

    run(scenario())
