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
from coderlhf_tui.export.files import OneFileSink, partial_path, reading_snippet
from coderlhf_tui.export.formats import SUMMARIES
from coderlhf_tui.export.schema import canonical_schema

COMPRESSION = "zstd"


class ParquetFile:
    """One Parquet file of canonical rows, written under a partial name until committed."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.path = path
        self.rows = 0
        path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = pq.ParquetWriter(str(partial_path(path)), schema, compression=COMPRESSION)

    def write_table(self, table: pa.Table) -> None:
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


def open_sink(context: ExportContext) -> OneFileSink:
    """A sink writing one Parquet file of canonical records."""
    return OneFileSink(ParquetFile(context.out, canonical_schema(context.dimensions)))


def snippet(context: ExportContext) -> str:
    """How to read the file back."""
    return reading_snippet(context, "parquet", f"'{context.out}'")


FORMAT = ExportFormat(
    name="parquet",
    summary=SUMMARIES["parquet"],
    pairwise=False,
    open=open_sink,
    snippet=snippet,
)
