"""Ranked tasks through the central server: imported and assigned like any task, ranked
annotations and their evidence pushed, pulled by the lead and the annotator's laptop and
never by the other annotators (blind); a lead's final ranking reaches other leads."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from coderlhf_tui.critiques import new_comment
from coderlhf_tui.domain import Adjudication, Severity, TestRun, Verdict
from coderlhf_tui.ranking import pair_preference, parse_ranking
from coderlhf_tui.rubric import load_rubric
from coderlhf_tui.sync.client import SyncClient
from coderlhf_tui.sync.server import assign
from coderlhf_tui.sync.server.serve import BackgroundServer
from coderlhf_tui.sync.server.settings import ServerSettings
from coderlhf_tui.sync.server.tasks_import import import_task_file
from tests.ranking.helpers import full_scores, ranked_annotation, ranked_record
from tests.sync.helpers import Team, make_team, open_store, write_tasks


@pytest.fixture
def team(tmp_path: Path) -> Team:
    team = make_team(f"sqlite:///{tmp_path / 'server.db'}", tmp_path, python_tasks=1, go_tasks=0)
    records = [ranked_record("rk-000", 4), ranked_record("rk-001", 8)]
    result = import_task_file(team.engine, write_tasks(tmp_path / "ranked.jsonl", records))
    assert not result.errors, result.errors
    assign.assign(team.engine, k=2, gold_rate=0.0)
    return team


def test_ranked_annotations_sync_blind_per_annotator(team: Team, tmp_path: Path) -> None:
    stores = {name: open_store(tmp_path / f"{name}.db", name) for name in ("ann1", "ann2")}
    ranking = parse_ranking("c>a=d>b")
    with BackgroundServer(ServerSettings(db_url=team.url)) as server:
        for name, store in stores.items():
            with SyncClient(store, server.url, team.tokens[name]) as client:
                assert client.sync().ok
            task = store.get_task("rk-001")
            assert task is not None and len(task.responses) == 8  # assigned like any task
        ann1 = stores["ann1"]
        judged = ranked_annotation("rk-000", "ann1", ranking, scores=full_scores("abcd", 4))
        shown = ann1.get_task("rk-000")
        assert shown is not None
        category = next(iter(load_rubric().comment_categories))
        judged.comments = [  # line comments on responses beyond a/b travel too
            new_comment(shown.response(key).code, key, 1, 1, category, Severity.LOW, "why")
            for key in "cd"
        ]
        saved = ann1.save_annotation(judged)
        ann1.save_test_run("rk-000", "c", TestRun(verdict=Verdict.PASSED, content_hash="h-c"))
        with SyncClient(ann1, server.url, team.tokens["ann1"]) as client:
            report = client.sync()
        assert report.state == "synced" and report.applied == 1, report
        lead = open_store(tmp_path / "lead.db", "lead")
        with SyncClient(lead, server.url, team.tokens["lead"]) as client:
            assert client.sync().ok
        pulled = lead.annotation_by_id(saved.id)
        assert pulled is not None and pulled.ranking == ranking
        assert pulled.shown_order == saved.shown_order and set(pulled.scores) == set("abcd")
        assert pulled.comments == saved.comments and len(pulled.comments) == 2
        laptop = open_store(tmp_path / "laptop.db", "ann1")
        with SyncClient(laptop, server.url, team.tokens["ann1"]) as client:
            assert client.sync().ok
        assert laptop.get_annotation("rk-000", "ann1") == pulled
        run = laptop.latest_test_run("rk-000", "c")
        assert run is not None and run.verdict is Verdict.PASSED  # its own evidence, key c
        with SyncClient(stores["ann2"], server.url, team.tokens["ann2"]) as client:
            assert client.sync().ok
        assert stores["ann2"].annotation_by_id(saved.id) is None  # blind
        final = parse_ranking("c>d>a>b")
        lead.save_adjudication(
            Adjudication(str(uuid.uuid4()), "rk-000", "lead", pair_preference(final), ranking=final)
        )
        with SyncClient(lead, server.url, team.tokens["lead"]) as client:
            assert client.sync().state == "synced"
        second_lead = open_store(tmp_path / "lead2.db", "lead")
        with SyncClient(second_lead, server.url, team.tokens["lead"]) as client:
            assert client.sync().ok
        assert [a.ranking for a in second_lead.list_adjudications("rk-000")] == [final]
