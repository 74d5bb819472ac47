"""The command line end to end: a lead runs the server, adds people, imports, assigns;
annotators log in and sync."""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path

import httpx
import pytest

from coderlhf_tui.cli import main
from coderlhf_tui.config import config_path, section
from coderlhf_tui.store import Store
from coderlhf_tui.sync.server.accounts import issue_token
from coderlhf_tui.sync.server.serve import BackgroundServer
from coderlhf_tui.sync.server.settings import ServerSettings
from tests.sync.helpers import ServerProcess, Team, new_annotation, task_record, write_tasks


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    status = main(list(argv))
    return status, capsys.readouterr().out


def test_lead_runs_the_server_and_annotators_sync(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    status, out = _run(
        capsys,
        "server",
        "user",
        "add",
        "ann1",
        "--role",
        "annotator",
        "--languages",
        "python,go",
        "--years",
        "6",
        "--db",
        url,
    )
    assert status == 0
    token = out.strip()
    assert token.startswith("clhf_") and len(token) > 40
    assert token not in (tmp_path / "server.db").read_bytes().decode("latin-1")
    status, out = _run(
        capsys,
        "server",
        "user",
        "add",
        "boss",
        "--role",
        "lead",
        "--languages",
        "python",
        "--db",
        url,
        "--json",
    )
    lead_token = json.loads(out)["token"]
    assert (
        main(
            [
                "server",
                "user",
                "add",
                "x",
                "--role",
                "annotator",
                "--languages",
                "cobol",
                "--db",
                url,
            ]
        )
        == 2
    )
    tasks = write_tasks(
        tmp_path / "t.jsonl",
        [task_record(f"t{i}") for i in range(3)] + [task_record("g0", gold="B>A")],
    )
    status, out = _run(capsys, "server", "import", str(tasks), "--db", url, "--json")
    assert json.loads(out) == {"imported": 4, "skipped_existing": 0, "errors": []}
    broken = tmp_path / "bad.jsonl"
    broken.write_text('{"id": "z", "language": "python"}\n')
    assert main(["server", "import", str(broken), "--db", url]) == 2
    assert "bad.jsonl:1: " in capsys.readouterr().err
    status, out = _run(
        capsys, "server", "assign", "--k", "1", "--gold-rate", "0.25", "--db", url, "--json"
    )
    assert json.loads(out) == {"assigned": 4, "gold": 1, "per_annotator": {"ann1": 4}}

    server = ServerProcess(url).start()
    try:
        workspace = tmp_path / "ann1.db"
        status, _ = _run(capsys, "login", server.url, "--token", token, "--db", str(workspace))
        assert status == 0
        assert stat.S_IMODE(os.stat(config_path()).st_mode) == 0o600
        assert section("sync")["user"] == "ann1"
        status, out = _run(capsys, "sync", "--db", str(workspace), "--json")
        report = json.loads(out)
        assert status == 0 and report["state"] == "synced" and report["pulled"]["tasks"] == 4
        with Store.open(workspace) as store:
            assert store.get_meta("annotator") == "ann1"
            assert store.get_task("g0").gold is None  # blind to the gold answer
            store.save_annotation(new_annotation("t0", "ann1"))
        status, out = _run(capsys, "sync", "--db", str(workspace))
        assert status == 0 and out.startswith("synced: pushed 1 (1 new")
        assert main(["login", server.url, "--token", "clhf_wrong", "--db", str(workspace)]) == 2
        assert main(["login", "http://192.0.2.1:1", "--token", token]) == 2  # no plain http
        lead_ws = tmp_path / "lead.db"
        assert main(["login", server.url, "--token", lead_token, "--db", str(lead_ws)]) == 0
        assert main(["sync", "--db", str(lead_ws)]) == 0
        with Store.open(lead_ws) as store:
            assert [a.task_id for a in store.list_annotations()] == ["t0"]
    finally:
        server.stop()
    capsys.readouterr()
    status, out = _run(capsys, "sync", "--db", str(workspace), "--json")
    assert status == 3 and json.loads(out)["state"] == "offline"


def test_openapi_command_matches_the_published_spec(capsys: pytest.CaptureFixture[str]):
    status, out = _run(capsys, "server", "openapi")
    assert status == 0
    published = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
    assert json.loads(out) == json.loads(published.read_text()), (
        "regenerate: coderlhf server openapi > docs/openapi.json"
    )
    assert all(path.startswith("/v1/") for path in json.loads(out)["paths"])


def test_revoked_user_gets_401(team: Team, capsys: pytest.CaptureFixture[str]) -> None:
    second = issue_token(team.engine, "ann1")
    settings = ServerSettings(db_url=team.url, token_cache_s=0.5)
    with BackgroundServer(settings) as live, httpx.Client(base_url=live.url) as http:
        for token in (team.tokens["ann1"], second):
            assert http.get("/v1/me", headers=_bearer(token)).status_code == 200
        status, out = _run(capsys, "server", "user", "revoke", "ann1", "--db", team.url, "--json")
        assert status == 0 and json.loads(out) == {"user": "ann1", "revoked": 2}
        time.sleep(0.6)  # the token cache's lifetime on this server
        for token in (team.tokens["ann1"], second):
            refused = http.get("/v1/sync/pull", headers=_bearer(token))
            assert refused.status_code == 401
            assert refused.headers["WWW-Authenticate"] == "Bearer"
        assert http.get("/v1/me", headers=team.headers("ann2")).status_code == 200  # others
        status, out = _run(capsys, "server", "user", "revoke", "ann1", "--db", team.url)
        assert status == 0 and out.strip() == "revoked 0 token(s) of ann1"
        status, out = _run(capsys, "server", "user", "token", "ann1", "--db", team.url)
        assert http.get("/v1/me", headers=_bearer(out.strip())).status_code == 200  # back
    assert main(["server", "user", "revoke", "nobody", "--db", team.url]) == 2
    assert "no user 'nobody'" in capsys.readouterr().err


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
