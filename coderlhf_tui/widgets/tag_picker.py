"""The rubric's tags as a checklist (space toggles); the screen stores the selection."""

from __future__ import annotations

from textual.widgets import SelectionList
from textual.widgets.selection_list import Selection

from coderlhf_tui.rubric import Rubric
from coderlhf_tui.widgets.scrollbar_sizing import OwnSizeScrollbars


class TagPicker(OwnSizeScrollbars, SelectionList[str]):
    """Every tag of the rubric, with its description as the tooltip text (its scrollbars
    are not repainted by every layout of the screen: ``scrollbar_sizing``)."""

    DEFAULT_CSS = """
    TagPicker {
        height: auto;
        max-height: 10;
        border: round $foreground 30%;
        border-title-color: $foreground 70%;
        &:focus { border: round $primary; border-title-color: $primary; }
    }
    """

    def __init__(self, rubric: Rubric, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(*(Selection(name, name) for name in rubric.tags), id=id)
        self.rubric = rubric
        self.border_title = "Tags"

    def set_tags(self, tags: list[str]) -> None:
        """Check exactly these tags, without reporting it as a change."""
        with self.prevent(SelectionList.SelectedChanged):
            self.deselect_all()
            for tag in tags:
                if tag in self.rubric.tags:
                    self.select(tag)
