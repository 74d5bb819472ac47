"""Conversational preference rows, the shape TRL and OpenRLHF both read.

Implicit prompt (the default): ``chosen`` and ``rejected`` are whole conversations, the
user's prompt followed by one assistant answer, which every TRL trainer and OpenRLHF
(without ``--data.prompt_key``) accept. Explicit prompt (``--explicit-prompt``): a
separate ``prompt`` conversation and single-message ``chosen``/``rejected``, which DPO
prefers. The response code is the assistant's message as it was written, unchanged.
``margin`` (from the preference strength) is on every row; ``id`` traces a row back to
its pair.
"""

from __future__ import annotations

from typing import Any

from coderlhf_tui.export.base import ExportContext
from coderlhf_tui.export.pairwise import Comparison


def message(role: str, content: str) -> dict[str, str]:
    """One chat message."""
    return {"role": role, "content": content}


def conversation_row(comparison: Comparison, context: ExportContext) -> dict[str, Any]:
    """One preference row, implicit or explicit prompt as the context says."""
    user = message("user", comparison.prompt)
    chosen = message("assistant", comparison.chosen)
    rejected = message("assistant", comparison.rejected)
    if context.explicit_prompt:
        return {
            "prompt": [user],
            "chosen": [chosen],
            "rejected": [rejected],
            "margin": comparison.margin,
            "id": comparison.id,
        }
    return {
        "chosen": [user, chosen],
        "rejected": [user, rejected],
        "margin": comparison.margin,
        "id": comparison.id,
    }
