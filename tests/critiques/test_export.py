"""Comments in the canonical record, the critique dataset and TRL stepwise rows,
each read back with the loaders the trainers use (datasets, TRL's data utilities)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from datasets import load_dataset

from coderlhf_tui.critiques import code_lines, from_finding
from coderlhf_tui.domain import Adjudication, Finding, FindingVerdict, Preference, Severity
from coderlhf_tui.export.formats import get_format
from coderlhf_tui.export.pipeline import ExportOptions, run_export
from coderlhf_tui.rubric import Rubric, load_rubric
from tests.conftest import require_part
from tests.critiques.helpers import RATE_LIMITER, comment, demo_store, submit

try:
    from trl.data_utils import is_conversational, maybe_apply_chat_template
except ImportError:  # pragma: no cover - the suite's environment installs trl
    is_conversational = maybe_apply_chat_template = None

SQLI = "py-user-lookup-sqli"
OPTIONS = ExportOptions(test_fraction=0.0)


class Built:
    """The workspace and the comment ids the tests check against."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rubric: Rubric = load_rubric()
        self.ids: dict[str, str] = {}
        self.codes: dict[tuple[str, str], str] = {}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    ws = Built(tmp_path_factory.mktemp("crit") / "ws.db")
    store = demo_store(ws.path)
    for task_id in (RATE_LIMITER, SQLI):
        task = store.get_task(task_id)
        assert task is not None
        for key in ("a", "b"):
            ws.codes[(task_id, key)] = task.response("a" if key == "a" else "b").code
    window = comment(store, "a", 3, 5, "correctness_bug", Severity.HIGH, "no time window")
    lock = comment(store, "a", 7, 7, "edge_case", Severity.MEDIUM, "no lock")
    note = comment(store, "b", 2, 2, "readability", Severity.INFO, "nice name")
    finding = Finding("py.sqli", "CWE-89", "SQL injection", Severity.HIGH, 2, 2, "f-string query")
    accepted = from_finding(ws.codes[(SQLI, "a")], "a", finding, FindingVerdict.AGREE, "security")
    disputed = from_finding(ws.codes[(SQLI, "b")], "b", finding, FindingVerdict.DISPUTE, "security")
    ws.ids = {"window": window.id, "lock": lock.id, "note": note.id, "accepted": accepted.id}
    submit(store, ws.rubric, "ak", [window, lock, note])
    other = comment(store, "a", 4, 4, "correctness_bug", Severity.HIGH, "never resets")
    ws.ids["other"] = other.id
    submit(store, ws.rubric, "bo", [other])
    submit(store, ws.rubric, "ak", [accepted, disputed], task_id=SQLI)
    submit(store, ws.rubric, "bo", [], task_id=SQLI)
    store.save_adjudication(
        Adjudication(
            str(uuid.uuid4()),
            RATE_LIMITER,
            "lead",
            Preference.B_MUCH_BETTER,
            dropped_comments=[lock.id],
        )
    )
    store.close()
    return ws


