"""The quality data card, when the quality work provides one, for dataset cards.

``coderlhf_tui.quality.datacard.build_datacard(store, rubric)`` writes the data card
(agreement, label distribution, annotator pool, ...). The export carries it inside a
Hugging Face folder's README.md; until that module exists the card falls back to
``hf_card.default_body``.
"""

from __future__ import annotations

import importlib

from coderlhf_tui.rubric import Rubric
from coderlhf_tui.store import Store

DATACARD_MODULE = "coderlhf_tui.quality.datacard"


def quality_card(store: Store, rubric: Rubric) -> str | None:
    """The markdown data card, or None when the quality module does not provide one."""
    try:
        module = importlib.import_module(DATACARD_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name != DATACARD_MODULE:
            raise
        return None
    build = getattr(module, "build_datacard", None)
    if build is None:
        return None
    return str(build(store, rubric))
