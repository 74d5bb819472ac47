"""``--format axolotl-dpo``: rows for Axolotl's ``chatml.prompt_pairs`` DPO strategy.

That strategy reads plain strings: ``system`` (optional; written empty, so the ChatML
prompt has no system turn), ``prompt``, ``chosen`` and ``rejected``, and wraps them in
ChatML itself. Axolotl has no margin here.
"""

from __future__ import annotations

import pyarrow as pa

from coderlhf_tui.export.base import ExportContext, ExportFormat
from coderlhf_tui.export.pairwise import Comparisons, PairwiseJsonlSink


def dpo_rows(batch: Comparisons, context: ExportContext) -> pa.Table:
    """``chatml.prompt_pairs`` rows."""
    return pa.table(
        {
            "system": pa.array([""] * len(batch), pa.string()),
            "prompt": batch.prompt,
            "chosen": batch.chosen,
            "rejected": batch.rejected,
            "id": batch.id,
        }
    )


def open_sink(context: ExportContext) -> PairwiseJsonlSink:
    """A sink writing Axolotl DPO rows."""
    return PairwiseJsonlSink(context, dpo_rows)


def snippet(context: ExportContext) -> str:
    """The Axolotl YAML that reads the folder."""
    return f"""\
rl: dpo
datasets:
  - path: {context.out}/train.jsonl
    ds_type: json
    split: train
    type: chatml.prompt_pairs
test_datasets:          # drop when there is no test.jsonl
  - path: {context.out}/test.jsonl
    ds_type: json
    split: train
    type: chatml.prompt_pairs"""


FORMAT = ExportFormat(
    name="axolotl-dpo",
    summary="Axolotl DPO chatml.prompt_pairs: system, prompt, chosen, rejected strings",
    pairwise=True,
    open=open_sink,
    snippet=snippet,
)
