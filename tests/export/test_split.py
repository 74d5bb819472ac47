"""The train/test split: deterministic, grouped by prompt, stratified by language."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from coderlhf_tui.export.pipeline import ExportOptions
from coderlhf_tui.export.split import pick_test_groups
from coderlhf_tui.rubric import Rubric
from tests.export.helpers import export_rows
from tests.export.workspace import build_split_workspace

Rows = dict[str, dict[str, Any]]


@pytest.fixture(scope="module")
def split_db(tmp_path_factory: pytest.TempPathFactory, rubric: Rubric) -> Path:
    return build_split_workspace(tmp_path_factory.mktemp("split") / "w.db", rubric)


def export(db: Path, out: Path, rubric: Rubric, fraction: float, seed: int) -> Rows:
    return export_rows(db, out, rubric, ExportOptions(test_fraction=fraction, seed=seed))[1]


def test_no_prompt_on_both_sides(split_db: Path, rubric: Rubric, tmp_path: Path) -> None:
    rows = export(split_db, tmp_path / "o.parquet", rubric, 0.3, 0)
    sides: dict[str, set[str]] = defaultdict(set)
    for row in rows.values():
        sides[row["prompt"]].add(row["split"])
    assert all(len(s) == 1 for s in sides.values())
    assert {"train", "test"} == set().union(*sides.values())


def test_each_language_gets_its_share(split_db: Path, rubric: Rubric, tmp_path: Path) -> None:
    rows = export(split_db, tmp_path / "o.parquet", rubric, 0.25, 3)
    total = Counter(row["language"] for row in rows.values())
    test = Counter(row["language"] for row in rows.values() if row["split"] == "test")
    for language, n in total.items():
        # groups hold up to 3 pairs, so the share can miss the target by less than 3 pairs
        assert abs(test[language] - round(0.25 * n)) < 3, (language, test[language], n)
        assert test[language] < n


def test_same_seed_same_split_other_seed_other_split(
    split_db: Path, rubric: Rubric, tmp_path: Path
) -> None:
    first = export(split_db, tmp_path / "a.parquet", rubric, 0.2, 7)
    again = export(split_db, tmp_path / "b.parquet", rubric, 0.2, 7)
    other = export(split_db, tmp_path / "c.parquet", rubric, 0.2, 8)

    def test_ids(rows: Rows) -> set[str]:
        return {task for task, row in rows.items() if row["split"] == "test"}

    assert test_ids(first) == test_ids(again)
    assert test_ids(first) != test_ids(other)


def test_zero_fraction_puts_everything_in_train(
    split_db: Path, rubric: Rubric, tmp_path: Path
) -> None:
    rows = export(split_db, tmp_path / "o.parquet", rubric, 0.0, 0)
    assert {row["split"] for row in rows.values()} == {"train"}


def test_a_single_prompt_language_stays_in_train() -> None:
    strata = np.array([0, 0, 0, 1], dtype=np.int64)
    groups = np.array([5, 5, 5, 9], dtype=np.uint64)
    chosen = pick_test_groups(strata, groups, 0.9, 0)
    assert chosen.tolist() == []  # each language keeps a training pair


def test_fraction_must_leave_a_train_split() -> None:
    with pytest.raises(ValueError, match="outside"):
        pick_test_groups(np.zeros(1, np.int64), np.zeros(1, np.uint64), 1.0, 0)
