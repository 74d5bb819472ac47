"""``coderlhf export-rankings``: ranked tasks as trainer pairs, KTO rows or full records.

None of the trainers reads a ranking, so a ranking is expanded into what they read
(docs/export.md, "Rankings"): every two responses in different tie groups (``all``) or
the top group against the rest (``best-vs-rest``) become chosen/rejected pairs with a
margin from their rank gap, written by the pairwise formats themselves (TRL, OpenRLHF,
Axolotl); ``trl-kto`` writes one unpaired row per response, desirable in the upper half
of the ranking; the canonical formats (``jsonl``, ``parquet``, ``hf``) keep the whole
ranking, one record per task.

It streams like the pairwise export: a light first pass plans the split (grouped by
prompt, stratified by language, ``split.pick_test_groups``), then the ranked tasks are
read a page at a time from one read snapshot and each page's rows are written at once;
only the test prompt keys stay in memory across pages.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pyarrow as pa
import yaml
from numpy.typing import NDArray

from coderlhf_tui.domain import Verdict
from coderlhf_tui.export.base import ExportContext, Sink
from coderlhf_tui.export.dedup import normalized_code, prompt_group_keys
from coderlhf_tui.export.files import AtomicFile, SplitJsonl, reading_snippet
from coderlhf_tui.export.formats import (
    RANKING_FORMATS,
    get_format,
)
from coderlhf_tui.export.formats import (
    RANKING_PAIR_FORMATS as PAIR_FORMATS,
)
from coderlhf_tui.export.hf_card import front_matter
from coderlhf_tui.export.parquet import ParquetFile
from coderlhf_tui.export.pipeline import ExportSummary, NothingToExport
from coderlhf_tui.export.ranked_conversations import ConversationPairFiles
from coderlhf_tui.export.ranked_labels import RankedLabel, label_task
from coderlhf_tui.export.ranked_records import PairColumns, kto_rows, ranked_record, ranked_schema
from coderlhf_tui.export.ranked_source import PAGE_SIZE, RankedTask, ranked_pages
from coderlhf_tui.export.source import WorkspaceReader
from coderlhf_tui.export.split import is_test, pick_test_groups
from coderlhf_tui.ranking import DerivedPair, PairMode, derived_pairs
from coderlhf_tui.rubric import Rubric

CONVERSATION_FORMATS = ("trl", "openrlhf")
"""Pair formats whose rows are ``conversation.conversation_rows``."""


@dataclass(frozen=True, slots=True)
class RankingExportOptions:
    """What a user chooses about a ranked export besides its format and place."""

    pairs: PairMode = PairMode.ALL
    languages: tuple[str, ...] = ()
    adjudicated_only: bool = False
    min_agreement: float | None = None
    """Kendall's W a task needs (adjudicated tasks exempt; one annotator: left out)."""
    exclude_both_failing: bool = False
    test_fraction: float = 0.1
    seed: int = 0
    explicit_prompt: bool = False
    license: str = "other"
    page_size: int = PAGE_SIZE


class _Writer(Protocol):
    def write_page(self, tasks: list[tuple[RankedTask, RankedLabel, str]]) -> int: ...
    def commit(self) -> list[Path]: ...
    def abort(self) -> None: ...


def _fails(task: RankedTask, key: str) -> bool:
    verdict = (task.tests.get(key) or {}).get("verdict")
    return verdict is not None and Verdict(verdict).is_failure


