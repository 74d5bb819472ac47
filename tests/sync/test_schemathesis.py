"""A schemathesis run against the published OpenAPI spec finds no server error.

The server runs on PostgreSQL (stricter than SQLite about what text it stores: NUL bytes
and lone surrogates) with an admin token, so every route is reachable; schemathesis
generates valid and invalid requests from the spec (NUL bytes allowed) and fails on any
5xx answer.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from coderlhf_tui.sync.server.serve import BackgroundServer
from coderlhf_tui.sync.server.settings import ServerSettings
from tests.sync.helpers import make_team


@pytest.mark.xdist_group("schemathesis")
def test_no_server_errors(pg_url: str, tmp_path: Path) -> None:
    team = make_team(pg_url, tmp_path)
    settings = ServerSettings(db_url=pg_url, auth_failures=10**9)
    with BackgroundServer(settings) as server:
        spec = httpx.get(f"{server.url}/openapi.json", timeout=30).json()
        result = subprocess.run(
            [
                str(Path(sys.executable).with_name("schemathesis")),
                "run",
                f"{server.url}/openapi.json",
                "-H",
                f"Authorization: Bearer {team.tokens['admin']}",
                "--checks",
                "not_a_server_error",
                "--max-examples",
                "25",
                "--generation-allow-x00",
                "true",
                "--seed",
                "20261126",
                "--request-timeout",
                "30",
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
    tail = result.stdout[-4000:]
    assert result.returncode == 0, tail
    operations = sum(len(methods) for methods in spec["paths"].values())
    assert f"{operations}/{operations}" in tail and "Authentication failed" not in tail, tail
