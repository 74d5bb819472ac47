"""``--format trl``: conversational preference rows for TRL's DPOTrainer and RewardTrainer.

The folder holds ``train.jsonl`` (and ``test.jsonl``), which ``load_dataset(folder)``
reads as splits. Rows are ``conversation.conversation_rows``; ties are left out.
"""

from __future__ import annotations

from coderlhf_tui.export.base import ExportContext, ExportFormat
from coderlhf_tui.export.conversation import conversation_rows
from coderlhf_tui.export.formats import SUMMARIES
from coderlhf_tui.export.pairwise import PairwiseJsonlSink


def open_sink(context: ExportContext) -> PairwiseJsonlSink:
    """A sink writing TRL rows."""
    return PairwiseJsonlSink(context, conversation_rows)


def snippet(context: ExportContext) -> str:
    """A TRL script that trains on the folder."""
    prompt_note = (
        "# explicit prompt: DPOTrainer, and RewardTrainer from TRL 0.24\n"
        if context.explicit_prompt
        else "# implicit prompt: chosen/rejected are whole conversations (every TRL version)\n"
    )
    return f"""\
{prompt_note}from datasets import load_dataset
from trl import DPOConfig, DPOTrainer, RewardConfig, RewardTrainer

data = load_dataset("{context.out}")
eval_data = data["test"] if "test" in data else None
dpo = DPOTrainer(model="<model>", args=DPOConfig(output_dir="dpo"),
                 train_dataset=data["train"], eval_dataset=eval_data)
# reward model: the float `margin` column is used by the loss -log(sigmoid(r_c - r_r - margin))
rm = RewardTrainer(model="<model>", args=RewardConfig(output_dir="rm"),
                   train_dataset=data["train"], eval_dataset=eval_data)"""


FORMAT = ExportFormat(
    name="trl",
    summary=SUMMARIES["trl"],
    pairwise=True,
    open=open_sink,
    snippet=snippet,
)
