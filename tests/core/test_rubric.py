"""The rubric loads, and every malformation is reported with the key that is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from coderlhf_tui.domain import Annotation, AnnotationStatus, Preference
from coderlhf_tui.rubric import RubricError, default_rubric_text, load_rubric, parse_rubric
from tests.conftest import REPO
from tests.core.helpers import run_cli, task_record, write_jsonl


def test_default_rubric_is_the_repository_file() -> None:
    assert default_rubric_text() == (REPO / "rubric.yaml").read_text(encoding="utf-8")
    rubric = load_rubric()
    assert rubric.dimension_names == [
        "correctness",
        "security",
        "readability",
        "efficiency",
        "style",
    ]
    assert list(rubric.levels) == [1, 2, 3, 4, 5]
    for dimension in rubric.dimensions:
        assert all(dimension.anchor(level) for level in rubric.levels)
    assert [p.preference for p in rubric.preferences] == list(Preference)
    assert {
        "NO_TIME_WINDOW",
        "MISSING_RESET",
        "NO_THREAD_SAFETY",
        "THREAD_SAFE",
        "SQL_INJECTION",
    } <= set(rubric.tags)
    assert "PEP 8" in rubric.style_guides["python"] and "Effective Go" in rubric.style_guides["go"]
    assert rubric.rationale_required and rubric.rationale_min_length > 0


def _mutated(change: object) -> str:
    data = yaml.safe_load(default_rubric_text())
    change(data)  # type: ignore[operator]
    return yaml.safe_dump(data)


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (lambda d: d["dimensions"]["security"]["levels"].pop(3), "dimensions.security.levels.3"),
        (
            lambda d: d["dimensions"]["security"]["levels"].__setitem__(2, 7),
            "dimensions.security.levels.2",
        ),
        (lambda d: d["dimensions"].pop("style"), "dimensions"),
        (lambda d: d["preferences"].pop("B>>A"), "preferences.B>>A"),
        (lambda d: d.__setitem__("versoin", "2"), "versoin"),
        (lambda d: d["rationale"].__setitem__("min_length", "long"), "rationale.min_length"),
        (lambda d: d["style_guides"].__setitem__("cobol", ["x"]), "style_guides.cobol"),
        (lambda d: d["scale"].__setitem__("max", 1), "scale"),
        (lambda d: d.pop("tags"), "tags"),
    ],
)
def test_malformed_rubric_names_the_key(change: object, key: str) -> None:
    with pytest.raises(RubricError) as caught:
        parse_rubric(_mutated(change), "my-rubric.yaml")
    assert f"my-rubric.yaml: {key}:" in str(caught.value)


def test_empty_and_invalid_yaml() -> None:
    with pytest.raises(RubricError, match="empty"):
        parse_rubric("", "r.yaml")
    with pytest.raises(RubricError, match="not valid YAML"):
        parse_rubric("dimensions: [", "r.yaml")


def test_annotation_problems_for_draft_and_submit() -> None:
    rubric = load_rubric()
    draft = Annotation(id="x", task_id="t", annotator="ak", scores={"a": {"correctness": 9}})
    assert rubric.annotation_problems(draft, for_submit=False) == [
        "scores.a.correctness: 9 is outside 1..5"
    ]
    full = {d: 3 for d in rubric.dimension_names}
    done = Annotation(
        id="x",
        task_id="t",
        annotator="ak",
        status=AnnotationStatus.SUBMITTED,
        preference=Preference.TIE,
        scores={"a": dict(full), "b": dict(full)},
        rationale="short",
        tags=["NOT_A_TAG"],
    )
    problems = rubric.annotation_problems(done, for_submit=True)
    assert "tags: unknown tag 'NOT_A_TAG'" in problems
    assert any(p.startswith("rationale:") for p in problems)


def test_cli_rubric_override(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    run_cli("import", write_jsonl(tmp_path / "t.jsonl", [task_record()]), "--db", db, check=True)
    custom = tmp_path / "strict.yaml"
    custom.write_text(_mutated(lambda d: d["rationale"].__setitem__("min_length", 500)))
    args = [
        "annotate",
        "t-1",
        "--db",
        db,
        "--annotator",
        "ak",
        "--preference",
        "A>B",
        "--rationale",
        "A adds; B subtracts, which is wrong for every input.",
    ]
    for key in ("a", "b"):
        args += [f"--score={key}.{d}=3" for d in load_rubric().dimension_names]
    assert run_cli(*args).returncode == 0
    strict = run_cli(*args, "--rubric", custom)
    assert strict.returncode == 2 and "at least 500 needed" in strict.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text(_mutated(lambda d: d["dimensions"]["security"].pop("description")))
    result = run_cli(*args, "--rubric", broken)
    assert result.returncode == 2
    assert "dimensions.security.description" in result.stderr and "Traceback" not in result.stderr
