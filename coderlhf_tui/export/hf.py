"""``--format hf``: a Hugging Face dataset folder that ``load_dataset(folder)`` reads.

``data/train-00000-of-00001.parquet`` and ``data/test-00000-of-00001.parquet`` hold the
canonical records (a split with no rows gets no file and no ``configs`` entry), and
README.md is the dataset card (``hf_card``). Files from an earlier export of the same
folder that this export does not rewrite are removed.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from coderlhf_tui.export.base import ExportContext, ExportFormat
from coderlhf_tui.export.files import AtomicFile
from coderlhf_tui.export.formats import SUMMARIES
from coderlhf_tui.export.hf_card import card_text
from coderlhf_tui.export.parquet import ParquetFile
from coderlhf_tui.export.schema import canonical_schema

SPLITS = ("train", "test")


def shard_path(folder: Path, split: str) -> Path:
    """The single shard of one split."""
    return folder / "data" / f"{split}-00000-of-00001.parquet"


class HfFolderSink:
    """Writes one Parquet shard per split, then the card."""

    def __init__(self, context: ExportContext) -> None:
        self.context = context
        self.schema = canonical_schema(context.dimensions)
        self._files: dict[str, ParquetFile] = {}

    def write(self, table: pa.Table) -> None:
        for split in SPLITS:
            part = table.filter(pc.equal(table["split"], split))
            if part.num_rows:
                if split not in self._files:
                    self._files[split] = ParquetFile(
                        shard_path(self.context.out, split), self.schema
                    )
                self._files[split].write_table(part)

    def commit(self) -> list[Path]:
        counts = {split: handle.rows for split, handle in self._files.items()}
        written = [handle.commit() for handle in self._files.values()]
        for split in SPLITS:
            for old in (self.context.out / "data").glob(f"{split}-*.parquet"):
                if old not in written:
                    old.unlink()
        card = AtomicFile(self.context.out / "README.md")
        card.write(card_text(self.context, counts).encode("utf-8"))
        return [*written, card.commit()]

    def abort(self) -> None:
        for handle in self._files.values():
            handle.abort()


def snippet(context: ExportContext) -> str:
    """How to load the folder."""
    return f"""\
from datasets import load_dataset
ds = load_dataset("{context.out}")          # DatasetDict with train (and test)
# or push it to a hub: ds.push_to_hub("<org>/<name>")"""


FORMAT = ExportFormat(
    name="hf",
    summary=SUMMARIES["hf"],
    pairwise=False,
    open=HfFolderSink,
    snippet=snippet,
)
