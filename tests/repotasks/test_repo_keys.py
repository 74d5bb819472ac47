"""The repository views' keys come from the keymap, so help lists them and users remap them."""

from __future__ import annotations

from textual.screen import Screen

from coderlhf_tui.keymap import SPEC_BY_ID
from coderlhf_tui.screens.help import help_lines
from coderlhf_tui.screens.repo_pair import RepoPairScreen
from coderlhf_tui.screens.repo_pair_ranked import StoredRepoRankScreen
from coderlhf_tui.screens.repo_pair_stored import StoredRepoPairScreen


def test_every_repository_binding_has_a_keymap_id() -> None:
    merged_plain = Screen._merge_bindings().key_to_bindings.values()
    textual_own = {(b.key, b.action) for bs in merged_plain for b in bs}
    for screen in (RepoPairScreen, StoredRepoPairScreen, StoredRepoRankScreen):
        merged = screen._merge_bindings().key_to_bindings.values()
        ours = [b for bs in merged for b in bs if (b.key, b.action) not in textual_own]
        assert ours and all(b.id in SPEC_BY_ID for b in ours), screen.__name__


def test_the_help_screen_lists_the_repository_keys() -> None:
    rows = {binding: keys for _, lines in help_lines({}) for keys, _, binding in lines}
    assert rows["repo.tests"] == "t" and rows["repo_open.tests"] == "r"
    remapped = {binding: keys for _, lines in help_lines({"repo.tests": "ctrl+r"})
                for keys, _, binding in lines}  # fmt: skip
    assert remapped["repo.tests"] == "ctrl+r"
