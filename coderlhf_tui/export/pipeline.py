"""One export, start to finish, in two streaming passes with flat memory.

Pass one walks the workspace snapshot page by page, labels each pair
(``consensus``), applies the selection rules (``selection``), builds the canonical
record (``records``) and spills the kept records to a temporary Arrow stream in
batches, remembering only three 8-byte keys a pair: the comparison key (``dedup``), the
prompt group and the language. Between the passes the remembered keys decide which
repeats to drop and which prompt groups form the test split (``split``): both need the
whole selection, which is why there are two passes. Pass two reads the spill back a
batch at a time, drops the repeats, adds ``split`` and hands each batch to the format.

Nothing but one batch of records and the key arrays is ever in memory, whatever the
size of the workspace; the spill lives in a temporary folder beside the output and is
removed afterwards.
"""

from __future__ import annotations

import tempfile
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from coderlhf_tui.domain import Preference
from coderlhf_tui.export.base import ExportContext, ExportFormat
from coderlhf_tui.export.consensus import label_pair
from coderlhf_tui.export.dedup import first_occurrences, identical_responses, pair_key, prompt_key
from coderlhf_tui.export.pair_agreement import pair_agreement
from coderlhf_tui.export.records import canonical_record
from coderlhf_tui.export.schema import SPLIT_FIELD, record_schema
from coderlhf_tui.export.selection import Exclusion, Selection, exclusion
from coderlhf_tui.export.source import WorkspaceReader
from coderlhf_tui.export.split import is_test, test_groups
from coderlhf_tui.rubric import Rubric

BATCH_ROWS = 5000
"""Records per batch: one Parquet row group, one spill batch."""


class NothingToExport(ValueError):
    """The selection left no pair; the message says what removed them."""


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """Everything a user chooses about an export besides its format and place."""

    selection: Selection = field(default_factory=Selection)
    test_fraction: float = 0.1
    seed: int = 0
    explicit_prompt: bool = False
    license: str = "other"
    batch_rows: int = BATCH_ROWS


@dataclass(slots=True)
class ExportSummary:
    """What an export did."""

    format: str
    out: Path
    files: list[Path]
    pairs_read: int
    excluded: dict[str, int]
    rows: dict[str, int]
    snippet: str

    def to_json(self) -> dict[str, Any]:
        """The summary with stable keys, for ``--json``."""
        return {
            "format": self.format,
            "out": str(self.out),
            "files": [str(path) for path in self.files],
            "pairs_read": self.pairs_read,
            "excluded": dict(sorted(self.excluded.items())),
            "rows": self.rows,
            "snippet": self.snippet,
        }


@dataclass(slots=True)
class _Keys:
    """The three keys remembered per spilled record."""

    pairs: array[int] = field(default_factory=lambda: array("Q"))
    groups: array[int] = field(default_factory=lambda: array("Q"))
    strata: array[int] = field(default_factory=lambda: array("q"))
    languages: dict[str, int] = field(default_factory=dict)

    def add(self, record: dict[str, Any]) -> None:
        self.pairs.append(pair_key(record["prompt"], record["response_a"], record["response_b"]))
        self.groups.append(prompt_key(record["prompt"]))
        self.strata.append(self.languages.setdefault(record["language"], len(self.languages)))


def selection_notes(options: ExportOptions, fmt: ExportFormat) -> list[str]:
    """The selection in force, one line per rule, for summaries and dataset cards."""
    sel = options.selection
    notes = []
    if sel.languages:
        notes.append(f"languages: {', '.join(sel.languages)}")
    if sel.adjudicated_only:
        notes.append("adjudicated pairs only")
    if sel.min_agreement is not None:
        notes.append(f"winner agreement >= {sel.min_agreement} (adjudicated pairs exempt)")
    if sel.exclude_both_failing:
        notes.append("pairs where both responses fail their tests left out")
    notes.append("ties left out" if fmt.pairwise else "ties kept")
    notes.append("identical and repeated pairs removed")
    notes.append(f"test fraction {options.test_fraction}, seed {options.seed}")
    return notes


