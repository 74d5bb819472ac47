"""``--format axolotl-dpo``: rows for Axolotl's ``chatml.prompt_pairs`` DPO strategy.

That strategy reads plain strings: ``system`` (optional; written empty, so the ChatML
prompt has no system turn), ``prompt``, ``chosen`` and ``rejected``, and wraps them in
ChatML itself.
"""

from __future__ import annotations

from coderlhf_tui.export.axolotl import dataset_yaml, string_rows
from coderlhf_tui.export.base import ExportContext, ExportFormat
from coderlhf_tui.export.formats import SUMMARIES
from coderlhf_tui.export.pairwise import PairwiseJsonlSink


def open_sink(context: ExportContext) -> PairwiseJsonlSink:
    """A sink writing Axolotl DPO rows."""
    return PairwiseJsonlSink(context, string_rows("prompt"))


def snippet(context: ExportContext) -> str:
    """The Axolotl YAML that reads the folder."""
    return dataset_yaml(context, "rl: dpo", "chatml.prompt_pairs")


FORMAT = ExportFormat(
    name="axolotl-dpo",
    summary=SUMMARIES["axolotl-dpo"],
    pairwise=True,
    open=open_sink,
    snippet=snippet,
)
