"""The quality data card, carried inside a Hugging Face folder's README.md.

``coderlhf_tui.quality.datacard.build_datacard`` writes the card a buyer reads (annotator
pool, rubric, execution and security tooling, agreement with intervals, thresholds,
edge cases); the ``hf`` format puts it under its own front matter (``hf_card``).
"""

from __future__ import annotations

from coderlhf_tui.quality.datacard import build_datacard
from coderlhf_tui.rubric import Rubric
from coderlhf_tui.store import Store


def quality_card(store: Store, rubric: Rubric, license_id: str) -> str:
    """The markdown data card of the workspace."""
    return build_datacard(store, rubric, license_id=license_id)
