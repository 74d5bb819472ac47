"""What the critique formats share: the comments that count, and a per-split row sink.

Both critique formats (``critiques``, ``trl-stepwise``) are projections of the
canonical record's ``comments`` column. A comment counts as a critique when it was
kept (not dropped by the lead's adjudication) and is not a disputed scanner finding
(a dispute says the lines are fine; ``coderlhf_tui/critiques.py``). The sink writes a
format's rows to ``train.jsonl``/``test.jsonl`` by the canonical ``split``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from coderlhf_tui.domain import FindingVerdict
from coderlhf_tui.export.base import ExportContext
from coderlhf_tui.export.files import SplitJsonl


def critique_comments(table: pa.Table) -> tuple[NDArray[np.int64], pa.StructArray]:
    """The critiques of a table of canonical rows, flattened, with each one's row."""
    lists = table["comments"].combine_chunks()
    flat = pc.list_flatten(lists)
    rows = np.asarray(pc.list_parent_indices(lists).to_numpy(), dtype=np.int64)
    if not len(flat):
        return rows, flat
    verdict = pc.struct_field(flat, ["verdict"])
    disputed = pc.fill_null(pc.equal(verdict, FindingVerdict.DISPUTE.value), False)
    kept = pc.fill_null(pc.struct_field(flat, ["kept"]), True)
    counts = np.asarray(pc.and_(kept, pc.invert(disputed)).to_numpy(zero_copy_only=False))
    return rows[counts], flat.filter(pa.array(counts))


RowBuilder = Callable[[pa.Table], pa.Table]

PAIRS_PER_BUILD = 500
"""Canonical rows turned into a format's rows at a time: a critique record repeats its
pair's prompt and code, so building a whole page at once would hold many copies."""


class SplitRowsSink:
    """Writes a format's rows, built from each split's canonical rows, to train/test.jsonl."""

    def __init__(self, context: ExportContext, build_rows: RowBuilder) -> None:
        self.build_rows = build_rows
        self._files = SplitJsonl(context.out)

    def write(self, table: pa.Table) -> None:
        for split in SplitJsonl.SPLITS:
            part = table.filter(pc.equal(table["split"], split))
            for start in range(0, part.num_rows, PAIRS_PER_BUILD):
                self._files.write(split, self.build_rows(part.slice(start, PAIRS_PER_BUILD)))

    def commit(self) -> list[Path]:
        return self._files.commit()

    def abort(self) -> None:
        self._files.abort()