def read_folder(folder: Path) -> list[dict[str, Any]]:
    text = (folder / "train.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def test_canonical_record_carries_every_comment(built: Built, tmp_path: Path) -> None:
    out = tmp_path / "all.parquet"
    run_export(built.path, get_format("parquet"), out, built.rubric, OPTIONS)
    rows = {row["task_id"]: row for row in pq.read_table(out).to_pylist()}
    limiter = rows[RATE_LIMITER]["comments"]
    assert [(c["annotator"], c["id"]) for c in limiter] == [
        ("ak", built.ids["window"]),
        ("ak", built.ids["lock"]),
        ("ak", built.ids["note"]),
        ("bo", built.ids["other"]),
    ]
    by_id = {c["id"]: c for c in limiter}
    assert by_id[built.ids["lock"]]["kept"] is False
    assert by_id[built.ids["window"]]["kept"] is True
    window = by_id[built.ids["window"]]
    lines = code_lines(built.codes[(RATE_LIMITER, "a")])
    assert window["quote"] == "\n".join(lines[2:5])
    assert (window["start_line"], window["end_line"], window["severity"]) == (3, 5, "HIGH")
    verdicts = sorted((c["response"], c["verdict"]) for c in rows[SQLI]["comments"])
    assert verdicts == [("a", "agree"), ("b", "dispute")]
    jsonl = tmp_path / "all.jsonl"
    run_export(built.path, get_format("jsonl"), jsonl, built.rubric, OPTIONS)
    loaded = load_dataset("json", data_files=str(jsonl), split="train")
    limiter_row = next(r for r in loaded if r["task_id"] == RATE_LIMITER)
    assert [c["id"] for c in limiter_row["comments"]] == [c["id"] for c in limiter]
    run_export(built.path, get_format("hf"), tmp_path / "hf", built.rubric, OPTIONS)
    hf = load_dataset(str(tmp_path / "hf"))
    assert "comments" in hf["train"].column_names


def test_critique_dataset_one_record_per_kept_critique(built: Built, tmp_path: Path) -> None:
    folder = tmp_path / "crit"
    run_export(built.path, get_format("critiques"), folder, built.rubric, OPTIONS)
    records = read_folder(folder)
    assert sorted(r["id"] for r in records) == sorted(
        built.ids[k] for k in ("window", "note", "other", "accepted")
    )  # the dropped comment and the disputed finding are not critiques
    window = next(r for r in records if r["id"] == built.ids["window"])
    assert window["response"] == built.codes[(RATE_LIMITER, "a")]
    assert (window["path"], window["start_line"], window["line"]) == ("solution.py", 3, 5)
    assert (window["side"], window["start_side"]) == ("RIGHT", "RIGHT")
    assert window["quoted_code"] == "\n".join(code_lines(window["response"])[2:5])
    assert (window["category"], window["severity"], window["text"]) == (
        "correctness_bug",
        "HIGH",
        "no time window",
    )
    accepted = next(r for r in records if r["id"] == built.ids["accepted"])
    assert accepted["start_line"] is None and accepted["start_side"] is None
    assert accepted["rule_id"] == "py.sqli" and accepted["category"] == "security"
    loaded = load_dataset(str(folder))["train"]
    assert loaded.num_rows == len(records)
    assert {
        "prompt",
        "response",
        "path",
        "line",
        "start_line",
        "side",
        "quoted_code",
        "category",
        "severity",
        "text",
    } <= set(loaded.column_names)
    require_part("trl", maybe_apply_chat_template is not None, "scripts/setup dev installs it")
    assert not is_conversational(loaded[0])


def test_stepwise_rows_label_the_critiqued_lines(built: Built, tmp_path: Path) -> None:
    require_part("trl", is_conversational is not None, "scripts/setup dev installs it")
    folder = tmp_path / "steps"
    run_export(built.path, get_format("trl-stepwise"), folder, built.rubric, OPTIONS)
    data = load_dataset(str(folder))["train"]
    assert data.features["labels"].feature.dtype == "bool"
    assert data.features["completions"].feature.dtype == "string"
    rows = {row["id"].split(":")[0] + ":" + row["response_key"]: row for row in data}
    assert set(rows) == {f"{RATE_LIMITER}:a", f"{RATE_LIMITER}:b", f"{SQLI}:a", f"{SQLI}:b"}
    for row in rows.values():
        assert not is_conversational(row)
        assert maybe_apply_chat_template(row, None)["labels"] == row["labels"]
        assert len(row["completions"]) == len(row["labels"])
    limiter_a = rows[f"{RATE_LIMITER}:a"]
    lines = code_lines(built.codes[(RATE_LIMITER, "a")])
    wrong = {3, 4, 5}  # window (ak) and "never resets" (bo); the lock comment was dropped
    expected = [n not in wrong for n, line in enumerate(lines, 1) if line.strip()]
    assert limiter_a["labels"] == expected
    assert "\n".join(limiter_a["completions"]) == "\n".join(x for x in lines if x.strip())
    assert all(rows[f"{RATE_LIMITER}:b"]["labels"])  # only an INFO note on B
    assert not all(rows[f"{SQLI}:a"]["labels"]) and all(rows[f"{SQLI}:b"]["labels"])


def test_cli_writes_both_critique_folders(built: Built, tmp_path: Path) -> None:
    from coderlhf_tui.cli import main

    for fmt in ("critiques", "trl-stepwise"):
        out = tmp_path / fmt
        code = main(["export", "--format", fmt, "--out", str(out), "--db", str(built.path)])
        assert code == 0 and (out / "train.jsonl").is_file()
    (tmp_path / "file").write_text("x")
    assert (
        main(
            [
                "export",
                "--format",
                "critiques",
                "--out",
                str(tmp_path / "file"),
                "--db",
                str(built.path),
            ]
        )
        == 2
    )  # a folder format refuses a file
