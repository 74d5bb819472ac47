"""The canonical export record of docs/formats.md, built for a whole page of pairs as columns.

Every other format is a projection of this record, so the label, the rationale choice
and the margin are decided once, here and in ``consensus``. The result is an Arrow
record batch of ``schema.record_schema`` (``split`` is added later, once the whole
selection is known). Choices made here:

- ``margin`` is the preference strength as a float: 1.0 for "better", 2.0 for "much
  better" (TRL's and OpenRLHF's reward losses subtract it from the reward gap).
- ``rationale`` is the adjudication note when there is one, otherwise the non-empty
  rationale of the annotator whose preference is nearest the label (the first such
  annotator by name); every annotator's own rationale stays in ``annotations``.
- ``tags`` is the sorted union of the annotators' tags.
- ``id`` is ``task_id:response_a_id:response_b_id``, stable across exports.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from coderlhf_tui.export.comment_column import comment_values
from coderlhf_tui.export.consensus import PREFERENCE_ORDER, PageLabels
from coderlhf_tui.export.pair_agreement import PageAgreement
from coderlhf_tui.export.schema import (
    AGREEMENT_TYPE,
    COMMENTS_TYPE,
    FINDINGS_TYPE,
    TESTS_TYPE,
    annotation_type,
    record_schema,
    scores_type,
)
from coderlhf_tui.export.source import Page, TestColumns

WINNERS = np.array(["a", "tie", "b"])


def offsets_of(rows: NDArray[np.int64], n: int) -> pa.Array:
    """List offsets for values grouped by (sorted) row, ``n`` rows."""
    counts = np.bincount(rows, minlength=n) if len(rows) else np.zeros(n, dtype=np.int64)
    return pa.array(np.concatenate(([0], np.cumsum(counts))).astype(np.int32))


def _fields(struct: pa.DataType) -> list[pa.Field]:
    return [struct.field(i) for i in range(struct.num_fields)]


def score_columns(labels: PageLabels, key: str, dimensions: Sequence[str]) -> pa.Array:
    """One response's aggregated scores as a struct column."""
    children = [
        pa.array(
            labels.scores[key][dim].level,
            mask=~labels.scores[key][dim].present,
            type=pa.int8(),
        )
        for dim in dimensions
    ]
    return pa.StructArray.from_arrays(children, fields=_fields(scores_type(dimensions)))


def annotation_column(page: Page, dimensions: Sequence[str]) -> pa.Array:
    """Every annotator's judgement, a list per pair."""
    ann = page.annotations
    scores = scores_type(dimensions)
    values = pa.StructArray.from_arrays(
        [
            ann["annotator"].combine_chunks(),
            ann["preference"].combine_chunks(),
            pc.struct_field(ann["scores"], ["a"]).combine_chunks().cast(scores),
            pc.struct_field(ann["scores"], ["b"]).combine_chunks().cast(scores),
            ann["rationale"].fill_null("").combine_chunks(),
            ann["tags"].combine_chunks(),
            ann["time_spent_s"].fill_null(0.0).combine_chunks(),
            ann["shown_order"].fill_null("ab").combine_chunks(),
        ],
        fields=_fields(annotation_type(dimensions)),
    )
    return pa.ListArray.from_arrays(offsets_of(page.annotation_rows, len(page)), values)


def rationale_column(page: Page, labels: PageLabels) -> pa.Array:
    """The record's rationale (see the module docstring)."""
    rows = page.annotation_rows
    texts = page.annotations["rationale"].fill_null("").combine_chunks()
    written = np.asarray(
        pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(texts)), 0).to_numpy(
            zero_copy_only=False
        ),
        dtype=np.bool_,
    )
    candidates = np.nonzero(written)[0]
    distance = np.abs(labels.annotation_ordinals - labels.ordinal[rows])
    order = candidates[np.lexsort((candidates, distance[candidates], rows[candidates]))]
    pick = np.full(len(page), -1, dtype=np.int64)
    owners, first = np.unique(rows[order], return_index=True)
    pick[owners] = order[first]
    chosen = texts.take(pa.array(pick, mask=pick < 0)).fill_null("")
    if not page.adjudications:
        return chosen
    values = chosen.to_pylist()
    for row, adjudication in page.adjudications.items():
        if adjudication.get("note"):
            values[row] = adjudication["note"]
    return pa.array(values, pa.string())


