"""Body size limits and the slow-down of repeated failed authentication."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx

from coderlhf_tui.sync.server.limits import FailedAuthLimiter
from coderlhf_tui.sync.server.serve import BackgroundServer
from coderlhf_tui.sync.server.settings import ServerSettings
from tests.sync.helpers import make_team


def test_oversized_bodies_get_413_with_or_without_length(tmp_path: Path) -> None:
    team = make_team(f"sqlite:///{tmp_path / 's.db'}", tmp_path)
    settings = ServerSettings(db_url=team.url, max_body_bytes=10_000, max_import_bytes=50_000)
    with BackgroundServer(settings) as server:
        big = b'{"annotations": [], "pad": "' + b"x" * 20_000 + b'"}'
        response = httpx.post(
            f"{server.url}/v1/sync/push",
            content=big,
            headers={**team.headers("ann1"), "Content-Type": "application/json"},
        )
        assert response.status_code == 413

        def chunks():
            for _ in range(30):
                yield b"x" * 1000

        streamed = httpx.post(
            f"{server.url}/v1/sync/push", content=chunks(), headers=team.headers("ann1")
        )
        assert streamed.status_code == 413
        import_ok = httpx.post(
            f"{server.url}/v1/admin/import", content=b"x" * 20_000, headers=team.headers("admin")
        )
        assert import_ok.status_code == 200  # a larger cap; the content itself is invalid
        assert import_ok.json()["errors"]
        assert httpx.get(f"{server.url}/v1/health").status_code == 200


def test_malformed_bodies_are_422_not_500(tmp_path: Path) -> None:
    team = make_team(f"sqlite:///{tmp_path / 's.db'}", tmp_path)
    with BackgroundServer(ServerSettings(db_url=team.url)) as server:
        for body in (
            b"{",
            b"[]",
            b'{"annotations": [{"id": "x"}]}',
            b'{"annotations": [], "extra": 1}',
            b'{"annotations": [{"id": "a\\u0000", "task_id": "py-000",'
            b' "annotator": "ann1", "revision": 1}]}',
        ):
            response = httpx.post(
                f"{server.url}/v1/sync/push",
                content=body,
                headers={**team.headers("ann1"), "Content-Type": "application/json"},
            )
            assert response.status_code == 422, body


def test_repeated_failed_tokens_are_slowed_down(tmp_path: Path) -> None:
    team = make_team(f"sqlite:///{tmp_path / 's.db'}", tmp_path)
    settings = ServerSettings(db_url=team.url, auth_failures=5, auth_window_s=30)
    with BackgroundServer(settings) as server:
        wrong = {"Authorization": "Bearer clhf_guess"}
        codes = [httpx.get(f"{server.url}/v1/me", headers=wrong).status_code for _ in range(7)]
        assert codes == [401] * 5 + [429] * 2
        limited = httpx.get(f"{server.url}/v1/me", headers=team.headers("ann1"))
        assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1


def test_limiter_window_slides() -> None:
    now = [0.0]
    limiter = FailedAuthLimiter(max_failures=2, window_s=10, clock=lambda: now[0])
    limiter.record_failure("1.2.3.4")
    limiter.record_failure("1.2.3.4")
    assert limiter.retry_after("1.2.3.4") == 10
    assert limiter.retry_after("5.6.7.8") is None
    now[0] = 10.5
    assert limiter.retry_after("1.2.3.4") is None


def test_server_binds_loopback_by_default(tmp_path: Path) -> None:
    team = make_team(f"sqlite:///{tmp_path / 's.db'}", tmp_path)
    with BackgroundServer(ServerSettings(db_url=team.url)) as server:
        assert server.host == "127.0.0.1"
        with socket.create_connection(("127.0.0.1", server.port), timeout=5):
            pass
