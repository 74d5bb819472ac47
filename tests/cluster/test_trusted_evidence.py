"""``coderlhf audit --server URL --token TOKEN`` over real HTTP: the audit's results become
trusted evidence every annotator of the task receives; an annotator's token is refused."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from coderlhf_tui.cli import main

pytest.importorskip("fastapi")  # the server extra (in dev)

from coderlhf_tui.sync.server.serve import BackgroundServer
from coderlhf_tui.sync.server.settings import ServerSettings
from tests.sync.helpers import make_team


def feed(url: str, token: str) -> list[dict[str, object]]:
    page = httpx.get(
        f"{url}/v1/sync/pull",
        params={"cursor": 0, "limit": 1000},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    ).json()
    return list(page["evidence"])


def test_audit_results_reach_annotators_as_trusted_evidence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    team = make_team(f"sqlite:///{tmp_path / 'server.db'}", tmp_path)
    tasks = tmp_path / "tasks.jsonl"
    with BackgroundServer(ServerSettings(db_url=team.url)) as server:
        argv = ["audit", str(tasks), "--skip-tests", "--db", str(tmp_path / "a.db"), "--json"]
        argv += ["--out", str(tmp_path / "out"), "--server", server.url]
        assert main([*argv, "--token", team.tokens["ann1"]]) == 2  # not a trusted producer
        capsys.readouterr()
        assert feed(server.url, team.tokens["ann1"]) == []
        assert main([*argv, "--token", team.tokens["auditor"]]) == 0
        notes = json.loads(capsys.readouterr().out)["notes"]
        assert any("as trusted, 18 stored new" in note for note in notes), notes
        seen = feed(server.url, team.tokens["ann1"])
        mine = {item["task_id"] for item in seen}
        assert mine and all(t.startswith("py-") or t.startswith("gold-") for t in mine)
        assert all(item["producer"] == {"name": "auditor", "trusted": True} for item in seen)
        assert {item["kind"] for item in seen} == {"findings"}
        assert main([*argv, "--token", team.tokens["auditor"]]) == 0  # a replay adds nothing
        assert any("0 stored new" in n for n in json.loads(capsys.readouterr().out)["notes"])
