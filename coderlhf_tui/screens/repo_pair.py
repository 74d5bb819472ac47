"""The repository pair view: two patches to one repository, side by side with their tests.

Left, the files the patches touch as a tree (each file marked with the patches that touch
it); right, each patch whole in a code pane of its own (the pair view's, so lines can be
marked and commented where a screen hosts comments), the cursor put on the selected
file's change, and under them the two patches' changes to that file against each other. Below,
the FAIL_TO_PASS / PASS_TO_PASS table per patch with each grade, and the security scan's
findings on the lines each patch adds. ``r`` grades (and scans) both patches, in a worker
thread so the view stays responsive; ``1`` / ``2`` / ``=`` prefer, the rationale goes in
the field at the bottom, ``ctrl+s`` saves.

The screen knows nothing of the store or the engine: its front end hands it the task, a
function that grades one response, one that scans it and one that saves the judgement.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import Any, ClassVar

from rich.syntax import Syntax
from textual import events, work
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static, Tree

from coderlhf_tui.repotasks.patch_anchor import on_patch_lines
from coderlhf_tui.widgets.bindings import bindings_for
from coderlhf_tui.widgets.code_pane import CodePane
from coderlhf_tui.widgets.key_footer import KeyFooter

Grade = Callable[[Any], Any]
"""Grades one response (a PatchResponse) and returns its RepoRun."""
Save = Callable[[dict[str, Any]], None]
Scan = Callable[[Any], dict[str, list[Any]]]
"""Findings (domain.Finding) on the lines one response's patch adds, by file."""

NARROW_BELOW = 140
"""Below this many columns the file tree is hidden, so each patch pane stays readable."""

_FILE_HEADER = re.compile(r"^diff --git a/(\S+) b/\S+$", re.MULTILINE)


def split_by_file(patch: str) -> dict[str, str]:
    """Each touched file's part of a unified git diff."""
    starts = [(m.start(), m[1]) for m in _FILE_HEADER.finditer(patch)]
    parts = {}
    for index, (start, name) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(patch)
        parts[name] = patch[start:end]
    return parts


def fixes_and_breaks(run: Any) -> str:
    """What one patch's run did: how many FAIL_TO_PASS tests it fixes, which PASS_TO_PASS
    tests it breaks (each test named by its last part)."""
    if str(run.grade) == "patch_failed":
        return f"{run.response}: the patch does not apply"
    fixed = sum(outcome == "passed" for outcome in run.fail_to_pass.values())
    broken = [name.rsplit("::", 1)[-1] for name, out in run.pass_to_pass.items()
              if out != "passed"]  # fmt: skip
    breaks = ", ".join(broken) if broken else "nothing"
    return f"{run.response}: fixes {fixed} of {len(run.fail_to_pass)}, breaks {breaks}"


