"""Every key binding of the app, with a stable id, and the user's remapping of them.

The bindings are plain data here (no Textual) so the help screen, the command palette,
docs/app.md and the config validation all read one list. A user remaps a binding by id
in the ``keys`` section of the config file::

    keys:
      pair.tests: ctrl+r          # one key
      pair.next: "],ctrl+n"       # several, comma separated

An unknown id or an empty key string is a ConfigError naming the file and the id; so is a
key that would answer two bindings in one place (the second would silently never run).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from coderlhf_tui import config


@dataclass(frozen=True, slots=True)
class KeySpec:
    """One binding: where it applies, its default keys, and what it does."""

    id: str
    keys: str
    action: str
    description: str
    show: bool = True
    priority: bool = False

    @property
    def scope(self) -> str:
        """The part of the app it belongs to: the id up to the first dot."""
        return self.id.split(".", 1)[0]


SCOPES: dict[str, str] = {
    "app": "Everywhere",
    "queue": "Queue screen",
    "pair": "Pair screen",
    "code": "Code and diff panes",
    "score": "Score card (focused)",
    "preference": "Preference bar (focused)",
    "lead": "Lead screen",
    "ranking": "Ranking screen (3-8 responses)",
    "repo": "Repository view (two patches, workspace)",
    "repo_open": "Repository view (coderlhf repo open)",
    "dialog": "Dialogs",
    "comment": "Line comments (code and diff panes)",
    "comments": "Comments panel (focused)",
    "comment_dialog": "Comment dialog",
}
"""Scope id -> the heading the help screen and docs use."""

SPECS: tuple[KeySpec, ...] = (
    KeySpec("app.quit", "ctrl+q", "quit", "Quit (saves first)", priority=True),
    KeySpec("app.help", "f1,question_mark", "help", "Help: every binding"),
    KeySpec("app.theme", "ctrl+t", "change_theme", "Choose a theme"),
    KeySpec("app.lead", "ctrl+l", "lead", "Lead screen"),
    KeySpec("app.sync", "ctrl+y", "sync_now", "Sync now"),
    KeySpec("queue.open", "enter", "open_selected", "Open task"),
    KeySpec("queue.next", "n", "open_next", "Next unfinished task"),
    KeySpec("queue.search", "slash", "search", "Search"),
    KeySpec("queue.language", "l", "cycle_language", "Language filter"),
    KeySpec("queue.status", "s", "cycle_status", "Status filter"),
    KeySpec("queue.clear", "c", "clear_filters", "Clear filters"),
    KeySpec("queue.refresh", "r", "refresh", "Refresh", show=False),
    KeySpec("pair.back", "escape", "back", "Queue"),
    KeySpec("pair.tests", "t", "run_tests", "Run tests"),
    KeySpec("pair.scan", "x", "run_scan", "Scan"),
    KeySpec("pair.diff", "d", "toggle_diff", "Diff"),
    KeySpec("pair.submit", "ctrl+s", "submit", "Submit"),
    KeySpec("pair.next", "right_square_bracket", "next_pair", "Next pair"),
    KeySpec("pair.prev", "left_square_bracket", "prev_pair", "Previous pair"),
    KeySpec("pair.view", "v", "cycle_view", "Left/right/score tab"),
    KeySpec("pair.scores", "s", "focus_scores", "Score cards"),
    KeySpec("pair.preference", "p", "focus_preference", "Preference"),
    KeySpec("pair.rationale", "r", "focus_rationale", "Rationale"),
    KeySpec("pair.tags", "g", "focus_tags", "Tags"),
    KeySpec("pair.code", "c", "focus_code", "Code"),
    KeySpec("pair.prompt", "o", "show_prompt", "Whole prompt"),
    KeySpec("pair.output", "u", "show_output", "Test output"),
    KeySpec("pair.comments", "i", "focus_comments", "Comments", show=False),
    KeySpec("code.up", "up,k", "cursor(-1)", "Line up", show=False),
    KeySpec("code.down", "down,j", "cursor(1)", "Line down", show=False),
    KeySpec("code.page_up", "pageup", "page(-1)", "Page up", show=False),
    KeySpec("code.page_down", "pagedown,space", "page(1)", "Page down", show=False),
    KeySpec("code.top", "home", "cursor_to(0)", "First line", show=False),
    KeySpec("code.bottom", "end", "cursor_to(-1)", "Last line", show=False),
    KeySpec("code.left", "left,h", "pan(-8)", "Scroll left", show=False),
    KeySpec("code.right", "right,l", "pan(8)", "Scroll right", show=False),
    KeySpec("code.next_finding", "f", "finding(1)", "Next finding"),
    KeySpec("code.prev_finding", "F", "finding(-1)", "Previous finding", show=False),
    KeySpec("code.follow_flow", "w", "follow_flow", "Follow the data flow", show=False),
    KeySpec("code.next_change", "period", "change(1)", "Next change (diff)", show=False),
    KeySpec("code.prev_change", "comma", "change(-1)", "Previous change (diff)", show=False),
    KeySpec("score.up", "up,k", "move(-1)", "Previous dimension", show=False),
    KeySpec("score.down", "down,j", "move(1)", "Next dimension", show=False),
    *(
        KeySpec(f"score.level_{n}", str(n), f"set_level({n})", f"Level {n}", show=n == 1)
        for n in range(10)
    ),
    KeySpec("score.clear", "backspace,delete", "set_level(-1)", "Clear level", show=False),
    KeySpec("preference.left", "left,h", "step(-1)", "Toward left"),
    KeySpec("preference.right", "right,l", "step(1)", "Toward right"),
    *(
        KeySpec(f"preference.level_{n}", str(n), f"choose({n})", f"Level {n} of 5", show=False)
        for n in range(1, 6)
    ),
    KeySpec("preference.clear", "backspace,delete", "choose(0)", "Clear", show=False),
    KeySpec("ranking.back", "escape", "back", "Queue"),
    *(
        KeySpec(f"ranking.show_{n}", str(n), f"show({n})", f"Show #{n}", show=n == 1)
        for n in range(1, 9)
    ),
    KeySpec("ranking.up", "K,shift+up", "move(-1)", "Rank up"),
    KeySpec("ranking.down", "J,shift+down", "move(1)", "Rank down"),
    KeySpec("ranking.tie", "equals_sign", "tie", "Tie with above"),
    KeySpec("ranking.untie", "u", "untie", "Untie"),
    KeySpec("ranking.pin", "c", "pin", "Pin to compare"),
    KeySpec("ranking.diff", "d", "toggle_diff", "Diff with pinned"),
    KeySpec("ranking.tests", "t", "run_tests", "Test all"),
    KeySpec("ranking.scan", "x", "run_scan", "Scan all"),
    KeySpec("ranking.submit", "ctrl+s", "submit", "Submit"),
    KeySpec("ranking.scores", "s", "focus_scores", "Scores"),
    KeySpec("ranking.rationale", "r", "focus_rationale", "Rationale", show=False),
    KeySpec("ranking.tags", "g", "focus_tags", "Tags", show=False),
    KeySpec("ranking.code", "v", "focus_code", "Code", show=False),
    KeySpec("ranking.comments", "i", "focus_comments", "Comments", show=False),
    KeySpec("ranking.prompt", "o", "show_prompt", "Whole prompt", show=False),
    KeySpec("ranking.next", "right_square_bracket", "next_task", "Next task", show=False),
    KeySpec("ranking.prev", "left_square_bracket", "prev_task", "Previous task", show=False),
    KeySpec("repo.back", "escape", "back", "Queue"),
    KeySpec("repo.tests", "t", "run_tests", "Run both patches' tests"),
    KeySpec("repo.scores", "s", "focus_scores", "Score cards"),
    KeySpec("repo.preference", "p", "focus_preference", "Preference"),
    KeySpec("repo.rationale", "r", "focus_rationale", "Rationale"),
    KeySpec("repo.comments", "i", "focus_comments", "Comments", show=False),
    KeySpec("repo.prefer_a", "1", "prefer('a')", "Prefer left", show=False),
    KeySpec("repo.prefer_b", "2", "prefer('b')", "Prefer right", show=False),
    KeySpec("repo.tie", "equals_sign", "prefer('tie')", "Tie", show=False),
    KeySpec("repo.submit", "ctrl+s", "submit", "Submit"),
    KeySpec("repo.next", "right_square_bracket", "next_task", "Next task"),
    KeySpec("repo.prev", "left_square_bracket", "prev_task", "Previous task"),
    KeySpec("repo_open.tests", "r", "run_tests", "Run both patches' tests"),
    KeySpec("repo_open.prefer_a", "1", "prefer('a')", "Prefer A"),
    KeySpec("repo_open.prefer_b", "2", "prefer('b')", "Prefer B"),
    KeySpec("repo_open.tie", "equals_sign", "prefer('tie')", "Tie"),
    KeySpec("repo_open.save", "ctrl+s", "save", "Save"),
    KeySpec("lead.back", "escape", "back", "Back"),
    KeySpec("lead.adjudicate", "j", "adjudicate", "Adjudicate"),
    KeySpec("lead.send_back", "b", "send_back", "Send back"),
    KeySpec("lead.language", "l", "cycle_language", "Language"),
    KeySpec("lead.dimension", "m", "cycle_dimension", "Dimension"),
    KeySpec("lead.annotator", "a", "cycle_annotator", "Annotator"),
    KeySpec("lead.clear", "c", "clear_filters", "Clear filters"),
    KeySpec("lead.settled", "h", "toggle_settled", "Hide/show settled"),
    KeySpec("lead.spot_check", "s", "spot_check", "Spot-check"),
    KeySpec("lead.disputes", "d", "disputes", "Disputes"),
    KeySpec("lead.refresh", "r", "refresh", "Refresh"),
    *(
        KeySpec(f"lead.show_{n}", str(n), f"show_response({n})", f"Show response {n}", show=False)
        for n in range(1, 9)
    ),
    KeySpec("lead.wide", "z", "toggle_table", "Hide/show the queue (wide code)", show=False),
    KeySpec("dialog.confirm", "y", "confirm", "Yes"),
    KeySpec("dialog.cancel", "escape,n", "cancel", "No / close"),
    KeySpec("comment.mark", "m", "mark(0)", "Mark lines / comment", show=False),
    KeySpec("comment.mark_right", "M", "mark(1)", "Mark right side (diff)", show=False),
    KeySpec("comment.stop", "escape", "stop_marking", "Stop marking", show=False),
    KeySpec("comment.next", "n", "jump_comment(1)", "Next comment", show=False),
    KeySpec("comment.prev", "N", "jump_comment(-1)", "Previous comment", show=False),
    KeySpec("comment.accept", "plus", "judge('agree')", "Accept finding", show=False),
    KeySpec("comment.dispute", "minus", "judge('dispute')", "Dispute finding", show=False),
    KeySpec("comments.jump", "enter", "jump", "Go to comment"),
    KeySpec("comments.edit", "e", "edit", "Edit comment"),
    KeySpec("comments.delete", "delete,backspace", "delete", "Delete comment"),
    KeySpec("comment_dialog.category_next", "down", "category(1)", "Next category", priority=True),
    KeySpec(
        "comment_dialog.category_prev", "up", "category(-1)", "Previous category", priority=True
    ),
    KeySpec(
        "comment_dialog.severity_up", "shift+up,pageup", "severity(1)", "More severe", priority=True
    ),
    KeySpec(
        "comment_dialog.severity_down",
        "shift+down,pagedown",
        "severity(-1)",
        "Less severe",
        priority=True,
    ),
    KeySpec("comment_dialog.save", "ctrl+s", "save", "Save comment"),
    KeySpec("comment_dialog.cancel", "escape", "cancel", "Cancel", priority=True),
)
"""Every binding, in the order the help screen lists them."""

SPEC_BY_ID: dict[str, KeySpec] = {spec.id: spec for spec in SPECS}

SHARED_NODES: tuple[frozenset[str], ...] = (frozenset({"code", "comment"}),)
"""Scopes whose bindings sit on one widget (the code panes carry both), so their keys must
differ too. The ``app`` scope answers everywhere, so no scope may reuse its keys."""


def specs_for(scope: str) -> list[KeySpec]:
    """The bindings of one scope, in order."""
    return [spec for spec in SPECS if spec.scope == scope]


def load_keymap(path: Path | None = None) -> dict[str, str]:
    """The user's remapping (binding id -> keys) from the config's ``keys`` section."""
    where = path or config.config_path()
    raw = config.section("keys", path)
    keymap: dict[str, str] = {}
    for binding_id, keys in raw.items():
        if binding_id not in SPEC_BY_ID:
            raise config.ConfigError(
                f"{where}: keys.{binding_id}: unknown binding id"
                " (the help screen and docs/app.md list them)"
            )
        if not isinstance(keys, str) or not keys.strip():
            raise config.ConfigError(f"{where}: keys.{binding_id}: expected a key such as ctrl+t")
        keymap[binding_id] = ",".join(part.strip() for part in keys.split(",") if part.strip())
    conflicts = key_conflicts(keymap)
    if conflicts:
        raise config.ConfigError(
            f"{where}: keys: a key may answer one binding only; " + "; ".join(conflicts)
        )
    return keymap


def _answering_with(scope: str) -> set[str]:
    """The scopes whose bindings answer a key where ``scope``'s bindings do."""
    together = {scope, "app"}
    for group in SHARED_NODES:
        if scope in group:
            together |= group
    return together


def key_conflicts(keymap: dict[str, str]) -> list[str]:
    """Every key that two bindings answering in one place would share after ``keymap``."""
    found: dict[tuple[str, tuple[str, ...]], str] = {}
    for scope, heading in SCOPES.items():
        together = _answering_with(scope)
        holders: dict[str, list[str]] = {}
        for spec in SPECS:
            if spec.scope in together:
                for key in dict.fromkeys(effective_keys(spec, keymap).split(",")):
                    holders.setdefault(key, []).append(spec.id)
        for key, ids in holders.items():
            if len(ids) > 1 and (key, tuple(ids)) not in found:
                found[(key, tuple(ids))] = (
                    f"{key!r} is bound to {' and '.join(ids)} ({heading.lower()})"
                )
    return list(found.values())


def effective_keys(spec: KeySpec, keymap: dict[str, str]) -> str:
    """The keys a binding answers to after the user's remapping."""
    return keymap.get(spec.id, spec.keys)
