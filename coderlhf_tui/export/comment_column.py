"""The canonical record's ``comments`` column: every annotator's line comments on a pair.

The comments arrive inside the page's parsed annotation bodies (a list per
annotation, ``source.COMMENT_READ_TYPE``); here they are flattened, given their
annotator, marked ``kept`` unless the adjudication in force dropped them, and grouped
into one list per pair, as array operations (a Python object per comment would cost
more than the rest of a large export). Order: by annotator, then as the annotator
stored them (reading order).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from coderlhf_tui.critiques import COMMENT_FIELDS
from coderlhf_tui.export.schema import COMMENTS_TYPE
from coderlhf_tui.export.source import Page


def comment_values(page: Page) -> tuple[NDArray[np.int64], pa.StructArray]:
    """Every comment of the page as one struct array, with each one's row (sorted)."""
    annotations = page.annotations
    lists = annotations["comments"].combine_chunks()
    flat = pc.list_flatten(lists)
    owner = np.asarray(pc.list_parent_indices(lists).to_numpy(), dtype=np.int64)
    rows = page.annotation_rows[owner]
    item = COMMENTS_TYPE.value_type
    annotator = annotations["annotator"].combine_chunks().take(pa.array(owner, pa.int64()))
    children = [annotator]
    for name in COMMENT_FIELDS:
        child = pc.struct_field(flat, [name]) if len(flat) else pa.array([], pa.string())
        children.append(child.cast(item.field(name).type))
    children.append(pa.array(_kept(page, rows, children[1]), pa.bool_()))
    values = pa.StructArray.from_arrays(
        children, fields=[item.field(i) for i in range(item.num_fields)]
    )
    return rows, values


def _kept(page: Page, rows: NDArray[np.int64], ids: pa.Array) -> NDArray[np.bool_]:
    """False for comments the adjudication in force on their pair dropped."""
    kept = np.ones(len(rows), dtype=np.bool_)
    dropped_by_row = {
        row: set(adjudication.get("dropped_comments") or ())
        for row, adjudication in page.adjudications.items()
        if adjudication.get("dropped_comments")
    }
    if not dropped_by_row:
        return kept
    id_list = ids.to_pylist()
    for index in np.nonzero(np.isin(rows, list(dropped_by_row)))[0]:
        kept[index] = id_list[index] not in dropped_by_row[int(rows[index])]
    return kept
