"""Writing export files safely: nothing appears under its final name until it is whole.

Each file is written as ``NAME.partial`` beside its destination and renamed into place
when the export finishes (a rename within one folder is atomic), so a crashed or
interrupted export never leaves a truncated dataset that a trainer would read without
complaint. ``SplitJsonl`` keeps one such file per split for the trainer formats.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Protocol

import pyarrow as pa

from coderlhf_tui.export.arrow_json import jsonl_buffer
from coderlhf_tui.export.base import ExportContext

PARTIAL_SUFFIX = ".partial"


class TableFile(Protocol):
    """One output file that takes Arrow tables."""

    def write_table(self, table: pa.Table) -> None:
        """Append rows."""

    def commit(self) -> Path:
        """Finish and move into place."""

    def abort(self) -> None:
        """Remove the partial file."""


def partial_path(path: Path) -> Path:
    """Where ``path`` is written until it is complete."""
    return path.with_name(path.name + PARTIAL_SUFFIX)


class AtomicFile:
    """A file written under a temporary name and moved into place on ``commit``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._handle: IO[bytes] = partial_path(path).open("wb")

    def write(self, data: bytes | pa.Buffer) -> None:
        """Append bytes (or an Arrow buffer, written without a copy)."""
        self._handle.write(data)

    def commit(self) -> Path:
        """Close and move into place."""
        self._handle.close()
        os.replace(partial_path(self.path), self.path)
        return self.path

    def abort(self) -> None:
        """Close and delete the partial file."""
        self._handle.close()
        partial_path(self.path).unlink(missing_ok=True)


class JsonlFile(AtomicFile):
    """A JSON Lines file of Arrow rows."""

    def write_table(self, table: pa.Table) -> None:
        """Append the rows as JSON Lines."""
        self.write(jsonl_buffer(table))


class OneFileSink:
    """A sink that writes every row, ``split`` included, to one file."""

    def __init__(self, file: TableFile) -> None:
        self._file = file

    def write(self, table: pa.Table) -> None:
        self._file.write_table(table)

    def commit(self) -> list[Path]:
        return [self._file.commit()]

    def abort(self) -> None:
        self._file.abort()


class SplitJsonl:
    """``train.jsonl`` and ``test.jsonl`` in one folder, opened when a row first needs them.

    A split with no rows gets no file (an empty file breaks some loaders); a file left
    from an earlier export of the same folder is removed so it cannot be mistaken for
    part of this one.
    """

    SPLITS = ("train", "test")

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._files: dict[str, JsonlFile] = {}
        self.counts = dict.fromkeys(self.SPLITS, 0)

    def write(self, split: str, rows: pa.Table) -> None:
        """Append rows to one split."""
        if rows.num_rows:
            self.write_text(split, jsonl_buffer(rows), rows.num_rows)

    def write_text(self, split: str, data: bytes | pa.Buffer, rows: int) -> None:
        """Append ``rows`` lines of JSON text already encoded to one split."""
        if not rows:
            return
        if split not in self._files:
            self._files[split] = JsonlFile(self.folder / f"{split}.jsonl")
        self._files[split].write(data)
        self.counts[split] += rows

    def commit(self) -> list[Path]:
        """Move every file into place and remove stale ones."""
        written = [self._files[split].commit() for split in self.SPLITS if split in self._files]
        for split in self.SPLITS:
            if split not in self._files:
                (self.folder / f"{split}.jsonl").unlink(missing_ok=True)
        return written

    def abort(self) -> None:
        """Drop every partial file."""
        for handle in self._files.values():
            handle.abort()


def reading_snippet(context: ExportContext, loader: str, duckdb_source: str) -> str:
    """How to read a single-file canonical export with datasets and DuckDB."""
    return f"""\
# Python (datasets): one file, a `split` column says train or test
from datasets import load_dataset
ds = load_dataset("{loader}", data_files="{context.out}", split="train")
train = ds.filter(lambda row: row["split"] == "train")
# DuckDB
#   SELECT language, chosen, count(*) FROM {duckdb_source} GROUP BY ALL;"""