def _spill(
    reader: WorkspaceReader,
    selection: Selection,
    rubric: Rubric,
    spill_path: Path,
    batch_rows: int,
    excluded: Counter[str],
    keys: _Keys,
) -> int:
    """Pass one: label, select and spill; returns how many pairs were read."""
    dimensions = rubric.dimension_names
    neutral = (rubric.scale_min + rubric.scale_max) / 2
    schema = record_schema(dimensions)
    read = 0
    batch: list[dict[str, Any]] = []
    with pa.OSFile(str(spill_path), "wb") as sink, pa.ipc.new_stream(sink, schema) as writer:
        for source in reader.pairs(selection.languages):
            read += 1
            label = label_pair(source.annotations, source.adjudication, dimensions, neutral)
            ordinals = [Preference(ann["preference"]).ordinal for ann in source.annotations]
            agreement = pair_agreement(ordinals)
            reason = exclusion(source, label, agreement, selection)
            if reason is None and identical_responses(*source.codes):
                reason = Exclusion.IDENTICAL_RESPONSES
            if reason is not None or label is None:
                excluded[str(reason)] += 1
                continue
            record = canonical_record(source, label, agreement, dimensions)
            keys.add(record)
            batch.append(record)
            if len(batch) >= batch_rows:
                writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=schema))
                batch = []
        if batch:
            writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=schema))
    return read


def _plan(keys: _Keys, options: ExportOptions) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Between the passes: which spilled rows to keep, and which of them are test rows."""
    pairs = np.frombuffer(keys.pairs, dtype=np.uint64)
    groups = np.frombuffer(keys.groups, dtype=np.uint64)
    strata = np.frombuffer(keys.strata, dtype=np.int64)
    keep = first_occurrences(pairs)
    chosen = test_groups(strata[keep], groups[keep], options.test_fraction, options.seed)
    return keep, is_test(groups, chosen) & keep


def _replay(
    spill_path: Path, keep: np.ndarray[Any, Any], test: np.ndarray[Any, Any]
) -> Iterator[pa.Table]:
    """Pass two: the spilled batches, repeats dropped, ``split`` added."""
    offset = 0
    with pa.OSFile(str(spill_path), "rb") as source, pa.ipc.open_stream(source) as reader:
        for batch in reader:
            rows = batch.num_rows
            mask = keep[offset : offset + rows]
            split = np.where(test[offset : offset + rows], "test", "train")[mask]
            offset += rows
            table = pa.Table.from_batches([batch]).filter(pa.array(mask))
            if table.num_rows:
                yield table.append_column(SPLIT_FIELD, pa.array(split.tolist(), pa.string()))


def run_export(
    db_path: Path,
    fmt: ExportFormat,
    out: Path,
    rubric: Rubric,
    options: ExportOptions | None = None,
    card: str | None = None,
) -> ExportSummary:
    """Export the workspace at ``db_path`` as ``fmt`` to ``out``."""
    options = options or ExportOptions()
    selection = replace(options.selection, exclude_ties=fmt.pairwise)
    notes = selection_notes(options, fmt)
    context = ExportContext(
        out=out,
        dimensions=rubric.dimension_names,
        explicit_prompt=options.explicit_prompt,
        license=options.license,
        card=card,
        selection_notes=notes,
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    excluded: Counter[str] = Counter()
    keys = _Keys()
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".coderlhf-export-") as tmp:
        spill_path = Path(tmp) / "spill.arrows"
        with WorkspaceReader(db_path) as reader:
            read = _spill(reader, selection, rubric, spill_path, options.batch_rows, excluded, keys)
        keep, test = _plan(keys, options)
        duplicates = int(len(keep) - keep.sum())
        if duplicates:
            excluded[str(Exclusion.DUPLICATE)] = duplicates
        kept = int(keep.sum())
        if kept == 0:
            reasons = ", ".join(f"{n} {reason}" for reason, n in sorted(excluded.items()))
            raise NothingToExport(
                f"no pair to export: {read} read" + (f"; left out: {reasons}" if reasons else "")
            )
        sink = fmt.open(context)
        try:
            for table in _replay(spill_path, keep, test):
                sink.write(table)
            files = sink.commit()
        except BaseException:
            sink.abort()
            raise
    n_test = int(test.sum())
    return ExportSummary(
        format=fmt.name,
        out=out,
        files=files,
        pairs_read=read,
        excluded=dict(excluded),
        rows={"train": kept - n_test, "test": n_test},
        snippet=fmt.snippet(context),
    )
