"""``--format axolotl-rm``: rows for Axolotl's ``bradley_terry.chat_template`` reward model.

That strategy reads ``system`` (the key must exist; an empty string means no system
turn), ``input`` (the user's prompt), ``chosen`` and ``rejected`` (the two answers) as
strings, and renders them with the model's chat template. Axolotl has no margin here.
"""

from __future__ import annotations

import pyarrow as pa

from coderlhf_tui.export.base import ExportContext, ExportFormat
from coderlhf_tui.export.pairwise import Comparisons, PairwiseJsonlSink


def reward_rows(batch: Comparisons, context: ExportContext) -> pa.Table:
    """``bradley_terry.chat_template`` rows."""
    return pa.table(
        {
            "system": pa.array([""] * len(batch), pa.string()),
            "input": batch.prompt,
            "chosen": batch.chosen,
            "rejected": batch.rejected,
            "id": batch.id,
        }
    )


def open_sink(context: ExportContext) -> PairwiseJsonlSink:
    """A sink writing Axolotl reward-model rows."""
    return PairwiseJsonlSink(context, reward_rows)


def snippet(context: ExportContext) -> str:
    """The Axolotl YAML that reads the folder."""
    return f"""\
reward_model: true
chat_template: tokenizer_default
datasets:
  - path: {context.out}/train.jsonl
    ds_type: json
    split: train
    type: bradley_terry.chat_template
test_datasets:          # drop when there is no test.jsonl
  - path: {context.out}/test.jsonl
    ds_type: json
    split: train
    type: bradley_terry.chat_template"""


FORMAT = ExportFormat(
    name="axolotl-rm",
    summary="Axolotl reward model bradley_terry.chat_template: system, input, chosen, rejected",
    pairwise=True,
    open=open_sink,
    snippet=snippet,
)
