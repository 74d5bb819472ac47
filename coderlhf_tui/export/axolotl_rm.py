"""``--format axolotl-rm``: rows for Axolotl's ``bradley_terry.chat_template`` reward model.

That strategy reads ``system`` (the key must exist; an empty string means no system
turn), ``input`` (the user's prompt), ``chosen`` and ``rejected`` (the two answers) as
strings, and renders them with the model's chat template.
"""

from __future__ import annotations

from coderlhf_tui.export.axolotl import dataset_yaml, string_rows
from coderlhf_tui.export.base import ExportContext, ExportFormat
from coderlhf_tui.export.formats import SUMMARIES
from coderlhf_tui.export.pairwise import PairwiseJsonlSink


def open_sink(context: ExportContext) -> PairwiseJsonlSink:
    """A sink writing Axolotl reward-model rows."""
    return PairwiseJsonlSink(context, string_rows("input"))


def snippet(context: ExportContext) -> str:
    """The Axolotl YAML that reads the folder."""
    return dataset_yaml(
        context,
        "reward_model: true\nchat_template: tokenizer_default",
        "bradley_terry.chat_template",
    )


FORMAT = ExportFormat(
    name="axolotl-rm",
    summary=SUMMARIES["axolotl-rm"],
    pairwise=True,
    open=open_sink,
    snippet=snippet,
)
