"""The rows a ranked export writes: canonical records, derived pairs, KTO rows.

- The **canonical ranked record** keeps the whole ranking: one row per task with every
  response (key, id, model, code, its rank and tie group, scores, tests, findings), the
  exported ranking, every annotator's own ranking, agreement and provenance
  (docs/export.md, "Rankings"). Its Arrow schema is explicit so Parquet files and Hugging
  Face folders from different exports line up.
- **Derived pairs** are what the pairwise trainers read: a table in the pairwise
  export's canonical columns (``response_a`` = the better response, ``chosen`` = "a"),
  so TRL, OpenRLHF and Axolotl rows come from the existing formats unchanged.
- **KTO rows** (TRL's unpaired preference): ``prompt``, ``completion`` and a boolean
  ``label`` per response.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from coderlhf_tui.export.conversation import conversations
from coderlhf_tui.export.ranked_labels import RankedLabel
from coderlhf_tui.export.ranked_source import RankedTask
from coderlhf_tui.export.schema import FINDINGS_TYPE, TESTS_TYPE, scores_type
from coderlhf_tui.ranking import DerivedPair, format_ranking

RANKING_TYPE = pa.list_(pa.list_(pa.string()))


def ranked_schema(dimensions: Sequence[str]) -> pa.Schema:
    """The canonical ranked record's columns."""
    levels = scores_type(dimensions)
    response = pa.struct(
        [
            pa.field("key", pa.string()),
            pa.field("id", pa.string()),
            pa.field("model", pa.string()),
            pa.field("code", pa.string()),
            pa.field("rank", pa.float64()),
            pa.field("group", pa.int8()),
            pa.field("scores", levels),
            pa.field("tests", TESTS_TYPE),
            pa.field("findings", FINDINGS_TYPE),
        ]
    )
    annotation = pa.struct(
        [
            pa.field("annotator", pa.string()),
            pa.field("ranking", RANKING_TYPE),
            pa.field("rationale", pa.string()),
            pa.field("tags", pa.list_(pa.string())),
            pa.field("time_spent_s", pa.float64()),
            pa.field("shown_order", pa.string()),
        ]
    )
    agreement = pa.struct(
        [
            pa.field("annotators", pa.int32()),
            pa.field("kendall_w", pa.float64()),
            pa.field("pair_agreement", pa.float64()),
        ]
    )
    return pa.schema(
        [
            pa.field("id", pa.string()),
            pa.field("task_id", pa.string()),
            pa.field("language", pa.string()),
            pa.field("task_type", pa.string()),
            pa.field("prompt", pa.string()),
            pa.field("ranking", RANKING_TYPE),
            pa.field("ranking_text", pa.string()),
            pa.field("responses", pa.list_(response)),
            pa.field("annotations", pa.list_(annotation)),
            pa.field("agreement", agreement),
            pa.field("adjudicated", pa.bool_()),
            pa.field("label_source", pa.string()),
            pa.field("split", pa.string()),
        ]
    )


def ranked_record(task: RankedTask, label: RankedLabel, split: str) -> dict[str, Any]:
    """One canonical ranked record as a plain dict (the schema's shape)."""
    groups = {key: index for index, group in enumerate(label.ranking) for key in group}
    responses = [
        {
            "key": key,
            "id": task.response_ids[index],
            "model": task.models[index],
            "code": task.codes[index],
            "rank": label.ranks[key],
            "group": groups[key],
            "scores": label.scores[key],
            "tests": task.tests.get(key),
            "findings": task.findings.get(key, []),
        }
        for index, key in enumerate(task.keys)
    ]
    return {
        "id": task.task_id,
        "task_id": task.task_id,
        "language": task.language,
        "task_type": task.task_type,
        "prompt": task.prompt,
        "ranking": label.ranking,
        "ranking_text": format_ranking(label.ranking),
        "responses": responses,
        "annotations": [
            {
                "annotator": j.annotator,
                "ranking": j.ranking,
                "rationale": j.rationale,
                "tags": j.tags,
                "time_spent_s": j.time_spent_s,
                "shown_order": j.shown_order,
            }
            for j in task.judgements
        ],
        "agreement": {
            "annotators": len(task.judgements),
            "kendall_w": label.kendall_w,
            "pair_agreement": label.pair_agreement,
        },
        "adjudicated": label.adjudicated,
        "label_source": "adjudication" if label.adjudicated else "consensus",
        "split": split,
    }


class PairColumns:
    """Derived pairs gathered as the pairwise export's canonical columns."""

    def __init__(self) -> None:
        self.columns: dict[str, list[Any]] = {
            name: []
            for name in ("id", "prompt", "response_a", "response_b", "chosen", "margin", "split")
        }

    def add(self, task: RankedTask, pair: DerivedPair, split: str) -> None:
        """One pair: the better response as A, chosen."""
        index = task.keys.index
        self.columns["id"].append(f"{task.task_id}:{pair.better}:{pair.worse}")
        self.columns["prompt"].append(task.prompt)
        self.columns["response_a"].append(task.codes[index(pair.better)])
        self.columns["response_b"].append(task.codes[index(pair.worse)])
        self.columns["chosen"].append("a")
        self.columns["margin"].append(float(pair.strength))
        self.columns["split"].append(split)

    def __len__(self) -> int:
        return len(self.columns["id"])

    def table(self) -> pa.Table:
        """The pairs as an Arrow table (``margin`` float64, the rest strings)."""
        return pa.table(
            {
                name: pa.array(values, pa.float64() if name == "margin" else pa.string())
                for name, values in self.columns.items()
            }
        )


def kto_rows(
    prompts: list[str], completions: list[str], labels: list[bool], ids: list[str]
) -> pa.Table:
    """TRL's unpaired preference rows, conversational: a user prompt, one assistant answer."""
    return pa.table(
        {
            "prompt": conversations([("user", pa.array(prompts, pa.string()))]),
            "completion": conversations([("assistant", pa.array(completions, pa.string()))]),
            "label": pa.array(labels, pa.bool_()),
            "id": pa.array(ids, pa.string()),
        }
    )
