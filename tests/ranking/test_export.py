"""Ranked exports: derived pairs in every trainer format, KTO rows, full-ranking records."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import datasets
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from transformers import PreTrainedTokenizerFast

from coderlhf_tui.export.rankings import RankingExportOptions, run_ranking_export
from coderlhf_tui.ranking import PairMode
from coderlhf_tui.rubric import Rubric, load_rubric
from tests.conftest import require_part
from tests.core.helpers import run_cli
from tests.ranking.workspace import ranked_workspace

try:
    from trl.data_utils import apply_chat_template, is_conversational
except ImportError:  # pragma: no cover - the suite's environment installs trl
    apply_chat_template = is_conversational = None


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ranked_workspace(tmp_path_factory.mktemp("ranked") / "w.db")


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return load_rubric()


def _load(folder: Path) -> datasets.DatasetDict:
    """A dataset folder as ``load_dataset`` reads it (own cache: no stale hits by name)."""
    return datasets.load_dataset(str(folder), cache_dir=str(folder.parent / "hf-cache"))


def _rows(folder: Path) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for split in ("train", "test"):
        path = folder / f"{split}.jsonl"
        if path.exists():
            out += [json.loads(line) for line in path.read_text().splitlines()]
    return out


def test_all_pairs_with_margins_pass_trl_data_utils(
    db: Path, rubric: Rubric, tmp_path: Path, tokenizer: PreTrainedTokenizerFast
) -> None:
    require_part("trl", apply_chat_template is not None, "scripts/setup dev installs it")
    summary = run_ranking_export(db, "trl", tmp_path / "trl", rubric, RankingExportOptions())
    rows = {row["id"]: row for row in _rows(tmp_path / "trl")}
    # r-0: consensus of c>a=d>b (x2) and c>d>a>b: mean ranks c 1, d 2.33, a 2.67, b 4
    assert {i for i in rows if i.startswith("r-0:")} == {
        "r-0:c:d",
        "r-0:c:a",
        "r-0:c:b",
        "r-0:d:a",
        "r-0:d:b",
        "r-0:a:b",
    }
    assert rows["r-0:c:b"]["margin"] == 2.0 and rows["r-0:d:a"]["margin"] == 1.0
    # r-2 is adjudicated a>b>c although the annotators put b first
    assert {i for i in rows if i.startswith("r-2:")} == {"r-2:a:b", "r-2:a:c", "r-2:b:c"}
    assert not any(i.startswith("p-0") for i in rows)  # pairwise tasks are `export`'s
    assert summary.rows["rows"] == len(rows) == 6 + 6 + 3
    for row in rows.values():
        example = {k: row[k] for k in ("chosen", "rejected")}
        assert is_conversational(example)
        text = apply_chat_template(example, tokenizer)
        assert row["chosen"][-1]["content"] in text["chosen"]
    loaded = _load(tmp_path / "trl")
    assert sum(len(part) for part in loaded.values()) == len(rows)


def test_best_vs_rest_and_the_other_pair_formats(db: Path, rubric: Rubric, tmp_path: Path) -> None:
    options = RankingExportOptions(pairs=PairMode.BEST_VS_REST, test_fraction=0)
    run_ranking_export(db, "trl", tmp_path / "best", rubric, options)
    ids = sorted(row["id"] for row in _rows(tmp_path / "best"))
    assert ids == [
        "r-0:c:a",
        "r-0:c:b",
        "r-0:c:d",
        "r-1:a:b",
        "r-1:a:c",
        "r-1:a:d",
        "r-2:a:b",
        "r-2:a:c",
    ]
    expected = {
        "openrlhf": {"chosen", "rejected", "margin", "id"},
        "axolotl-dpo": {"system", "prompt", "chosen", "rejected", "id"},
        "axolotl-rm": {"system", "input", "chosen", "rejected", "id"},
    }
    for name, columns in expected.items():
        run_ranking_export(db, name, tmp_path / name, rubric, options)
        loaded = _load(tmp_path / name)["train"]
        assert set(loaded.column_names) == columns and len(loaded) == 8


def test_kto_rows_mark_the_upper_half_desirable(
    db: Path, rubric: Rubric, tmp_path: Path, tokenizer: PreTrainedTokenizerFast
) -> None:
    require_part("trl", apply_chat_template is not None, "scripts/setup dev installs it")
    options = RankingExportOptions(test_fraction=0)
    run_ranking_export(db, "trl-kto", tmp_path / "kto", rubric, options)
    rows = {row["id"]: row for row in _rows(tmp_path / "kto")}
    labels = {i: row["label"] for i, row in rows.items() if i.startswith("r-0:")}
    assert labels == {"r-0:c": True, "r-0:d": True, "r-0:a": False, "r-0:b": False}
    assert "r-2:b" not in rows  # the middle of three ranks is neither
    for row in rows.values():
        example = {k: row[k] for k in ("prompt", "completion")}
        assert is_conversational(example)
        text = apply_chat_template(example, tokenizer)
        assert row["completion"][0]["content"] in text["completion"]
    loaded = _load(tmp_path / "kto")["train"]
    assert loaded.features["label"].dtype == "bool"


def test_canonical_records_keep_the_full_ranking(db: Path, rubric: Rubric, tmp_path: Path) -> None:
    for name, out in (("jsonl", "r.jsonl"), ("parquet", "r.parquet"), ("hf", "hf")):
        run_ranking_export(
            db, name, tmp_path / out, rubric, RankingExportOptions(test_fraction=0.3)
        )
    records = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text().splitlines()]
    by_id = {r["id"]: r for r in records}
    r0 = by_id["r-0"]
    assert r0["ranking"] == [["c"], ["d"], ["a"], ["b"]] and r0["ranking_text"] == "c>d>a>b"
    assert r0["annotations"][0]["ranking"] == [["c"], ["a", "d"], ["b"]]
    b = next(resp for resp in r0["responses"] if resp["key"] == "b")
    assert b["tests"]["verdict"] == "FAILED" and b["findings"][0]["cwe"] == "CWE-95"
    assert b["rank"] == 4.0 and b["model"] == "m-b" and b["scores"]["correctness"] == 4
    assert r0["agreement"]["annotators"] == 3 and 0 < r0["agreement"]["kendall_w"] < 1
    assert by_id["r-2"]["label_source"] == "adjudication"
    assert pq.read_table(tmp_path / "r.parquet").num_rows == len(records) == 3
    hf = _load(tmp_path / "hf")
    assert sum(len(part) for part in hf.values()) == 3
    assert hf["train"][0]["responses"][0]["key"] == "a"
    card = (tmp_path / "hf" / "README.md").read_text()
    assert "configs:" in card and "ranking" in card


def test_cli_selection_and_nothing_to_export(db: Path, tmp_path: Path) -> None:
    result = run_cli(
        "export-rankings",
        "--format",
        "trl",
        "--out",
        tmp_path / "o",
        "--db",
        db,
        "--min-agreement",
        "0.99",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["excluded"] == {"low_agreement": 1}  # r-0 (W 0.976); r-2 adjudicated
    result = run_cli(
        "export-rankings",
        "--format",
        "jsonl",
        "--out",
        tmp_path / "x.jsonl",
        "--db",
        db,
        "--adjudicated-only",
        "--language",
        "go",
    )
    assert result.returncode == 2 and "no ranked task to export" in result.stderr


@pytest.mark.parametrize("explicit", [False, True])
def test_direct_conversation_rows_equal_the_arrow_rows(tmp_path: Path, explicit: bool) -> None:
    from coderlhf_tui.export.base import ExportContext
    from coderlhf_tui.export.formats import get_format
    from coderlhf_tui.export.ranked_conversations import ConversationPairFiles
    from coderlhf_tui.ranking import derived_pairs, parse_ranking

    prompt = 'Quote "this" \\ and \x08\x0c tab\t — ünïcode\nline'
    codes = {"a": "print('a')\n", "b": 'x = "\\n"\x0c\n', "c": "é = 1\r\n", "d": "\x00?"}
    pairs = list(derived_pairs(parse_ranking("c>a=d>b")))
    direct = ConversationPairFiles(tmp_path / "direct", explicit)
    direct.add_task("t-1", prompt, codes, pairs, "train")
    direct.flush()
    direct.commit()
    table = pa.table(
        {
            "id": [f"t-1:{p.better}:{p.worse}" for p in pairs],
            "prompt": [prompt] * len(pairs),
            "response_a": [codes[p.better] for p in pairs],
            "response_b": [codes[p.worse] for p in pairs],
            "chosen": ["a"] * len(pairs),
            "margin": pa.array([float(p.strength) for p in pairs], pa.float64()),
            "split": ["train"] * len(pairs),
        }
    )
    context = ExportContext(out=tmp_path / "arrow", dimensions=(), explicit_prompt=explicit)
    sink = get_format("trl").open(context)
    sink.write(table)
    sink.commit()
    ours = (tmp_path / "direct" / "train.jsonl").read_text()
    theirs = (tmp_path / "arrow" / "train.jsonl").read_text()
    assert [json.loads(line) for line in ours.splitlines()] == [
        json.loads(line) for line in theirs.splitlines()
    ]
    assert ours == theirs  # byte for byte, escaping included
