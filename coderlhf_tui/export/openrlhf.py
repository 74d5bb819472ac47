"""``--format openrlhf``: chosen/rejected conversations with a margin, for OpenRLHF.

The rows are the conversational ones TRL reads (``conversation.conversation_rows``);
OpenRLHF applies the tokenizer's chat template to them (``--data.apply_chat_template``),
reads ``margin`` when ``--model.margin_loss_enable`` is set, and wants a ``train`` split,
which ``train.jsonl`` in the dataset folder provides.
"""

from __future__ import annotations

from coderlhf_tui.export.base import ExportContext, ExportFormat
from coderlhf_tui.export.conversation import conversation_rows
from coderlhf_tui.export.formats import SUMMARIES
from coderlhf_tui.export.pairwise import PairwiseJsonlSink


def open_sink(context: ExportContext) -> PairwiseJsonlSink:
    """A sink writing OpenRLHF rows."""
    return PairwiseJsonlSink(context, conversation_rows)


def snippet(context: ExportContext) -> str:
    """OpenRLHF command lines that train on the folder."""
    prompt_flag = " --data.prompt_key prompt" if context.explicit_prompt else ""
    keys = (
        f"--data.dataset {context.out} --data.dataset_split train"
        f" --data.chosen_key chosen --data.rejected_key rejected{prompt_flag}"
        " --data.apply_chat_template"
    )
    return f"""\
# reward model (margin loss uses the `margin` column)
deepspeed --module openrlhf.cli.train_rm --model.model_name_or_path <model> \\
    {keys} --model.margin_loss_enable \\
    --eval.dataset {context.out} --eval.split test
# DPO
deepspeed --module openrlhf.cli.train_dpo --model.model_name_or_path <model> \\
    {keys}"""


FORMAT = ExportFormat(
    name="openrlhf",
    summary=SUMMARIES["openrlhf"],
    pairwise=True,
    open=open_sink,
    snippet=snippet,
)
