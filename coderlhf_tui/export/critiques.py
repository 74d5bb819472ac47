"""``--format critiques``: one record per line comment, for critique and code-review models.

A record carries what a critic model sees and what it should say: the task's
``prompt``, the ``response`` code the comment is on, the anchor in GitHub's review-
comment fields (``path``, ``line``, ``start_line``, ``side``, ``start_side``;
``coderlhf_tui.critiques.review_fields`` defines them), the ``quoted_code`` of the
range, and the comment's ``category``, ``severity`` and ``text``. Only kept critiques
are written (not disputed findings, not comments a lead dropped); an accepted scanner
finding keeps its ``rule_id``. The folder holds ``train.jsonl`` and ``test.jsonl``
(the canonical split: a prompt's comments are all on one side).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from coderlhf_tui.critiques import SOLUTION_PATHS
from coderlhf_tui.export.base import ExportContext, ExportFormat
from coderlhf_tui.export.comment_rows import SplitRowsSink, critique_comments
from coderlhf_tui.export.formats import SUMMARIES

UNKNOWN_PATH = "solution.txt"


def critique_rows(table: pa.Table) -> pa.Table:
    """The critique records of a table of canonical rows."""
    rows, comments = critique_comments(table)
    take = pa.array(rows, pa.int32())

    def pair(name: str) -> pa.Array:
        """A pair-level column per comment, dictionary-encoded: a pair's prompt (and code)
        repeats for each of its comments, and is then JSON-encoded once, not per comment."""
        return pa.DictionaryArray.from_arrays(take, table[name].combine_chunks())

    def field(name: str) -> pa.Array:
        if not len(comments):
            return pa.array([], table.schema.field("comments").type.value_type.field(name).type)
        return pc.struct_field(comments, [name])

    on_b = np.asarray(pc.equal(field("response"), "b").to_numpy(zero_copy_only=False), bool)
    codes = pa.concat_arrays(
        [table["response_a"].combine_chunks(), table["response_b"].combine_chunks()]
    )
    code_rows = pa.array(rows + on_b * table.num_rows, pa.int32())
    start, end = field("start_line"), field("end_line")
    multi = pc.greater(end, start)
    languages = table["language"].combine_chunks().take(take).to_pylist()
    return pa.table(
        {
            "id": field("id"),
            "pair_id": pair("id"),
            "task_id": pair("task_id"),
            "language": pair("language"),
            "prompt": pair("prompt"),
            "response_key": field("response"),
            "response": pa.DictionaryArray.from_arrays(code_rows, codes),
            "annotator": field("annotator"),
            "path": pa.array([SOLUTION_PATHS.get(x, UNKNOWN_PATH) for x in languages]),
            "line": end,
            "start_line": pc.if_else(multi, start, pa.scalar(None, pa.int32())),
            "side": pa.array(np.full(len(rows), "RIGHT").tolist(), pa.string()),
            "start_side": pc.if_else(multi, "RIGHT", pa.scalar(None, pa.string())),
            "quoted_code": field("quote"),
            "category": field("category"),
            "severity": field("severity"),
            "text": field("text"),
            "rule_id": field("rule_id"),
        }
    )


def open_sink(context: ExportContext) -> SplitRowsSink:
    """A sink writing critique records."""
    return SplitRowsSink(context, critique_rows)


def snippet(context: ExportContext) -> str:
    """How to read the critiques back."""
    return f"""\
from datasets import load_dataset
critiques = load_dataset("{context.out}")
# one row per comment: prompt, response, path/line/start_line/side, quoted_code,
# category, severity, text (GitHub review-comment anchor fields)"""


FORMAT = ExportFormat(
    name="critiques",
    summary=SUMMARIES["critiques"],
    pairwise=False,
    open=open_sink,
    snippet=snippet,
)
