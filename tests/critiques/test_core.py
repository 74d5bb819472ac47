"""Line comments: anchors, quotes, re-anchoring, rubric validation, storage round trip."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from coderlhf_tui.critiques import (
    anchor_problem,
    kept,
    marked_lines,
    new_comment,
    quote_of,
    reanchor,
    review_fields,
)
from coderlhf_tui.domain import Adjudication, FindingVerdict, Preference, Severity
from coderlhf_tui.rubric import RubricError, load_rubric, parse_rubric
from coderlhf_tui.serialize import annotation_from_dict, annotation_to_dict
from tests.critiques.helpers import RATE_LIMITER, comment, demo_store, submit

CODE = "def f(x):\n    y = x\n    return y\n\n    return y\n"


def test_new_comment_orders_range_and_quotes_lines() -> None:
    made = new_comment(CODE, "a", 3, 2, "style", Severity.LOW, "two lines")
    assert (made.start_line, made.end_line) == (2, 3)
    assert made.quote == "    y = x\n    return y"
    assert anchor_problem(made, CODE) is None
    clamped = new_comment(CODE, "a", 40, 50, "style", Severity.LOW)
    assert (clamped.start_line, clamped.end_line) == (5, 5)


def test_reanchor_follows_the_quote_to_the_nearest_occurrence() -> None:
    made = new_comment(CODE, "a", 2, 2, "edge_case", Severity.MEDIUM)
    shifted = "# header\n# more\n" + CODE
    moved = reanchor(made, shifted)
    assert moved is not None and (moved.start_line, moved.end_line) == (4, 4)
    assert moved.id == made.id and moved.quote == made.quote
    assert reanchor(made, CODE) is made
    twice = new_comment(CODE, "a", 5, 5, "edge_case", Severity.MEDIUM)
    nearest = reanchor(twice, "# one\n" + CODE)
    assert nearest is not None and nearest.start_line == 4  # of lines 4 and 6, 4 is nearer 5
    assert reanchor(made, "nothing alike\n") is None
    assert anchor_problem(made, shifted) is not None


def test_disputes_mark_no_lines_and_adjudication_drops() -> None:
    one = new_comment(CODE, "a", 1, 2, "security", Severity.HIGH)
    dispute = new_comment(
        CODE, "a", 3, 3, "security", Severity.HIGH, verdict=FindingVerdict.DISPUTE
    )
    other = new_comment(CODE, "b", 2, 2, "style", Severity.LOW)
    assert marked_lines([one, dispute, other], "a") == {1, 2}
    assert marked_lines([one, other], "b", "style") == {2}
    assert marked_lines([one, other], "b", "security") == set()
    adjudication = Adjudication("x", "t", "lead", Preference.TIE, dropped_comments=[one.id])
    assert kept([one, other], adjudication) == [other]
    assert kept([one, other], None) == [one, other]


def test_review_fields_follow_github() -> None:
    single = new_comment(CODE, "b", 2, 2, "style", Severity.LOW)
    multi = new_comment(CODE, "b", 1, 3, "style", Severity.LOW)
    assert review_fields(single, "python") == {
        "path": "solution.py",
        "line": 2,
        "side": "RIGHT",
        "start_line": None,
        "start_side": None,
    }
    fields = review_fields(multi, "java")
    assert (fields["path"], fields["start_line"], fields["line"]) == ("Solution.java", 1, 3)


def test_rubric_categories_are_configurable_and_checked(tmp_path: Path) -> None:
    bundled = load_rubric()
    assert list(bundled.comment_categories)[:2] == ["correctness_bug", "edge_case"]
    assert "test_tampering" in bundled.comment_categories
    yaml_text = Path(__file__).parents[2].joinpath("rubric.yaml").read_text(encoding="utf-8")
    custom = yaml_text.split("\ncritique:")[0] + (
        "\ncritique:\n  categories:\n    bug: A bug.\n    nit: A nit.\n  finding_category: bug\n"
    )
    rubric = parse_rubric(custom, "custom.yaml")
    assert list(rubric.comment_categories) == ["bug", "nit"]
    assert rubric.finding_category == "bug"
    bad = yaml_text.split("\ncritique:")[0] + "\ncritique:\n  categories: {bug: A bug.}\n"
    with pytest.raises(RubricError, match=r"critique\.finding_category"):
        parse_rubric(bad, "bad.yaml")


def test_annotation_with_comments_round_trips_and_validates(tmp_path: Path) -> None:
    rubric = load_rubric()
    store = demo_store(tmp_path / "ws.db")
    notes = [comment(store, "a", 2, 4), comment(store, "b", 7, 7, "style", Severity.LOW)]
    saved = submit(store, rubric, "ak", notes)
    again = store.get_annotation(RATE_LIMITER, "ak")
    assert again is not None and again.comments == notes
    assert annotation_from_dict(annotation_to_dict(saved)) == saved
    assert rubric.annotation_problems(saved, for_submit=True) == []
    wrong = replace(saved, comments=[replace(notes[0], category="nitpick"), notes[0], notes[0]])
    problems = rubric.annotation_problems(wrong, for_submit=False)
    assert any("comments[0].category" in p for p in problems)
    assert any("comments[2].id: duplicate" in p for p in problems)
    assert quote_of(store.get_task(RATE_LIMITER).response("a").code, 2, 4) == notes[0].quote  # type: ignore[union-attr]
