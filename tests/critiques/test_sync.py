"""Comments travel inside the annotation: pushed, stored by the server, pulled by the lead
and by the annotator's other machine, never by the other annotators (blind); the lead's
dropped comments travel with the adjudication."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from coderlhf_tui.critiques import new_comment
from coderlhf_tui.domain import Adjudication, FindingVerdict, Preference, Severity
from coderlhf_tui.sync.client import SyncClient
from coderlhf_tui.sync.server.serve import BackgroundServer
from coderlhf_tui.sync.server.settings import ServerSettings
from tests.sync.helpers import Team, make_team, new_annotation, open_store

CODE = "def add(a, b):\n    return a - b\n"  # response b of the team's tasks


@pytest.fixture
def team(tmp_path: Path) -> Team:
    return make_team(f"sqlite:///{tmp_path / 'server.db'}", tmp_path)


def test_comments_sync_blind_and_adjudication_drops(team: Team, tmp_path: Path) -> None:
    stores = {name: open_store(tmp_path / f"{name}.db", name) for name in ("ann1", "ann2")}
    bug = new_comment(CODE, "b", 2, 2, "correctness_bug", Severity.HIGH, "subtracts")
    dispute = new_comment(
        CODE,
        "b",
        1,
        1,
        "security",
        Severity.LOW,
        "false positive",
        rule_id="py.x",
        verdict=FindingVerdict.DISPUTE,
    )
    with BackgroundServer(ServerSettings(db_url=team.url)) as server:
        with SyncClient(stores["ann1"], server.url, team.tokens["ann1"]) as client:
            assert client.sync().ok
        saved = stores["ann1"].save_annotation(
            new_annotation("py-000", "ann1", comments=[bug, dispute])
        )
        with SyncClient(stores["ann1"], server.url, team.tokens["ann1"]) as client:
            report = client.sync()
        assert report.state == "synced" and report.applied == 1
        lead = open_store(tmp_path / "lead.db", "lead")
        with SyncClient(lead, server.url, team.tokens["lead"]) as client:
            assert client.sync().ok
        pulled = lead.annotation_by_id(saved.id)
        assert pulled is not None and pulled.comments == [bug, dispute]
        laptop = open_store(tmp_path / "laptop.db", "ann1")
        with SyncClient(laptop, server.url, team.tokens["ann1"]) as client:
            assert client.sync().ok
        assert laptop.get_annotation("py-000", "ann1") == pulled
        with SyncClient(stores["ann2"], server.url, team.tokens["ann2"]) as client:
            assert client.sync().ok
        assert stores["ann2"].annotation_by_id(saved.id) is None  # blind
        lead.save_adjudication(
            Adjudication(
                str(uuid.uuid4()),
                "py-000",
                "lead",
                Preference.A_MUCH_BETTER,
                note="b subtracts",
                dropped_comments=[bug.id],
            )
        )
        with SyncClient(lead, server.url, team.tokens["lead"]) as client:
            assert client.sync().state == "synced"
        second_lead = open_store(tmp_path / "lead2.db", "lead")
        with SyncClient(second_lead, server.url, team.tokens["lead"]) as client:
            assert client.sync().ok
        assert [a.dropped_comments for a in second_lead.list_adjudications("py-000")] == [[bug.id]]