class _PairWriter:
    """Derived pairs: TRL and OpenRLHF rows written from the tasks directly
    (``ranked_conversations``), Axolotl's through its format's own sink."""

    def __init__(self, name: str, context: ExportContext, options: RankingExportOptions) -> None:
        self.options = options
        self.excluded: Counter[str] = Counter()
        self.conversations: ConversationPairFiles | None = None
        self.sink: Sink | None = None
        if name in CONVERSATION_FORMATS:
            self.conversations = ConversationPairFiles(context.out, context.explicit_prompt)
        else:
            self.sink = get_format(name).open(context)

    def _kept(self, task: RankedTask, label: RankedLabel) -> list[DerivedPair]:
        kept = []
        codes = dict(zip(task.keys, task.codes, strict=True))
        for pair in derived_pairs(label.ranking, self.options.pairs):
            if self.options.exclude_both_failing and (
                _fails(task, pair.better) and _fails(task, pair.worse)
            ):
                self.excluded["both_failing"] += 1
            elif normalized_code(codes[pair.better]) == normalized_code(codes[pair.worse]):
                self.excluded["identical_responses"] += 1
            else:
                kept.append(pair)
        return kept

    def write_page(self, tasks: list[tuple[RankedTask, RankedLabel, str]]) -> int:
        if self.conversations is not None:
            for task, label, split in tasks:
                codes = dict(zip(task.keys, task.codes, strict=True))
                self.conversations.add_task(
                    task.task_id, task.prompt, codes, self._kept(task, label), split
                )
            return self.conversations.flush()
        pairs = PairColumns()
        for task, label, split in tasks:
            for pair in self._kept(task, label):
                pairs.add(task, pair, split)
        if len(pairs) and self.sink is not None:
            self.sink.write(pairs.table())
        return len(pairs)

    def commit(self) -> list[Path]:
        if self.conversations is not None:
            return self.conversations.commit()
        assert self.sink is not None
        return self.sink.commit()

    def abort(self) -> None:
        if self.conversations is not None:
            self.conversations.abort()
        elif self.sink is not None:
            self.sink.abort()


class _KtoWriter:
    """One unpaired row per response: desirable above the middle rank, undesirable below."""

    def __init__(self, context: ExportContext, options: RankingExportOptions) -> None:
        self.files = SplitJsonl(context.out)
        self.options = options
        self.excluded: Counter[str] = Counter()

    def write_page(self, tasks: list[tuple[RankedTask, RankedLabel, str]]) -> int:
        rows: dict[str, tuple[list[str], list[str], list[bool], list[str]]] = {
            split: ([], [], [], []) for split in SplitJsonl.SPLITS
        }
        for task, label, split in tasks:
            middle = (len(task.keys) + 1) / 2
            for index, key in enumerate(task.keys):
                if self.options.pairs is PairMode.BEST_VS_REST:
                    desirable: bool | None = key in label.ranking[0]
                else:
                    rank = label.ranks[key]
                    desirable = None if rank == middle else rank < middle
                if desirable is None:
                    self.excluded["middle_rank"] += 1
                    continue
                prompts, completions, labels, ids = rows[split]
                prompts.append(task.prompt)
                completions.append(task.codes[index])
                labels.append(desirable)
                ids.append(f"{task.task_id}:{key}")
        written = 0
        for split, (prompts, completions, labels, ids) in rows.items():
            if ids:
                self.files.write(split, kto_rows(prompts, completions, labels, ids))
                written += len(ids)
        return written

    def commit(self) -> list[Path]:
        return self.files.commit()

    def abort(self) -> None:
        self.files.abort()


class _RecordWriter:
    """Canonical ranked records: one JSON Lines file, one Parquet file, or an HF folder."""

    def __init__(self, name: str, context: ExportContext) -> None:
        self.name = name
        self.context = context
        self.schema = ranked_schema(context.dimensions)
        self.excluded: Counter[str] = Counter()
        self.counts: Counter[str] = Counter()
        self._jsonl = AtomicFile(context.out) if name == "jsonl" else None
        self._parquet: dict[str, ParquetFile] = {}

    def _parquet_for(self, split: str) -> ParquetFile:
        if split not in self._parquet:
            path = (
                self.context.out
                if self.name == "parquet"
                else self.context.out / "data" / f"{split}-00000-of-00001.parquet"
            )
            self._parquet[split] = ParquetFile(path, self.schema)
        return self._parquet[split]

    def write_page(self, tasks: list[tuple[RankedTask, RankedLabel, str]]) -> int:
        records = [ranked_record(task, label, split) for task, label, split in tasks]
        if self._jsonl is not None:
            lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
            self._jsonl.write(lines.encode("utf-8"))
        else:
            table = pa.Table.from_pylist(records, schema=self.schema)
            if self.name == "parquet":
                self._parquet_for("all").write_table(table)
            else:
                for split in ("train", "test"):
                    part = [r for r in records if r["split"] == split]
                    if part:
                        self._parquet_for(split).write_table(
                            pa.Table.from_pylist(part, schema=self.schema)
                        )
        for record in records:
            self.counts[record["split"]] += 1
        return len(records)

    def commit(self) -> list[Path]:
        if self._jsonl is not None:
            return [self._jsonl.commit()]
        written = [handle.commit() for handle in self._parquet.values()]
        if self.name == "hf":
            for old in (self.context.out / "data").glob("*.parquet"):
                if old not in written:
                    old.unlink()
            card = AtomicFile(self.context.out / "README.md")
            card.write(_card(self.context, self.counts).encode("utf-8"))
            written.append(card.commit())
        return written

    def abort(self) -> None:
        if self._jsonl is not None:
            self._jsonl.abort()
        for handle in self._parquet.values():
            handle.abort()


