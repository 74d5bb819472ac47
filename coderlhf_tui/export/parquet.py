"""``--format parquet``: the canonical record in one Parquet file with an explicit schema.

Rows are written a batch at a time (one row group per batch), zstd-compressed: code
text compresses well and zstd decodes fast in pyarrow, DuckDB and Spark alike.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from coderlhf_tui.export.base import ExportContext, ExportFormat
from coderlhf_tui.export.files import partial_path
from coderlhf_tui.export.schema import canonical_schema

COMPRESSION = "zstd"


class ParquetFile:
    """One Parquet file of canonical rows, written under a partial name until committed."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.path = path
        self.rows = 0
        path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = pq.ParquetWriter(str(partial_path(path)), schema, compression=COMPRESSION)

    def write(self, table: pa.Table) -> None:
        """Append one row group."""
        if table.num_rows:
            self._writer.write_table(table)
            self.rows += table.num_rows

    def commit(self) -> Path:
        """Close and move into place."""
        self._writer.close()
        os.replace(partial_path(self.path), self.path)
        return self.path

    def abort(self) -> None:
        """Close and delete the partial file."""
        self._writer.close()
        partial_path(self.path).unlink(missing_ok=True)


class ParquetSink:
    """Writes canonical rows to one Parquet file."""

    def __init__(self, context: ExportContext) -> None:
        self._file = ParquetFile(context.out, canonical_schema(context.dimensions))

    def write(self, table: pa.Table) -> None:
        self._file.write(table)

    def commit(self) -> list[Path]:
        return [self._file.commit()]

    def abort(self) -> None:
        self._file.abort()


def snippet(context: ExportContext) -> str:
    """How to read the file back."""
    return f"""\
# Python (datasets)
from datasets import load_dataset
ds = load_dataset("parquet", data_files="{context.out}", split="train")
train = ds.filter(lambda row: row["split"] == "train")
# pyarrow:  pyarrow.parquet.read_table("{context.out}")
# DuckDB:   SELECT language, chosen, count(*) FROM '{context.out}' GROUP BY ALL;"""


FORMAT = ExportFormat(
    name="parquet",
    summary="canonical records (FORMATS.md), one Parquet file, explicit schema",
    pairwise=False,
    open=ParquetSink,
    snippet=snippet,
)
