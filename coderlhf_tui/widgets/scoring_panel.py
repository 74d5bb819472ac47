"""The right part of the pair screen: a score card per shown response, the preference bar,
the rationale editor, the rubric's tags and the line comments' panel.

Attributes down: ``show_judgement`` fills every part without any of them reporting a
change. Messages up: ``ScoreCard.Changed``, ``PreferenceBar.Changed``,
``TagPicker.SelectedChanged`` and the editor's ``TextArea.Changed`` bubble on to the screen,
which turns them into draft changes.
"""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import TextArea

from coderlhf_tui.rubric import Rubric
from coderlhf_tui.widgets.comments_panel import CommentsPanel
from coderlhf_tui.widgets.preference_bar import PreferenceBar
from coderlhf_tui.widgets.rationale import RationaleEditor
from coderlhf_tui.widgets.score_card import ScoreCard
from coderlhf_tui.widgets.tag_picker import TagPicker
from coderlhf_tui.workbench.blind import SIDES, Side

TITLE: dict[Side, str] = {"left": "Left scores", "right": "Right scores"}


class ScoringPanel(VerticalScroll):
    """Everything the annotator enters about one pair."""

    def __init__(self, rubric: Rubric, *, id: str | None = None) -> None:  # noqa: A002
        self.rubric = rubric
        super().__init__(
            *(ScoreCard(rubric, side, TITLE[side], id=f"score-{side}") for side in SIDES),
            PreferenceBar(rubric, id="preference"),
            RationaleEditor(rubric.rationale_min_length, id="rationale"),
            TagPicker(rubric, id="tags"),
            CommentsPanel(id="comments"),
            id=id,
        )

    def show_judgement(
        self,
        left: dict[str, int],
        right: dict[str, int],
        preference: int | None,
        rationale: str,
        tags: list[str],
    ) -> None:
        """Show a draft: both sides' levels, the preference (-2 left much better .. +2),
        the rationale and the tags."""
        self.query_one("#score-left", ScoreCard).set_scores(left)
        self.query_one("#score-right", ScoreCard).set_scores(right)
        self.query_one(PreferenceBar).set_ordinal(preference)
        self.query_one(RationaleEditor).set_text(rationale)
        self.query_one(TagPicker).set_tags(tags)

    def focus_scores(self) -> None:
        """Focus the left card, or the right one when the left has focus already."""
        left = self.query_one("#score-left", ScoreCard)
        right = self.query_one("#score-right", ScoreCard)
        self.screen.set_focus(right if left.has_focus else left)

    def focus_preference(self) -> None:
        """Focus the preference bar."""
        self.screen.set_focus(self.query_one(PreferenceBar))

    def focus_rationale(self) -> None:
        """Focus the rationale editor."""
        self.screen.set_focus(self.query_one("#rationale-text", TextArea))

    def focus_tags(self) -> None:
        """Focus the tag list."""
        self.screen.set_focus(self.query_one(TagPicker))
