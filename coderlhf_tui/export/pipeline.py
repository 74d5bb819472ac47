"""One export, start to finish, streamed page by page with flat memory.

First the split is planned: a light pass reads only the language and prompt of every
labelled pair and decides which prompt groups form the test split (``split``). Then the
main pass walks the workspace snapshot a page at a time: it labels the pairs
(``consensus``), measures their agreement (``pair_agreement``), applies the selection
rules (``selection``), drops repeats of a comparison already kept (``dedup``), builds
the canonical records as one Arrow batch (``records``), adds ``split`` and hands the
batch to the format's sink. The next page is read in a thread meanwhile (``prefetch``):
reading and writing both run mostly in C code that releases the GIL, so on two cores
they overlap.

What is remembered across pages is only keys: the sorted test-group keys and the keys
of the comparisons kept so far, 8 bytes each, so memory stays flat as the workspace
grows. The split is planned on the labelled pairs before the other rules run; those
rules do not look at the split, so they thin train and test alike and the test share of
each language stays close to the fraction asked for.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from coderlhf_tui.export.base import ExportContext, ExportFormat, Sink
from coderlhf_tui.export.canonical_record import page_records
from coderlhf_tui.export.consensus import label_page
from coderlhf_tui.export.dedup import pair_keys, prompt_group_keys, remember, unseen_first
from coderlhf_tui.export.pair_agreement import page_agreement
from coderlhf_tui.export.prefetch import Prefetch
from coderlhf_tui.export.schema import SPLIT_FIELD
from coderlhf_tui.export.selection import PAGE_RULES, Exclusion, Selection, exclusions
from coderlhf_tui.export.source import PAGE_SIZE, Page, WorkspaceReader
from coderlhf_tui.export.split import is_test, pick_test_groups
from coderlhf_tui.rubric import Rubric


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
    page_size: int = PAGE_SIZE
    """Pairs read, labelled and written per batch (one Parquet row group each)."""


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


def plan_split(reader: WorkspaceReader, options: ExportOptions) -> NDArray[np.uint64]:
    """The prompt-group keys of the test split, planned on the labelled pairs."""
    selection = options.selection
    strata: list[NDArray[np.int64]] = []
    groups: list[NDArray[np.uint64]] = []
    codes: dict[str, int] = {}
    for languages, prompts in reader.labelled_prompts(
        selection.languages, selection.adjudicated_only, options.page_size
    ):
        strata.append(np.array([codes.setdefault(x, len(codes)) for x in languages], np.int64))
        groups.append(prompt_group_keys(prompts))
    if not groups:
        return np.empty(0, dtype=np.uint64)
    return pick_test_groups(
        np.concatenate(strata), np.concatenate(groups), options.test_fraction, options.seed
    )


@dataclass(slots=True)
class _Run:
    """The state carried from page to page."""

    test_keys: NDArray[np.uint64]
    seen: NDArray[np.uint64] = field(default_factory=lambda: np.empty(0, dtype=np.uint64))
    read: int = 0
    excluded: Counter[str] = field(default_factory=Counter)
    rows: Counter[str] = field(default_factory=Counter)


def _stream(
    reader: WorkspaceReader,
    selection: Selection,
    rubric: Rubric,
    sink: Sink,
    run: _Run,
    page_size: int,
) -> None:
    """The main pass: every page labelled, selected, deduplicated, split and written."""
    dimensions = rubric.dimension_names
    neutral = (rubric.scale_min + rubric.scale_max) / 2
    with Prefetch(reader.pages(selection.languages, page_size)) as pages:
        for page in pages:
            _page(page, selection, dimensions, neutral, sink, run)


def _page(
    page: Page,
    selection: Selection,
    dimensions: Sequence[str],
    neutral: float,
    sink: Sink,
    run: _Run,
) -> None:
    """One page labelled, selected, deduplicated, split and written."""
    run.read += len(page)
    labels = label_page(page, dimensions, neutral)
    agreement = page_agreement(page.annotation_rows, labels.annotation_ordinals, len(page))
    keys = pair_keys(page.prompts, *page.codes)
    reasons = exclusions(page, labels, agreement, keys.identical, selection)
    for code, count in zip(*np.unique(reasons, return_counts=True), strict=True):
        if code:
            run.excluded[str(PAGE_RULES[code - 1])] += int(count)
    kept = reasons == 0
    fresh = unseen_first(keys.pair[kept], run.seen)
    run.excluded[str(Exclusion.DUPLICATE)] += int((~fresh).sum())
    kept[np.nonzero(kept)[0][~fresh]] = False
    if not kept.any():
        return
    run.seen = remember(run.seen, keys.pair[kept])
    test = is_test(keys.group[kept], run.test_keys)
    run.rows["test"] += int(test.sum())
    run.rows["train"] += int((~test).sum())
    batch = page_records(page, labels, agreement, dimensions).filter(pa.array(kept))
    split = pa.array(np.where(test, "test", "train").tolist(), pa.string())
    sink.write(pa.Table.from_batches([batch]).append_column(SPLIT_FIELD, split))


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
    context = ExportContext(
        out=out,
        dimensions=rubric.dimension_names,
        explicit_prompt=options.explicit_prompt,
        license=options.license,
        card=card,
        selection_notes=selection_notes(options, fmt),
    )
    with WorkspaceReader(db_path, rubric.dimension_names) as reader:
        run = _Run(test_keys=plan_split(reader, options))
        sink = fmt.open(context)
        try:
            _stream(reader, selection, rubric, sink, run, options.page_size)
            if not sum(run.rows.values()):
                raise NothingToExport(_nothing_message(run))
            files = sink.commit()
        except BaseException:
            sink.abort()
            raise
    return ExportSummary(
        format=fmt.name,
        out=out,
        files=files,
        pairs_read=run.read,
        excluded={reason: n for reason, n in run.excluded.items() if n},
        rows={"train": run.rows["train"], "test": run.rows["test"]},
        snippet=fmt.snippet(context),
    )


def _nothing_message(run: _Run) -> str:
    reasons = ", ".join(f"{n} {reason}" for reason, n in sorted(run.excluded.items()) if n)
    return f"no pair to export: {run.read} read" + (f"; left out: {reasons}" if reasons else "")
