"""The explicit Arrow schema of the canonical record.

Written out rather than inferred, so that every Parquet file of a workspace has the
same column types whatever its first rows happen to hold (a batch where no response was
ever tested must still give ``tests_a`` its struct type, not ``null``). The score
structs take their fields from the rubric's dimensions.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa

SPLIT_FIELD = pa.field("split", pa.string(), nullable=False)


def scores_type(dimensions: Sequence[str]) -> pa.StructType:
    """One response's per-dimension levels (null where nobody scored)."""
    return pa.struct([pa.field(dim, pa.int8()) for dim in dimensions])


TESTS_TYPE = pa.struct(
    [
        pa.field("verdict", pa.string()),
        pa.field("passed", pa.int32()),
        pa.field("failed", pa.int32()),
        pa.field("duration_s", pa.float64()),
    ]
)
FINDINGS_TYPE = pa.list_(
    pa.struct(
        [
            pa.field("rule", pa.string()),
            pa.field("cwe", pa.string()),
            pa.field("severity", pa.string()),
            pa.field("line", pa.int32()),
        ]
    )
)
AGREEMENT_TYPE = pa.struct(
    [
        pa.field("annotators", pa.int16()),
        pa.field("winner", pa.float64()),
        pa.field("exact", pa.float64()),
        pa.field("ordinal", pa.float64()),
    ]
)


COMMENTS_TYPE = pa.list_(
    pa.struct(
        [
            pa.field("annotator", pa.string()),
            pa.field("id", pa.string()),
            pa.field("response", pa.string()),
            pa.field("start_line", pa.int32()),
            pa.field("end_line", pa.int32()),
            pa.field("category", pa.string()),
            pa.field("severity", pa.string()),
            pa.field("text", pa.string()),
            pa.field("quote", pa.string()),
            pa.field("rule_id", pa.string()),
            pa.field("verdict", pa.string()),
            pa.field("kept", pa.bool_()),
        ]
    )
)
"""Every annotator's line comments on the pair (``kept``: not dropped by adjudication)."""


def annotation_type(dimensions: Sequence[str]) -> pa.StructType:
    """One annotator's judgement inside the record."""
    scores = scores_type(dimensions)
    return pa.struct(
        [
            pa.field("annotator", pa.string()),
            pa.field("preference", pa.string()),
            pa.field("scores_a", scores),
            pa.field("scores_b", scores),
            pa.field("rationale", pa.string()),
            pa.field("tags", pa.list_(pa.string())),
            pa.field("time_spent_s", pa.float64()),
            pa.field("shown_order", pa.string()),
        ]
    )


def record_schema(dimensions: Sequence[str]) -> pa.Schema:
    """The canonical record without ``split`` (what the first pass spills)."""
    scores = scores_type(dimensions)
    return pa.schema(
        [
            pa.field("id", pa.string(), nullable=False),
            pa.field("task_id", pa.string(), nullable=False),
            pa.field("language", pa.string(), nullable=False),
            pa.field("task_type", pa.string()),
            pa.field("prompt", pa.string(), nullable=False),
            pa.field("response_a", pa.string(), nullable=False),
            pa.field("response_b", pa.string(), nullable=False),
            pa.field("model_a", pa.string()),
            pa.field("model_b", pa.string()),
            pa.field("chosen", pa.string(), nullable=False),
            pa.field("preference", pa.string(), nullable=False),
            pa.field("strength", pa.int8(), nullable=False),
            pa.field("margin", pa.float64(), nullable=False),
            pa.field("scores_a", scores),
            pa.field("scores_b", scores),
            pa.field("annotations", pa.list_(annotation_type(dimensions))),
            pa.field("rationale", pa.string()),
            pa.field("tags", pa.list_(pa.string())),
            pa.field("tests_a", TESTS_TYPE),
            pa.field("tests_b", TESTS_TYPE),
            pa.field("findings_a", FINDINGS_TYPE),
            pa.field("findings_b", FINDINGS_TYPE),
            pa.field("agreement", AGREEMENT_TYPE),
            pa.field("adjudicated", pa.bool_(), nullable=False),
            pa.field("label_source", pa.string(), nullable=False),
            pa.field("gold", pa.string()),
            pa.field("comments", COMMENTS_TYPE),
        ]
    )


def canonical_schema(dimensions: Sequence[str]) -> pa.Schema:
    """The full canonical record, ``split`` last."""
    return record_schema(dimensions).append(SPLIT_FIELD)
