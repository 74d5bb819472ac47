"""The label rule: adjudication first, else the median with halves toward tie; scores,
rationale, tags and agreement as docs/export.md says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from coderlhf_tui.export.consensus import group_median_toward
from coderlhf_tui.export.pair_agreement import page_agreement
from coderlhf_tui.rubric import Rubric
from coderlhf_tui.store import Store
from tests.export.helpers import export_rows
from tests.export.workspace import Workspace, annotate, build_workspace

Rows = dict[str, dict[str, Any]]


@pytest.mark.parametrize(
    ("values", "neutral", "expected"),
    [
        ([-1, -2], 0, -1),  # A>B + A>>B -> A>B
        ([-1, 0], 0, 0),  # A>B + tie -> tie
        ([-1, 1], 0, 0),  # A>B + B>A -> tie
        ([1, 2, 2], 0, 2),  # odd count: the plain median
        ([2, 2, 1, 1], 0, 1),  # an even split between B>>A and B>A -> B>A
        ([4, 5], 3, 4),  # scores: toward the scale middle
        ([2, 3], 3, 3),
        ([1, 2], 2.5, 2),  # equally near: the lower level
        ([3, 2], 2.5, 2),
    ],
)
def test_median_rounds_halves_toward_neutral(
    values: list[int], neutral: float, expected: int
) -> None:
    groups = np.zeros(len(values), dtype=np.int64)
    medians, present = group_median_toward(groups, np.array(values, np.int64), 1, neutral)
    assert present[0]
    assert medians[0] == expected


def test_median_is_per_group_and_marks_empty_groups() -> None:
    groups = np.array([2, 0, 2, 0, 2], dtype=np.int64)
    values = np.array([1, -2, 2, -1, 2], dtype=np.int64)
    medians, present = group_median_toward(groups, values, 3, 0.0)
    assert present.tolist() == [True, False, True]
    assert medians[0] == -1 and medians[2] == 2


def test_agreement_shares() -> None:
    rows = np.array([0, 0, 1, 1, 1, 2], dtype=np.int64)
    ordinals = np.array([-1, -2, -1, 1, 2, 0], dtype=np.int64)
    agreement = page_agreement(rows, ordinals, 3)
    assert agreement.annotators.tolist() == [2, 3, 1]
    assert agreement.winner[0] == 1.0 and agreement.exact[0] == 0.0
    assert agreement.ordinal[0] == pytest.approx(0.75)
    assert agreement.winner[1] == pytest.approx(1 / 3)
    assert agreement.ordinal[1] == pytest.approx(1 - (2 + 3 + 1) / 3 / 4)
    assert np.isnan(agreement.winner[2])


@pytest.fixture(scope="module")
def rows(workspace: Workspace, rubric: Rubric, tmp_path_factory: pytest.TempPathFactory) -> Rows:
    out = tmp_path_factory.mktemp("labels") / "all.parquet"
    return export_rows(workspace.path, out, rubric)[1]


def test_every_exported_label_follows_the_rule(rows: Rows, workspace: Workspace) -> None:
    for task_id, row in rows.items():
        assert row["preference"] == workspace.expected_labels[task_id], task_id


def test_consensus_record(rows: Rows) -> None:
    row = rows["py-00"]
    assert (row["chosen"], row["strength"], row["margin"]) == ("a", 1, 1.0)
    assert row["label_source"] == "consensus" and not row["adjudicated"]
    assert row["scores_a"]["correctness"] == 4  # median of 4 and 5, toward the middle
    assert row["scores_b"]["style"] == 2
    assert [a["annotator"] for a in row["annotations"]] == ["ann1", "ann2"]
    assert row["annotations"][1]["scores_a"]["security"] == 5
    assert row["rationale"] == "ann1 on py-00"  # ann1 chose exactly the label
    assert row["tags"] == ["NO_TIME_WINDOW"]
    assert row["agreement"] == {"annotators": 2, "winner": 1.0, "exact": 0.0, "ordinal": 0.75}
    assert row["tests_a"]["verdict"] == "PASSED" and row["tests_b"]["failed"] == 1
    assert row["findings_b"] == [
        {"rule": "py.eval", "cwe": "CWE-95", "severity": "HIGH", "line": 3}
    ]
    assert row["findings_a"] == [] and rows["py-01"]["tests_a"] is None


def test_latest_adjudication_wins_and_overrides_scores_it_gives(rows: Rows) -> None:
    row = rows["py-adj"]
    assert row["preference"] == "B>>A" and row["chosen"] == "b" and row["margin"] == 2.0
    assert row["adjudicated"] and row["label_source"] == "adjudication"
    assert row["rationale"] == "B handles the window; A does not"
    assert row["scores_a"]["correctness"] == 1  # the lead's score
    assert row["scores_a"]["security"] == 3  # the annotators' median (3 and 3)
    assert row["gold"] == "B>A"
    assert row["agreement"]["winner"] == 0.0  # the annotators still disagreed


def test_drafts_do_not_count(rows: Rows) -> None:
    assert "py-draft" not in rows


def test_ties_and_single_annotators_kept_in_canonical_records(rows: Rows) -> None:
    assert rows["py-tie"]["chosen"] == "tie" and rows["py-tie"]["margin"] == 0.0
    single = rows["py-single"]["agreement"]
    assert single["annotators"] == 1 and single["winner"] is None


def test_split_vote_uses_the_nearest_rationale(rows: Rows) -> None:
    row = rows["py-split"]
    assert row["preference"] == "B>A"
    assert row["rationale"] == "ann2 on py-split"


def test_export_is_a_snapshot_of_submitted_work(tmp_path: Path, rubric: Rubric) -> None:
    ws = build_workspace(tmp_path / "w.db", rubric)
    with Store.open(ws.path) as store:
        annotate(store, rubric, "py-draft", "ann2", "B>>A")
    _, rows = export_rows(ws.path, tmp_path / "o.parquet", rubric)
    assert rows["py-draft"]["preference"] == "B>>A"  # the draft of ann1 still ignored
    assert [a["annotator"] for a in rows["py-draft"]["annotations"]] == ["ann2"]