def _card(context: ExportContext, counts: Counter[str]) -> str:
    keys = front_matter(context, counts)
    keys["pretty_name"] = "coderlhf ranked code responses"
    keys["tags"] = [*keys["tags"], "ranking"]
    notes = "".join(f"- {note}\n" for note in context.selection_notes)
    body = f"""\
# coderlhf ranked code responses

Three to eight AI-written responses to one prompt, ranked with ties by senior engineers
(`ranking`: tie groups of response keys, best first), with per-response scores on
{", ".join(context.dimensions)}, test verdicts and security findings, every annotator's
own ranking (`annotations`) and their agreement (Kendall's W, pair agreement).

Splits are grouped by prompt and stratified by language.

## Selection

{notes}"""
    return f"---\n{yaml.safe_dump(keys, sort_keys=False, allow_unicode=True)}---\n\n{body}"


def _open_writer(
    name: str, context: ExportContext, options: RankingExportOptions
) -> _PairWriter | _KtoWriter | _RecordWriter:
    if name in PAIR_FORMATS:
        return _PairWriter(name, context, options)
    if name == "trl-kto":
        return _KtoWriter(context, options)
    if name in ("jsonl", "parquet", "hf"):
        return _RecordWriter(name, context)
    raise KeyError(f"unknown format {name!r} (expected one of {', '.join(RANKING_FORMATS)})")


def snippet(name: str, context: ExportContext) -> str:
    """The trainer (or reader) configuration for what was written."""
    if name in PAIR_FORMATS:
        return get_format(name).snippet(context)
    if name == "trl-kto":
        return f"""\
from datasets import load_dataset
from trl import KTOConfig, KTOTrainer

data = load_dataset("{context.out}")
# label True = desirable (upper half of the ranking); weight the rarer side up if needed
kto = KTOTrainer(model="<model>", args=KTOConfig(output_dir="kto", desirable_weight=1.0,
                 undesirable_weight=1.0), train_dataset=data["train"])"""
    if name == "hf":
        return f'from datasets import load_dataset\nds = load_dataset("{context.out}")'
    loader = "json" if name == "jsonl" else "parquet"
    source = f"read_json_auto('{context.out}')" if name == "jsonl" else f"'{context.out}'"
    return reading_snippet(context, loader, source)


def _labelled_prompts(
    reader: WorkspaceReader, options: RankingExportOptions
) -> tuple[list[str], list[str]]:
    """Language and prompt of every ranked task with a label (what the split is planned on)."""
    judged = (
        "EXISTS (SELECT 1 FROM adjudications d WHERE d.task_id = t.id"
        " AND json_extract(d.body, '$.ranking') IS NOT NULL)"
    )
    if not options.adjudicated_only:
        judged += (
            " OR EXISTS (SELECT 1 FROM annotations a WHERE a.task_id = t.id"
            " AND a.status = 'submitted' AND json_extract(a.body, '$.ranking') IS NOT NULL)"
        )
    clause = ""
    if options.languages:
        clause = f" AND t.language IN ({','.join('?' * len(options.languages))})"
    rows = reader.conn.execute(
        f"SELECT t.language, t.prompt FROM tasks t WHERE t.n_responses > 2{clause}"
        f" AND ({judged}) ORDER BY t.rowid",
        options.languages,
    ).fetchall()
    return [row[0] for row in rows], [row[1] for row in rows]


