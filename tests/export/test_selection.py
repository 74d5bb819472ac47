"""Selection rules, deduplication and the exclusion counts an export reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from coderlhf_tui.export.formats import get_format
from coderlhf_tui.export.pipeline import ExportOptions, NothingToExport, run_export
from coderlhf_tui.export.selection import Selection
from coderlhf_tui.rubric import Rubric
from tests.export.helpers import export_rows
from tests.export.workspace import Workspace


def select(**kwargs: object) -> ExportOptions:
    return ExportOptions(selection=Selection(**kwargs))  # type: ignore[arg-type]


def test_default_selection_counts_what_it_leaves_out(
    workspace: Workspace, rubric: Rubric, tmp_path: Path
) -> None:
    summary, rows = export_rows(workspace.path, tmp_path / "o.parquet", rubric)
    assert summary.pairs_read == 35
    assert summary.excluded == {"unlabelled": 1, "identical_responses": 1, "duplicate": 1}
    assert sum(summary.rows.values()) == len(rows) == 32
    assert "py-tie" in rows  # canonical formats keep ties


def test_repeats_are_removed_keeping_the_first(
    workspace: Workspace, rubric: Rubric, tmp_path: Path
) -> None:
    _, rows = export_rows(workspace.path, tmp_path / "o.parquet", rubric)
    assert "py-dup1" in rows and "py-dup2" not in rows  # same prompt, A/B swapped
    assert "py-same" not in rows  # both responses the same code


def test_adjudicated_only(workspace: Workspace, rubric: Rubric, tmp_path: Path) -> None:
    summary, rows = export_rows(
        workspace.path, tmp_path / "o.parquet", rubric, select(adjudicated_only=True)
    )
    assert list(rows) == ["py-adj"]
    assert summary.excluded["not_adjudicated"] == 33  # every other labelled pair


def test_min_agreement_exempts_adjudicated_and_drops_single_annotators(
    workspace: Workspace, rubric: Rubric, tmp_path: Path
) -> None:
    summary, rows = export_rows(
        workspace.path, tmp_path / "o.parquet", rubric, select(min_agreement=0.5)
    )
    assert "py-adj" in rows  # annotators disagreed, the lead decided
    assert "py-split" not in rows  # winner agreement 1/3
    assert "py-single" not in rows  # no agreement to show
    assert summary.excluded["low_agreement"] == 2
    assert "py-00" in rows


def test_pairwise_formats_leave_ties_out(
    workspace: Workspace, rubric: Rubric, tmp_path: Path
) -> None:
    summary = run_export(workspace.path, get_format("trl"), tmp_path / "trl", rubric)
    assert summary.excluded["tie"] == 1
    lines = (tmp_path / "trl" / "train.jsonl").read_text().splitlines()
    lines += (tmp_path / "trl" / "test.jsonl").read_text().splitlines()
    assert len(lines) == sum(summary.rows.values()) == 31
    assert not any('"py-tie:' in line for line in lines)


def test_both_failing_only_on_request(workspace: Workspace, rubric: Rubric, tmp_path: Path) -> None:
    _, kept = export_rows(workspace.path, tmp_path / "a.parquet", rubric)
    summary, rows = export_rows(
        workspace.path, tmp_path / "b.parquet", rubric, select(exclude_both_failing=True)
    )
    assert "py-fail" in kept and "py-fail" not in rows
    assert "py-00" in rows  # only one side fails
    assert summary.excluded["both_failing"] == 1


def test_language_filter(workspace: Workspace, rubric: Rubric, tmp_path: Path) -> None:
    summary, rows = export_rows(
        workspace.path, tmp_path / "o.parquet", rubric, select(languages=("go", "javascript"))
    )
    assert summary.pairs_read == 14
    assert {row["language"] for row in rows.values()} == {"go", "javascript"}
    assert len(rows) == 14


def test_nothing_left_is_an_error_not_an_empty_dataset(
    workspace: Workspace, rubric: Rubric, tmp_path: Path
) -> None:
    options = select(languages=("go",), min_agreement=1.01)
    with pytest.raises(NothingToExport, match=r"6 read; left out: 6 low_agreement"):
        run_export(workspace.path, get_format("hf"), tmp_path / "hf", rubric, options)
    assert not (tmp_path / "hf" / "README.md").exists()
    assert not list(tmp_path.rglob("*.partial"))


def test_small_pages_give_the_same_export(
    workspace: Workspace, rubric: Rubric, tmp_path: Path
) -> None:
    """Dedup and split decisions carry across pages."""
    big, rows_big = export_rows(workspace.path, tmp_path / "a.parquet", rubric)
    small, rows_small = export_rows(
        workspace.path, tmp_path / "b.parquet", rubric, ExportOptions(page_size=4)
    )
    assert rows_big == rows_small
    assert big.excluded == small.excluded