def tags_column(page: Page) -> pa.Array:
    """The sorted union of the annotators' tags, a list per pair."""
    tags = page.annotations["tags"].combine_chunks()
    parents = np.asarray(pc.list_parent_indices(tags).to_numpy(), dtype=np.int64)
    pairs = pa.table({"row": page.annotation_rows[parents], "tag": pc.list_flatten(tags)})
    unique = pairs.group_by(["row", "tag"]).aggregate([])
    unique = unique.sort_by([("row", "ascending"), ("tag", "ascending")])
    rows = np.asarray(unique["row"].to_numpy(), dtype=np.int64)
    return pa.ListArray.from_arrays(offsets_of(rows, len(page)), unique["tag"].combine_chunks())


def tests_column(columns: TestColumns) -> pa.Array:
    """One response's latest test run as a struct column (null where never run)."""
    missing = pa.array([verdict is None for verdict in columns.verdict])
    return pa.StructArray.from_arrays(
        [
            pa.array(columns.verdict, pa.string()),
            pa.array(columns.passed, pa.int32()),
            pa.array(columns.failed, pa.int32()),
            pa.array(columns.duration_s, pa.float64()),
        ],
        fields=_fields(TESTS_TYPE),
        mask=missing,
    )


def findings_column(found: pa.Table, n: int) -> pa.Array:
    """One response's findings, a list per pair."""
    values = pa.StructArray.from_arrays(
        [found[name].combine_chunks() for name in ("rule", "cwe", "severity", "line")],
        fields=_fields(FINDINGS_TYPE.value_type),
    )
    rows = np.asarray(found["task"].to_numpy(), dtype=np.int64)
    return pa.ListArray.from_arrays(offsets_of(rows, n), values)


def agreement_column(agreement: PageAgreement) -> pa.Array:
    """The per-pair agreement struct (null shares where undefined)."""
    children = [pa.array(agreement.annotators, pa.int16())] + [
        pa.array(values, mask=np.isnan(values), type=pa.float64())
        for values in (agreement.winner, agreement.exact, agreement.ordinal)
    ]
    return pa.StructArray.from_arrays(children, fields=_fields(AGREEMENT_TYPE))


def comments_column(page: Page) -> pa.Array:
    """Every annotator's line comments, a list per pair (``comment_column``)."""
    rows, values = comment_values(page)
    return pa.ListArray.from_arrays(offsets_of(rows, len(page)), values, type=COMMENTS_TYPE)


def page_records(
    page: Page, labels: PageLabels, agreement: PageAgreement, dimensions: Sequence[str]
) -> pa.RecordBatch:
    """The canonical records of every pair of a page (unlabelled ones included; the
    caller filters)."""
    n = len(page)
    ordinal = labels.ordinal
    strength = np.abs(ordinal)
    ids = [f"{task}:{a}:{b}" for task, a, b in zip(page.task_ids, *page.response_ids, strict=True)]
    columns = [
        pa.array(ids, pa.string()),
        pa.array(page.task_ids, pa.string()),
        pa.array(page.languages, pa.string()),
        pa.array(page.task_types, pa.string()),
        pa.array(page.prompts, pa.string()),
        pa.array(page.codes[0], pa.string()),
        pa.array(page.codes[1], pa.string()),
        pa.array(page.models[0], pa.string()),
        pa.array(page.models[1], pa.string()),
        pa.array(WINNERS[np.sign(ordinal) + 1].tolist(), pa.string()),
        pa.array(np.array(PREFERENCE_ORDER)[ordinal + 2].tolist(), pa.string()),
        pa.array(strength, pa.int8()),
        pa.array(strength.astype(np.float64), pa.float64()),
        score_columns(labels, "a", dimensions),
        score_columns(labels, "b", dimensions),
        annotation_column(page, dimensions),
        rationale_column(page, labels),
        tags_column(page),
        tests_column(page.tests["a"]),
        tests_column(page.tests["b"]),
        findings_column(page.findings["a"], n),
        findings_column(page.findings["b"], n),
        agreement_column(agreement),
        pa.array(labels.adjudicated, pa.bool_()),
        pa.array(np.where(labels.adjudicated, "adjudication", "consensus").tolist(), pa.string()),
        pa.array(page.gold, pa.string()),
        comments_column(page),
    ]
    return pa.RecordBatch.from_arrays(columns, schema=record_schema(dimensions))
