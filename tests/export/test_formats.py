"""Every format loads where it is meant to: datasets, pyarrow, DuckDB, TRL's own utilities."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import datasets
import duckdb
import pyarrow.parquet as pq
import pytest
import yaml

from coderlhf_tui.export.formats import get_format
from coderlhf_tui.export.pipeline import ExportOptions, ExportSummary, run_export
from coderlhf_tui.export.quality_card import quality_card
from coderlhf_tui.export.schema import canonical_schema
from coderlhf_tui.rubric import Rubric
from coderlhf_tui.store import Store
from tests.export.workspace import Workspace

CANONICAL = [field.name for field in canonical_schema(["correctness"])]
OPTIONS = ExportOptions(test_fraction=0.2)


def export(
    workspace: Workspace,
    rubric: Rubric,
    name: str,
    out: Path,
    options: ExportOptions = OPTIONS,
) -> ExportSummary:
    return run_export(workspace.path, get_format(name), out, rubric, options)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_jsonl_loads_with_datasets(workspace: Workspace, rubric: Rubric, tmp_path: Path) -> None:
    out = tmp_path / "pairs.jsonl"
    summary = export(workspace, rubric, "jsonl", out)
    ds = datasets.load_dataset("json", data_files=str(out), split="train")
    assert ds.column_names == CANONICAL
    assert len(ds) == sum(summary.rows.values())
    features = ds.features
    assert features["margin"].dtype == "float64"
    assert features["strength"].dtype == "int64"
    assert features["adjudicated"].dtype == "bool"
    assert set(features["scores_a"]) == set(rubric.dimension_names)
    assert features["annotations"].feature["annotator"].dtype == "string"
    assert {row["split"] for row in ds} == {"train", "test"}


def test_parquet_schema_pyarrow_and_duckdb(
    workspace: Workspace, rubric: Rubric, tmp_path: Path
) -> None:
    out = tmp_path / "pairs.parquet"
    summary = export(workspace, rubric, "parquet", out)
    table = pq.read_table(out)
    assert table.schema.equals(canonical_schema(rubric.dimension_names))
    ds = datasets.load_dataset("parquet", data_files=str(out), split="train")
    assert ds.column_names == CANONICAL
    counts = dict(
        duckdb.sql(f"SELECT split, count(*) FROM read_parquet('{out}') GROUP BY split").fetchall()
    )
    assert counts == summary.rows
    chosen = duckdb.sql(
        f"SELECT chosen, scores_a.correctness, len(annotations) FROM read_parquet('{out}')"
        " WHERE task_id = 'py-adj'"
    ).fetchall()
    assert chosen == [("b", 1, 2)]


def test_jsonl_and_parquet_hold_the_same_records(
    workspace: Workspace, rubric: Rubric, tmp_path: Path
) -> None:
    export(workspace, rubric, "jsonl", tmp_path / "a.jsonl")
    export(workspace, rubric, "parquet", tmp_path / "a.parquet")
    assert read_jsonl(tmp_path / "a.jsonl") == pq.read_table(tmp_path / "a.parquet").to_pylist()


def test_hf_folder(workspace: Workspace, rubric: Rubric, tmp_path: Path) -> None:
    out = tmp_path / "hf"
    summary = export(workspace, rubric, "hf", out)
    assert (out / "data" / "train-00000-of-00001.parquet").is_file()
    assert (out / "data" / "test-00000-of-00001.parquet").is_file()
    text = (out / "README.md").read_text(encoding="utf-8")
    assert text.startswith("---\n")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["size_categories"] == ["n<1K"]
    assert front["license"] == "other"
    assert "text-generation" in front["task_categories"] and "code" in front["tags"]
    files = {entry["split"]: entry["path"] for entry in front["configs"][0]["data_files"]}
    assert files == {"train": "data/train-*", "test": "data/test-*"}
    loaded = datasets.load_dataset(str(out))
    assert set(loaded) == {"train", "test"}
    assert loaded["train"].num_rows == summary.rows["train"]
    assert loaded["test"].num_rows == summary.rows["test"]
    assert loaded["train"].column_names == CANONICAL
    assert "## Selection" in text  # no data card passed: the short body


def test_hf_reexport_removes_stale_split(
    workspace: Workspace, rubric: Rubric, tmp_path: Path
) -> None:
    out = tmp_path / "hf"
    export(workspace, rubric, "hf", out)
    export(workspace, rubric, "hf", out, ExportOptions(test_fraction=0.0))
    assert not (out / "data" / "test-00000-of-00001.parquet").exists()
    assert set(datasets.load_dataset(str(out))) == {"train"}


def test_hf_card_carries_a_quality_card(
    workspace: Workspace, rubric: Rubric, tmp_path: Path
) -> None:
    with Store.open(workspace.path) as store:
        card = quality_card(store, rubric, "cc-by-4.0")
    options = ExportOptions(test_fraction=0.2, license="cc-by-4.0")
    run_export(workspace.path, get_format("hf"), tmp_path / "hf", rubric, options, card=card)
    text = (tmp_path / "hf" / "README.md").read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["language"] == ["en"]  # the card's own keys are kept
    assert front["license"] == "cc-by-4.0"
    assert front["size_categories"] == ["n<1K"] and "configs" in front
    assert {"python", "go", "coderlhf"} <= set(front["tags"])  # both cards' tags
    assert "## Annotator pool" in text and "## Rubric" in text
    assert len(datasets.load_dataset(str(tmp_path / "hf"))["train"]) > 0


@pytest.mark.parametrize("name", ["trl", "openrlhf", "axolotl-dpo", "axolotl-rm"])
def test_pairwise_folders_load_as_train_and_test(
    workspace: Workspace, rubric: Rubric, tmp_path: Path, name: str
) -> None:
    out = tmp_path / name
    summary = export(workspace, rubric, name, out)
    loaded = datasets.load_dataset(str(out))
    assert set(loaded) == {"train", "test"}
    assert loaded["train"].num_rows == summary.rows["train"]
    expected = {
        "trl": ["chosen", "rejected", "margin", "id"],
        "openrlhf": ["chosen", "rejected", "margin", "id"],
        "axolotl-dpo": ["system", "prompt", "chosen", "rejected", "id"],
        "axolotl-rm": ["system", "input", "chosen", "rejected", "id"],
    }[name]
    assert loaded["train"].column_names == expected
    if name.startswith("axolotl"):
        for column in expected:
            assert loaded["train"].features[column].dtype == "string"
        assert set(loaded["train"]["system"]) == {""}
    else:
        assert loaded["train"].features["margin"].dtype == "float64"
        assert set(loaded["train"]["margin"]) <= {1.0, 2.0}


def test_chosen_is_the_winner(workspace: Workspace, rubric: Rubric, tmp_path: Path) -> None:
    export(workspace, rubric, "axolotl-dpo", tmp_path / "dpo", ExportOptions(test_fraction=0))
    rows = {row["id"].split(":")[0]: row for row in read_jsonl(tmp_path / "dpo" / "train.jsonl")}
    assert rows["py-00"]["chosen"].endswith("return 1\n")  # A>B
    assert rows["py-adj"]["chosen"].endswith("return 2\n")  # B>>A
    assert rows["py-adj"]["prompt"] == "Write function number py-adj."
