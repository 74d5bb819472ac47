"""Body size limits and the slow-down of repeated failed authentication."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from coderlhf_tui.sync.server import accounts
from coderlhf_tui.sync.server.auth_throttle import FailedAuthLimiter, TokenRoster
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

        def chunks() -> Iterator[bytes]:
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
            # not JSON, but Python's parser reads it; echoing NaN back made the 422 a 500
            b'{"annotations": [{"id": "a", "task_id": "py-000", "annotator": "ann1",'
            b' "revision": 1, "time_spent_s": NaN}]}',
        ):
            response = httpx.post(
                f"{server.url}/v1/sync/push",
                content=body,
                headers={**team.headers("ann1"), "Content-Type": "application/json"},
            )
            assert response.status_code == 422, body


def _me(server: BackgroundServer, token: str) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    return httpx.get(f"{server.url}/v1/me", headers=headers, timeout=30).status_code


def test_one_wrong_token_is_slowed_down_by_itself(tmp_path: Path) -> None:
    team = make_team(f"sqlite:///{tmp_path / 's.db'}", tmp_path)
    settings = ServerSettings(
        db_url=team.url, auth_failures=1000, auth_token_failures=5, auth_window_s=30
    )
    with BackgroundServer(settings) as server:
        codes = [_me(server, "clhf_guess") for _ in range(7)]
        assert codes == [401] * 5 + [429] * 2
        limited = httpx.get(
            f"{server.url}/v1/me", headers={"Authorization": "Bearer clhf_guess"}, timeout=30
        )
        assert int(limited.headers["retry-after"]) >= 1
        assert _me(server, "clhf_another_guess") == 401  # the source is not throttled
        assert _me(server, team.tokens["ann1"]) == 200


def test_a_valid_token_gets_in_from_a_throttled_address(tmp_path: Path) -> None:
    """Every client here shares 127.0.0.1, like honest users behind one NAT or proxy."""
    team = make_team(f"sqlite:///{tmp_path / 's.db'}", tmp_path)
    settings = ServerSettings(db_url=team.url, auth_failures=5, auth_window_s=30)
    with BackgroundServer(settings) as server:
        codes = [_me(server, f"clhf_guess_{i}") for i in range(8)]
        assert codes == [401] * 5 + [429] * 3  # the address's failures are throttled
        assert _me(server, team.tokens["ann1"]) == 200  # a token seen before
        assert _me(server, team.tokens["ann2"]) == 200  # a token never used before
        fresh = accounts.issue_token(team.engine, "ann3")  # issued after the throttle began
        assert _me(server, fresh) == 200
        accounts.revoke_tokens(team.engine, "ann3")
        assert _me(server, "clhf_guess_again") == 429
        for _ in range(3):  # the valid tokens keep working while the guessing goes on
            assert _me(server, "clhf_guess_more") == 429
            assert _me(server, team.tokens["ann1"]) == 200


def test_the_roster_reloads_at_most_once_per_interval_under_a_flood() -> None:
    known = {"a"}
    calls: list[int] = []

    def load() -> set[str]:
        calls.append(1)
        return set(known)

    roster = TokenRoster(load, min_interval_s=0.2)

    async def flood() -> list[bool]:
        first = await roster.holds("a")
        guesses = await asyncio.gather(*(roster.holds(f"guess-{i}") for i in range(300)))
        known.add("new")
        fresh = await roster.holds("new")  # issued after the last load: found after a reload
        return [first, *guesses, fresh]

    started = time.monotonic()
    answers = asyncio.run(flood())
    elapsed = time.monotonic() - started
    assert answers[0] is True and answers[-1] is True and not any(answers[1:-1])
    assert roster.loads == len(calls) <= 1 + int(elapsed / 0.2) + 1
    assert len(calls) <= 4


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
