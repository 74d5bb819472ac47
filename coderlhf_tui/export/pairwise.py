"""From canonical rows to chosen/rejected comparisons, and the sink the trainer formats share.

A canonical row says which of A and B won; trainers want the winning code as
``chosen`` and the other as ``rejected``. Ties never reach here (the pipeline leaves
them out of pairwise formats), but a tie that slipped through is dropped rather than
given an arbitrary winner. Each trainer format only decides which columns a batch of
comparisons becomes; ``PairwiseJsonlSink`` writes them to ``train.jsonl`` and
``test.jsonl``. Everything stays in Arrow columns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from coderlhf_tui.export.base import ExportContext
from coderlhf_tui.export.files import SplitJsonl


@dataclass(frozen=True, slots=True)
class Comparisons:
    """A batch of labelled pairs in chosen/rejected terms, as columns."""

    id: pa.Array
    prompt: pa.Array
    chosen: pa.Array
    rejected: pa.Array
    margin: pa.Array

    def __len__(self) -> int:
        return len(self.id)


def comparisons(table: pa.Table) -> Comparisons:
    """The comparisons of a table of canonical rows, ties dropped."""
    table = table.filter(pc.not_equal(table["chosen"], "tie"))
    column = {name: table[name].combine_chunks() for name in table.column_names}
    a_wins = pc.equal(column["chosen"], "a")
    return Comparisons(
        id=column["id"],
        prompt=column["prompt"],
        chosen=pc.if_else(a_wins, column["response_a"], column["response_b"]),
        rejected=pc.if_else(a_wins, column["response_b"], column["response_a"]),
        margin=column["margin"],
    )


RowBuilder = Callable[[Comparisons, ExportContext], pa.Table]


class PairwiseJsonlSink:
    """Writes one trainer row per comparison to ``<out>/train.jsonl`` and ``test.jsonl``."""

    def __init__(self, context: ExportContext, build_rows: RowBuilder) -> None:
        self.context = context
        self.build_rows = build_rows
        self._files = SplitJsonl(context.out)

    def write(self, table: pa.Table) -> None:
        for split in SplitJsonl.SPLITS:
            part = table.filter(pc.equal(table["split"], split))
            if part.num_rows:
                self._files.write(split, self.build_rows(comparisons(part), self.context))

    def commit(self) -> list[Path]:
        return self._files.commit()

    def abort(self) -> None:
        self._files.abort()