class RepoPairScreen(Screen[None]):
    """Two responses of a repository task; their files, changes, tests and the judgement."""

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("repo_open")
    TESTS_KEY = "r"
    """The key that runs both patches' tests, as the status line names it."""
    DEFAULT_CSS = """
    RepoPairScreen #files { width: 26; }
    RepoPairScreen #patches { height: 3fr; }
    RepoPairScreen .patch { height: 1fr; width: 1fr; border: round $primary; }
    RepoPairScreen #versus { height: 2fr; border: round $secondary; }
    RepoPairScreen #repo-tests { height: 2fr; min-height: 4; }
    RepoPairScreen #fixes { height: auto; }
    RepoPairScreen.-narrow #files { display: none; }
    """

    def __init__(
        self, task: Any, pair: tuple[int, int], grade: Grade, save: Save, scan: Scan | None = None
    ) -> None:
        super().__init__()
        self.scan_response = scan
        self.findings: dict[str, dict[str, list[Any]]] = {}
        """Findings on each graded response's added lines, by response name, then file."""
        self.repo_task = task
        self.responses = (task.responses[pair[0]], task.responses[pair[1]])
        self.graded: tuple[Any, ...] = self.responses
        """The responses ``r`` grades and the tests table shows: the two in the panes here,
        every patch of a ranked task (``repo_pair_ranked.py``)."""
        self.parts = tuple(split_by_file(r.patch) for r in self.responses)
        self.grade_response = grade
        self.save_judgement = save
        self.runs: list[Any] = []
        self.shown: dict[str, str] = {}
        """The text in each pane: ``a``, ``b`` and ``versus``."""
        self.preference = ""
        self.running = False
        self.sync_label = ""
        """The workspace's sync state, shown at the end of the status line once known."""
        self.status_note = ""
        """The note the status line shows after the grades (kept when a sync answer comes)."""

    def compose(self) -> ComposeResult:
        yield from self.compose_overlay()
        with Horizontal():
            yield Tree(self.repo_task.instance_id, id="files")
            with Vertical():
                with Horizontal(id="patches"):
                    for side in "ab":
                        yield CodePane(id=f"patch-{side}", classes="patch")
                with VerticalScroll(id="versus"):
                    yield Static(id="versus-text")
                yield Static("", id="fixes")
                yield DataTable(id="repo-tests")
                yield Static("", id="findings")
            yield from self.compose_judgement()
        yield from self.compose_rationale()
        yield Static("", id="status")
        yield KeyFooter()

    def compose_overlay(self) -> ComposeResult:
        """Floating widgets, first among the children (the comment editor, where hosted)."""
        yield from ()

    def compose_judgement(self) -> ComposeResult:
        """A column right of the tests for the judgement; none here (the preference keys)."""
        yield from ()

    def compose_rationale(self) -> ComposeResult:
        """The rationale field under the view."""
        yield Input(placeholder="rationale", id="rationale")

    def on_resize(self, event: events.Resize) -> None:
        # below NARROW_BELOW columns the file tree gives its width to the patches (the
        # cursor still moves to a file's change with the panes' own keys)
        self.set_class(event.size.width < NARROW_BELOW, "-narrow")

    def on_mount(self) -> None:
        self.set_class(self.size.width < NARROW_BELOW, "-narrow")
        table = self.query_one("#repo-tests", DataTable)
        table.add_columns("kind", "test", *(r.name for r in self.graded))
        self.show_patches()
        self.set_status()

    def show_patches(self) -> None:
        """Draw the two shown responses: the file tree, each patch pane, the first file."""
        tree = self.query_one("#files", Tree)
        tree.clear()
        tree.root.expand()
        names = list(dict.fromkeys([*self.parts[0], *self.parts[1]]))
        for name in names:
            marks = "".join(side for side, part in zip("AB", self.parts, strict=True)
                            if name in part)  # fmt: skip
            tree.root.add_leaf(f"{name} [{marks}]", data=name)
        for side, response in zip("ab", self.responses, strict=True):
            pane = self.query_one(f"#patch-{side}", CodePane)
            pane.border_title = response.name
            pane.show("diff", response.patch, [])
            if response.name in self.findings:
                pane.set_findings(on_patch_lines(response.patch, self.findings[response.name]))
        if names:
            self.show_file(names[0])

    def on_tree_node_selected(self, event: Tree.NodeSelected[str]) -> None:
        if event.node.data:
            self.show_file(event.node.data)

    def show_file(self, name: str) -> None:
        """The file's change in each patch, and the two changes against each other."""
        for side, part, response in zip("ab", self.parts, self.responses, strict=True):
            self.shown[side] = part.get(name, f"(this patch does not touch {name})")
            if name in part:
                pane = self.query_one(f"#patch-{side}", CodePane)
                pane.cursor = response.patch[: response.patch.index(part[name])].count("\n")
        left, right = (part.get(name, "") for part in self.parts)
        names = [r.name for r in self.responses]
        versus = "".join(difflib.unified_diff(
            left.splitlines(keepends=True), right.splitlines(keepends=True), *names
        ))  # fmt: skip
        self.shown["versus"] = versus or "(the same change)"
        self.query_one("#versus-text", Static).update(Syntax(self.shown["versus"], "diff"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "run_tests" and self.running:
            return None
        return True

    def action_run_tests(self) -> None:
        self.running = True
        self.set_status("running both patches' tests in the sandbox ...")
        self.grade_both()

    @work(thread=True, exclusive=True)
    def grade_both(self) -> None:
        runs = [self.grade_response(response) for response in self.graded]
        if self.scan_response is not None:
            self.findings = {r.name: self.scan_response(r) for r in self.graded}
        self.app.call_from_thread(self.show_runs, runs)

    def show_runs(self, runs: list[Any]) -> None:
        self.runs, self.running = runs, False
        lines = [
            f"{name} {path}:{f.start_line} {f.cwe_id} {f.rule_id}"
            for name, by_file in self.findings.items()
            for path, found in by_file.items()
            for f in found
        ]
        scanned = "findings on changed lines: " + ("; ".join(lines) or "none")
        self.query_one("#findings", Static).update(scanned if self.findings else "")
        for side, response in zip("ab", self.responses, strict=True):
            if response.name in self.findings:
                marks = on_patch_lines(response.patch, self.findings[response.name])
                self.query_one(f"#patch-{side}", CodePane).set_findings(marks)
        summary = " · ".join(fixes_and_breaks(run) for run in runs)
        self.query_one("#fixes", Static).update(summary)
        table = self.query_one("#repo-tests", DataTable)
        table.clear()
        table.add_row("grade", "", *(str(run.grade) for run in runs))
        for kind, attribute in (("F2P", "fail_to_pass"), ("P2P", "pass_to_pass")):
            names = dict.fromkeys(n for run in runs for n in getattr(run, attribute))
            for name in names:
                cells = (getattr(run, attribute).get(name, "-") for run in runs)
                table.add_row(kind, name, *cells)
        self.set_status()

    def action_prefer(self, choice: str) -> None:
        self.preference = choice
        self.set_status()

    def action_save(self) -> None:
        names = {"a": self.responses[0].name, "b": self.responses[1].name, "tie": "tie"}
        self.save_judgement({
            "instance_id": self.repo_task.instance_id,
            "responses": [r.name for r in self.responses],
            "preference": names.get(self.preference, ""),
            "rationale": self.query_one("#rationale", Input).value,
            "grades": {run.response: str(run.grade) for run in self.runs},
        })  # fmt: skip
        self.set_status("saved")

    def set_status(self, note: str = "") -> None:
        grades = "  ".join(f"{run.response}: {run.grade}" for run in self.runs)
        grades = grades or f"not run ({self.TESTS_KEY})"
        prefer = self.preference or "none (1 / 2 / =)"
        self.show_status(f"{grades}  |  preference: {prefer}", note)

    def show_status(self, text: str, note: str) -> None:
        """The status line: ``text``, then the note and the sync state when there are."""
        self.status_note = note
        tail = [part for part in (note, self.sync_label and f"sync: {self.sync_label}") if part]
        self.query_one("#status", Static).update("  |  ".join([text, *tail]))

    def show_sync_state(self, label: str) -> None:
        """The sync state on this view's own status line (the workspace views' DraftScreen
        calls this for every sync answer)."""
        self.sync_label = label
        self.set_status(self.status_note)  # a sync answer does not wipe the note shown


class RepoPairApp(App[None]):
    """A front end of its own for one repository pair (``coderlhf repo open``)."""

    def __init__(
        self, task: Any, pair: tuple[int, int], grade: Grade, save: Save, scan: Scan | None = None
    ) -> None:
        super().__init__()
        self.pair_screen = RepoPairScreen(task, pair, grade, save, scan)

    def on_mount(self) -> None:
        self.push_screen(self.pair_screen)
