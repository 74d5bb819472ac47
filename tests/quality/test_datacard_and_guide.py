"""The data card (Hugging Face dataset-card format) and the annotation guide."""

from __future__ import annotations

from pathlib import Path

import yaml
from huggingface_hub import DatasetCard

from coderlhf_tui.cli import main
from coderlhf_tui.quality.datacard import YEARS_META_KEY, build_datacard, size_category
from coderlhf_tui.quality.guide import build_guide, demo_examples
from coderlhf_tui.quality.settings import QualitySettings
from coderlhf_tui.rubric import load_rubric
from tests.quality.workspace import demo_workspace


def test_datacard_is_a_dataset_card_with_the_documented_sections(tmp_path: Path) -> None:
    store = demo_workspace(tmp_path / "ws.db")
    store.set_meta(YEARS_META_KEY, '{"ak": 12, "bo": 7.5}')
    rubric = load_rubric()
    text = build_datacard(
        store,
        rubric,
        settings=QualitySettings(bootstrap=100),
        configs=[
            {"config_name": "default", "data_files": [{"split": "train", "path": "data/train-*"}]}
        ],
    )
    store.close()
    card = DatasetCard(text)
    assert card.data.size_categories == ["n<1K"]
    assert "python" in card.data.tags
    assert card.data.configs[0]["config_name"] == "default"
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["programming_languages"]["python"]["tasks"] == 5
    for heading in (
        "## Languages and counts",
        "## Annotator pool",
        "## Rubric",
        "## Execution environment",
        "## Security tooling",
        "## Agreement",
        "## Quality thresholds",
        "## Known edge cases",
        "## Prompt set",
    ):
        assert heading in card.text, heading
    assert "median 9.75 years (range 7.5-12, 2 of 3 known)" in card.text
    assert "`coderlhf/toolbox:1` (1 runs)" in card.text
    assert "rule pack version `" in card.text and "unknown`" not in card.text
    assert "Sources: coderlhf demo (33)" in card.text
    for dimension in rubric.dimension_names:
        assert f"| {dimension} |" in card.text


def test_size_categories() -> None:
    assert [size_category(n) for n in (5, 1000, 50_000, 2_000_000)] == [
        "n<1K",
        "1K<n<10K",
        "10K<n<100K",
        "1M<n<10M",
    ]


def test_guide_follows_the_rubric_and_shows_worked_examples(tmp_path: Path) -> None:
    rubric = load_rubric()
    guide = build_guide(rubric)
    for dimension in rubric.dimensions:
        assert f"### {dimension.name}" in guide
        for level in rubric.levels:
            assert dimension.anchor(level) in guide
    examples = demo_examples()
    assert len(examples) == 4 and len({t.language for t in examples}) == 4
    for task in examples:
        assert f"### {task.id}" in guide
        assert task.gold is not None and task.gold.note in guide
    out = tmp_path / "guide.md"
    assert main(["guide", "--out", str(out)]) == 0
    assert out.read_text() == guide


def test_datacard_command_writes_the_file(tmp_path: Path) -> None:
    demo_workspace(tmp_path / "ws.db").close()
    out = tmp_path / "README.md"
    assert main(["datacard", "--db", str(tmp_path / "ws.db"), "--out", str(out)]) == 0
    assert out.read_text().startswith("---\n")
