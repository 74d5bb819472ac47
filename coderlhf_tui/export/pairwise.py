"""From canonical rows to chosen/rejected comparisons, and the sink the trainer formats share.

A canonical row says which of A and B won; trainers want the winning code as
``chosen`` and the other as ``rejected``. Ties never reach here (the pipeline leaves
them out of pairwise formats), but a tie that slipped through is dropped rather than
given an arbitrary winner. Each trainer format only decides how one comparison becomes
one row; ``PairwiseJsonlSink`` writes those rows to ``train.jsonl`` and ``test.jsonl``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from coderlhf_tui.export.base import ExportContext
from coderlhf_tui.export.files import SplitJsonl

COLUMNS = ("id", "split", "prompt", "response_a", "response_b", "chosen", "margin")


@dataclass(frozen=True, slots=True)
class Comparison:
    """One labelled pair in chosen/rejected terms."""

    id: str
    split: str
    prompt: str
    chosen: str
    rejected: str
    margin: float


def comparisons(table: pa.Table) -> Iterator[Comparison]:
    """The comparisons of a table of canonical rows, ties skipped."""
    columns = [table[name].to_pylist() for name in COLUMNS]
    for pid, split, prompt, code_a, code_b, winner, margin in zip(*columns, strict=True):
        if winner == "a":
            yield Comparison(pid, split, prompt, code_a, code_b, float(margin))
        elif winner == "b":
            yield Comparison(pid, split, prompt, code_b, code_a, float(margin))


RowBuilder = Callable[[Comparison, ExportContext], dict[str, Any]]


class PairwiseJsonlSink:
    """Writes one trainer row per comparison to ``<out>/train.jsonl`` and ``test.jsonl``."""

    def __init__(self, context: ExportContext, build_row: RowBuilder) -> None:
        self.context = context
        self.build_row = build_row
        self._files = SplitJsonl(context.out)

    def write(self, table: pa.Table) -> None:
        by_split: dict[str, list[dict[str, Any]]] = {"train": [], "test": []}
        for comparison in comparisons(table):
            by_split[comparison.split].append(self.build_row(comparison, self.context))
        for split, rows in by_split.items():
            self._files.write(split, rows)

    def commit(self) -> list[Path]:
        return self._files.commit()

    def abort(self) -> None:
        self._files.abort()
