"""What every export format provides: a sink that takes canonical rows, and a snippet.

The pipeline hands a format Arrow tables of canonical records (with ``split``), in
order, a batch at a time; the format turns them into its own files. The snippet is the
trainer (or reader) configuration that loads what was written, printed after export so
nobody has to work out the column mapping by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pyarrow as pa


@dataclass(frozen=True, slots=True)
class ExportContext:
    """What a format needs to know besides the rows."""

    out: Path
    dimensions: Sequence[str]
    explicit_prompt: bool = False
    license: str = "other"
    card: str | None = None
    """The quality data card (markdown) to carry in a dataset card, when there is one."""
    selection_notes: Sequence[str] = field(default_factory=tuple)
    """One line per selection option in force, for the dataset card."""


class Sink(Protocol):
    """Receives canonical tables and writes a format's files."""

    def write(self, table: pa.Table) -> None:
        """Write a batch of canonical rows (``split`` included)."""

    def commit(self) -> list[Path]:
        """Finish: move every file into place and return their paths."""

    def abort(self) -> None:
        """Give up: remove everything partial."""


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """One ``--format`` choice."""

    name: str
    summary: str
    pairwise: bool
    """Pairwise formats need a winner: ties are left out of them."""
    open: Callable[[ExportContext], Sink]
    snippet: Callable[[ExportContext], str]
