"""The lead's queue ranks ranked tasks by how far their rankings are apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from coderlhf_tui.quality.disagreement import rank_disagreements
from coderlhf_tui.quality.ranking_agreement import ranking_dispute
from coderlhf_tui.quality.report import load_workspace
from coderlhf_tui.ranking import parse_ranking
from coderlhf_tui.rubric import load_rubric
from coderlhf_tui.store import Store
from tests.ranking.workspace import ranked_workspace


def test_ranking_dispute_measures_pair_disagreement_and_top_conflict() -> None:
    same = [parse_ranking("a>b>c")] * 3
    assert ranking_dispute(same) == (0.0, False)
    apart, conflict = ranking_dispute([parse_ranking("a>b>c"), parse_ranking("c>b>a")])
    assert apart == 1.0 and conflict
    apart, conflict = ranking_dispute([parse_ranking("a=b>c"), parse_ranking("a>b>c")])
    assert apart == pytest.approx(1 / 3) and not conflict


def test_ranked_tasks_are_ranked_in_the_queue_with_their_rankings(tmp_path: Path) -> None:
    db = ranked_workspace(tmp_path / "w.db")
    with Store.open(db) as store:
        frame = load_workspace(store, load_rubric()).frame
    disputes = rank_disagreements(frame)
    assert [d.task_id for d in disputes] == ["r-2", "r-0", "r-1"]
    first = disputes[0]
    assert first.winner_conflict and first.score > disputes[1].score > disputes[2].score == 0.0
    assert first.rankings == {"ak": "b>a>c", "bo": "a>b>c", "cy": "b=a>c"}
