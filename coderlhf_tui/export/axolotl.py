"""What Axolotl's two preference formats share: string rows and the dataset YAML.

Both strategies read plain strings and render the chat themselves; ``system`` is
written empty (``bradley_terry.chat_template`` needs the key, and an empty system means
no system turn in either). Axolotl has no margin, so there is none in these rows.
"""

from __future__ import annotations

import pyarrow as pa

from coderlhf_tui.export.base import ExportContext
from coderlhf_tui.export.pairwise import Comparisons, RowBuilder


def string_rows(prompt_key: str) -> RowBuilder:
    """Rows of ``system``, the prompt under ``prompt_key``, ``chosen``, ``rejected``, ``id``."""

    def build(batch: Comparisons, context: ExportContext) -> pa.Table:
        return pa.table(
            {
                "system": pa.array([""] * len(batch), pa.string()),
                prompt_key: batch.prompt,
                "chosen": batch.chosen,
                "rejected": batch.rejected,
                "id": batch.id,
            }
        )

    return build


def dataset_yaml(context: ExportContext, header: str, strategy: str) -> str:
    """The Axolotl config lines that read ``train.jsonl`` and ``test.jsonl``."""
    entries = []
    for key, split in (("datasets", "train"), ("test_datasets", "test")):
        note = "          # drop when there is no test.jsonl" if split == "test" else ""
        entries.append(
            f"{key}:{note}\n  - path: {context.out}/{split}.jsonl\n"
            f"    ds_type: json\n    split: train\n    type: {strategy}"
        )
    return header + "\n" + "\n".join(entries)
