"""``--format jsonl``: the canonical record, one JSON object a line, in one file.

Every column of FORMATS.md is kept, ties included; ``split`` says which side of the
train/test split each row is on.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from coderlhf_tui.export.arrow_json import jsonl_bytes
from coderlhf_tui.export.base import ExportContext, ExportFormat
from coderlhf_tui.export.files import AtomicFile


class JsonlSink:
    """Writes canonical rows to one JSON Lines file."""

    def __init__(self, context: ExportContext) -> None:
        self._file = AtomicFile(context.out)

    def write(self, table: pa.Table) -> None:
        self._file.write(jsonl_bytes(table))

    def commit(self) -> list[Path]:
        return [self._file.commit()]

    def abort(self) -> None:
        self._file.abort()


def snippet(context: ExportContext) -> str:
    """How to read the file back."""
    return f"""\
# Python (datasets): one split column, filter it for train/test
from datasets import load_dataset
ds = load_dataset("json", data_files="{context.out}", split="train")
train = ds.filter(lambda row: row["split"] == "train")
# DuckDB
#   SELECT language, chosen, count(*) FROM read_json_auto('{context.out}') GROUP BY ALL;"""


FORMAT = ExportFormat(
    name="jsonl",
    summary="canonical records (FORMATS.md), JSON Lines, one file",
    pairwise=False,
    open=JsonlSink,
    snippet=snippet,
)
