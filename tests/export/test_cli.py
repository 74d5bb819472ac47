"""``coderlhf export`` on the command line: output, snippets, and bad input as exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coderlhf_tui.cli import main
from tests.export.workspace import Workspace


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["export", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_prints_counts_files_and_the_trainer_snippet(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "axo"
    status, stdout, _ = run(
        capsys, "--format", "axolotl-rm", "--out", str(out), "--db", str(workspace.path)
    )
    assert status == 0
    assert "left out 1: tie" in stdout
    assert f"wrote {out / 'train.jsonl'}" in stdout
    assert "type: bradley_terry.chat_template" in stdout
    assert f"path: {out}/train.jsonl" in stdout


def test_json_summary(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "trl"
    status, stdout, _ = run(
        capsys,
        *("--format", "trl", "--out", str(out), "--db", str(workspace.path)),
        *("--language", "python", "--min-agreement", "0.5", "--seed", "3"),
        *("--test-fraction", "0.3", "--explicit-prompt", "--exclude-both-failing", "--json"),
    )
    assert status == 0
    summary = json.loads(stdout)
    assert summary["format"] == "trl" and summary["pairs_read"] == 21
    assert set(summary["excluded"]) >= {"low_agreement", "both_failing", "tie"}
    assert "DPOTrainer" in summary["snippet"] and "0.24" in summary["snippet"]
    assert summary["files"][0] == str(out / "train.jsonl")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "jsonl", "--explicit-prompt"], "--explicit-prompt applies"),
        (["--format", "hf", "--test-fraction", "1"], "must be below 1"),
        (["--format", "jsonl", "--language", "go", "--adjudicated-only"], "no pair to export"),
    ],
)
def test_bad_input_is_a_message_and_exit_2(
    workspace: Workspace,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    status, _, stderr = run(
        capsys, *args, "--out", str(tmp_path / "o"), "--db", str(workspace.path)
    )
    assert status == 2
    assert message in stderr and "Traceback" not in stderr


def test_missing_workspace_is_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "none.db"
    status, _, stderr = run(
        capsys, "--format", "jsonl", "--out", str(tmp_path / "o.jsonl"), "--db", str(db)
    )
    assert status == 2 and "no such workspace" in stderr
    assert not db.exists()


def test_out_must_match_the_format_shape(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, stderr = run(
        capsys, "--format", "parquet", "--out", str(tmp_path), "--db", str(workspace.path)
    )
    assert status == 2 and "is a folder" in stderr


def test_hf_export_carries_the_quality_data_card(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "hf"
    status, stdout, _ = run(
        capsys, "--format", "hf", "--out", str(out), "--db", str(workspace.path)
    )
    assert status == 0 and f'load_dataset("{out}")' in stdout
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "## Annotator pool" in card and "configs:" in card
