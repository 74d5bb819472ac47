"""The draft (screen sides -> task A/B, saving revisions), the session queue, the keymap."""

from __future__ import annotations

from pathlib import Path

import pytest

from coderlhf_tui.config import ConfigError
from coderlhf_tui.domain import AnnotationStatus, Preference, TaskStatus
from coderlhf_tui.keymap import SPECS, load_keymap
from coderlhf_tui.rubric import load_rubric
from coderlhf_tui.store import Store
from coderlhf_tui.workbench.blind import blind_order
from coderlhf_tui.workbench.draft import Draft
from coderlhf_tui.workbench.highlight import tokenize, tokenize_prefix
from coderlhf_tui.workbench.runs_and_findings import LiveChecks
from coderlhf_tui.workbench.session import QueueFilter, WorkSession
from tests.app.tasks import sample_tasks


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(tmp_path / "w.db")
    opened.insert_tasks(sample_tasks())
    return opened


def test_draft_maps_screen_sides_to_task_terms(store: Store) -> None:
    rubric = load_rubric()
    task = store.get_task("py-add")
    assert task is not None
    draft = Draft.open(store, task, "ak", rubric, now=0.0)
    assert draft.annotation.shown_order == blind_order("ak", "py-add")
    left_key = draft.sides.key("left")
    draft.set_score("left", "correctness", 5)
    draft.set_screen_preference(-1)  # left better
    draft.set_rationale("left adds, right subtracts")
    draft.set_tags(["POOR_NAMING", "FAILS_TESTS"])
    saved = draft.save(store, now=30.0)
    assert saved.scores[left_key] == {"correctness": 5}
    expected = Preference.A_BETTER if left_key == "a" else Preference.B_BETTER
    assert saved.preference is expected
    assert saved.tags == ["FAILS_TESTS", "POOR_NAMING"]  # rubric order
    assert saved.time_spent_s == 30.0
    assert saved.status is AnnotationStatus.IN_PROGRESS

    reopened = Draft.open(store, task, "ak", rubric, now=100.0)
    assert reopened.score("left", "correctness") == 5
    assert reopened.screen_preference == -1
    assert reopened.annotation.rationale == "left adds, right subtracts"
    assert reopened.clock.total(110.0) == 40.0  # earlier time carries over
    with pytest.raises(ValueError):
        reopened.set_score("left", "style", 9)
    with pytest.raises(ValueError):
        reopened.set_tags(["NOT_A_TAG"])


def test_submit_needs_everything(store: Store) -> None:
    rubric = load_rubric()
    task = store.get_task("py-add")
    assert task is not None
    draft = Draft.open(store, task, "ak", rubric, now=0.0)
    problems = draft.submit_problems()
    assert any(p.startswith("preference") for p in problems)
    assert any(p.startswith("rationale") for p in problems)
    for side in ("left", "right"):
        for dim in rubric.dimension_names:
            draft.set_score(side, dim, 3)  # type: ignore[arg-type]
    draft.set_screen_preference(0)
    draft.set_rationale("Both add correctly; neither handles non-numbers at all.")
    assert draft.submit_problems() == []
    saved = draft.save(store, now=5.0, submit=True)
    assert saved.status is AnnotationStatus.SUBMITTED
    assert store.get_annotation("py-add", "ak") == saved


def test_session_queue_navigation(store: Store) -> None:
    session = WorkSession(store, load_rubric(), "ak", LiveChecks(store), "w.db")
    rows = session.load_queue()
    assert [r.id for r in rows] == [t.id for t in sample_tasks()]
    assert session.next_unfinished() == "py-user-lookup"
    session.mark("py-add", TaskStatus.SUBMITTED)
    assert session.next_unfinished("py-user-lookup") == "go-reverse"
    assert session.neighbor("py-add", -1) == "py-user-lookup"
    assert session.neighbor("sql-top-users", 1) is None
    assert session.position("go-reverse") == (3, 5)
    python_only = session.load_queue(QueueFilter(language="python"))
    assert {r.language for r in python_only} == {"python"}
    assert session.sync_label() == "local"


def test_keymap_from_config(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(
        "keys:\n  pair.tests: ctrl+r\n  pair.next: ' ], ctrl+n '\n  lead.adjudicate: ctrl+j\n"
    )
    assert load_keymap(path) == {
        "pair.tests": "ctrl+r",
        "pair.next": "],ctrl+n",
        "lead.adjudicate": "ctrl+j",  # the lead screen's keys are remappable too
    }
    path.write_text("keys:\n  pair.nope: x\n")
    with pytest.raises(ConfigError, match=r"pair\.nope: unknown binding id"):
        load_keymap(path)
    assert len({spec.id for spec in SPECS}) == len(SPECS)


@pytest.mark.parametrize(
    "language",
    ["python", "javascript", "typescript", "java", "go", "rust", "c", "cpp", "sql", "php"],
)
def test_every_language_highlights(language: str) -> None:
    code = 'x = "a\nb"\n// comment\nint main() { return 0; }\n' * 50
    lines = tokenize(language, code)
    assert len(lines) == code.count("\n") + 1
    assert "".join(text for _, text in lines[3]) == "int main() { return 0; }"
    kinds = {str(t) for line in lines for t, _ in line}
    assert len(kinds) > 2  # more than plain text
    assert tokenize_prefix(language, code, 10) == lines[:10]