def _plan_split(reader: WorkspaceReader, options: RankingExportOptions) -> NDArray[np.uint64]:
    languages, prompts = _labelled_prompts(reader, options)
    if not prompts:
        return np.empty(0, dtype=np.uint64)
    codes: dict[str, int] = {}
    strata = np.array([codes.setdefault(x, len(codes)) for x in languages], np.int64)
    return pick_test_groups(strata, prompt_group_keys(prompts), options.test_fraction, options.seed)


def _selected(
    task: RankedTask, label: RankedLabel | None, options: RankingExportOptions
) -> str | None:
    """Why a task is left out (the rule's name), or None when it is exported."""
    if label is None:
        return "unlabelled"
    if options.adjudicated_only and not label.adjudicated:
        return "not_adjudicated"
    agreement_floor = options.min_agreement
    if agreement_floor is None or label.adjudicated:
        return None
    return "low_agreement" if (label.kendall_w or 0.0) < agreement_floor else None


def selection_notes(options: RankingExportOptions) -> list[str]:
    """The selection in force, one line per rule."""
    notes = [f"pairs: {options.pairs.value}"]
    if options.languages:
        notes.append(f"languages: {', '.join(options.languages)}")
    if options.adjudicated_only:
        notes.append("adjudicated tasks only")
    if options.min_agreement is not None:
        notes.append(f"Kendall's W >= {options.min_agreement} (adjudicated tasks exempt)")
    if options.exclude_both_failing:
        notes.append("pairs where both responses fail their tests left out")
    notes.append(f"test fraction {options.test_fraction}, seed {options.seed}")
    return notes


def run_ranking_export(
    db_path: Path,
    format_name: str,
    out: Path,
    rubric: Rubric,
    options: RankingExportOptions | None = None,
) -> ExportSummary:
    """Export the ranked tasks of the workspace at ``db_path`` as ``format_name``."""
    options = options or RankingExportOptions()
    context = ExportContext(
        out=out,
        dimensions=rubric.dimension_names,
        explicit_prompt=options.explicit_prompt,
        license=options.license,
        selection_notes=selection_notes(options),
    )
    dimensions: Sequence[str] = rubric.dimension_names
    neutral = (rubric.scale_min + rubric.scale_max) / 2
    excluded: Counter[str] = Counter()
    rows: Counter[str] = Counter()
    read = 0
    with WorkspaceReader(db_path, dimensions) as reader:
        test_keys = _plan_split(reader, options)
        writer = _open_writer(format_name, context, options)
        records = isinstance(writer, _RecordWriter)  # the full record; pairs need less
        try:
            for page in ranked_pages(reader, options.languages, options.page_size, full=records):
                read += len(page)
                chosen: list[tuple[RankedTask, RankedLabel, str]] = []
                groups = is_test(prompt_group_keys([t.prompt for t in page]), test_keys)
                for task, test in zip(page, groups, strict=True):
                    label = label_task(
                        task,
                        dimensions,
                        neutral,
                        scores=records,
                        agreement=records or options.min_agreement is not None,
                    )
                    reason = _selected(task, label, options)
                    if reason is not None or label is None:
                        excluded[reason or "unlabelled"] += 1
                        continue
                    chosen.append((task, label, "test" if test else "train"))
                for _, _, split in chosen:
                    rows[f"tasks_{split}"] += 1
                rows["rows"] += writer.write_page(chosen)
            excluded.update(writer.excluded)
            if not rows["rows"]:
                reasons = ", ".join(f"{n} {r}" for r, n in sorted(excluded.items()))
                raise NothingToExport(
                    f"no ranked task to export: {read} read"
                    + (f"; left out: {reasons}" if reasons else "")
                )
            files = writer.commit()
        except BaseException:
            writer.abort()
            raise
    return ExportSummary(
        format=format_name,
        out=out,
        files=files,
        pairs_read=read,
        excluded=dict(excluded),
        rows=dict(rows),
        snippet=snippet(format_name, context),
    )


def summary_json(summary: ExportSummary) -> dict[str, Any]:
    """The summary for ``--json``: ``tasks_read`` instead of ``pairs_read``."""
    data = summary.to_json()
    data["tasks_read"] = data.pop("pairs_read")
    return data
