"""TRL rows pass TRL's own data utilities, with a tokenizer built here (no download)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tokenizers import Tokenizer, models, pre_tokenizers
from transformers import PreTrainedTokenizerFast

from coderlhf_tui.export.formats import get_format
from coderlhf_tui.export.pipeline import ExportOptions, run_export
from coderlhf_tui.rubric import Rubric
from tests.conftest import require_part
from tests.export.workspace import Workspace

try:
    from trl.data_utils import apply_chat_template, is_conversational
except ImportError:  # pragma: no cover - the suite's environment installs trl
    apply_chat_template = is_conversational = None

CHAT_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n"
    "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


@pytest.fixture(scope="module")
def tokenizer() -> PreTrainedTokenizerFast:
    vocab = {"[UNK]": 0, "[PAD]": 1, "<|im_start|>": 2, "<|im_end|>": 3}
    model = Tokenizer(models.WordLevel(vocab=vocab, unk_token="[UNK]"))
    model.pre_tokenizer = pre_tokenizers.Whitespace()
    tok = PreTrainedTokenizerFast(tokenizer_object=model, unk_token="[UNK]", pad_token="[PAD]")
    tok.chat_template = CHAT_TEMPLATE
    return tok


def rows(folder: Path) -> list[dict[str, Any]]:
    out = []
    for split in ("train", "test"):
        path = folder / f"{split}.jsonl"
        out += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return out


@pytest.mark.parametrize("fmt", ["trl", "openrlhf"])
@pytest.mark.parametrize("explicit", [False, True])
def test_rows_pass_trl_data_utils(
    workspace: Workspace,
    rubric: Rubric,
    tmp_path: Path,
    tokenizer: PreTrainedTokenizerFast,
    fmt: str,
    explicit: bool,
) -> None:
    require_part("trl", apply_chat_template is not None, "scripts/setup dev installs it")
    options = ExportOptions(test_fraction=0.2, explicit_prompt=explicit)
    run_export(workspace.path, get_format(fmt), tmp_path / "out", rubric, options)
    exported = rows(tmp_path / "out")
    assert exported
    for row in exported:
        example = {k: row[k] for k in ("prompt", "chosen", "rejected") if k in row}
        assert ("prompt" in example) is explicit
        assert is_conversational(example)
        text = apply_chat_template(example, tokenizer)
        assert {"chosen", "rejected"} <= set(text)
        assert ("prompt" in text) is explicit
        assert row["chosen"][-1]["content"] in text["chosen"]
        assert row["rejected"][-1]["content"] in text["rejected"]
        assert isinstance(row["margin"], float)
    by_task = {row["id"].split(":")[0]: row for row in exported}
    applied = apply_chat_template(
        {k: by_task["py-00"][k] for k in ("prompt", "chosen", "rejected") if k in by_task["py-00"]},
        tokenizer,
    )
    assert "return 1" in applied["chosen"] and "return 2" in applied["rejected"]
    if explicit:
        assert applied["prompt"].endswith("<|im_start|>assistant\n")
        assert "Python prompt 0" in applied["prompt"]
