"""The fast push/pull layer answers exactly as FastAPI's routes do, and really answers.

Two servers share one team database: one with ``fast_routes`` (the default), one
without (every request through FastAPI's routing, dependencies and validation). Each
request below goes to both, and status, body and the headers a client reads must be
equal: the happy path, every kind of 422 (including the ones where JSON parsers differ:
lone surrogates, NaN, content types), 401/403/405, odd pull queries. The layer's
counters then show that the ordinary requests were answered by it and the odd ones
handed on, so the equality is not the trivial one of a layer that answers nothing.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from coderlhf_tui.sync.server.fast_routes import FastRouteCounts
from coderlhf_tui.sync.server.serve import BackgroundServer
from coderlhf_tui.sync.server.settings import ServerSettings
from tests.sync.helpers import Team, annotation_wire, new_annotation

HEADERS_COMPARED = ("content-type", "www-authenticate", "retry-after")


@pytest.fixture
def both(team: Team) -> Iterator[tuple[BackgroundServer, BackgroundServer]]:
    """(fast, FastAPI-only) servers on the same database."""
    fast = ServerSettings(db_url=team.url, auth_failures=10_000)
    plain = ServerSettings(db_url=team.url, auth_failures=10_000, fast_routes=False)
    with BackgroundServer(fast) as one, BackgroundServer(plain) as other:
        yield one, other


def _answer(response: httpx.Response) -> tuple[int, Any, dict[str, str | None]]:
    try:
        body: Any = response.json()
    except ValueError:
        body = response.content
    return (
        response.status_code,
        body,
        {name: response.headers.get(name) for name in HEADERS_COMPARED},
    )


def _counts(server: BackgroundServer) -> FastRouteCounts:
    app = server.server.config.app
    assert isinstance(app, FastAPI)
    counts: FastRouteCounts = app.state.fast_routes
    return counts


def _push(server: BackgroundServer, body: bytes, headers: dict[str, str]) -> httpx.Response:
    return httpx.post(f"{server.url}/v1/sync/push", content=body, headers=headers, timeout=30)


def _body(**item: Any) -> bytes:
    return json.dumps({"annotations": [item]}).encode()


def test_pushes_answer_as_fastapi_does(
    team: Team, both: tuple[BackgroundServer, BackgroundServer]
) -> None:
    fast, plain = both
    as_json = {**team.headers("ann1"), "Content-Type": "application/json"}
    good = annotation_wire(new_annotation("py-000", "ann1"))
    stored = json.dumps({"annotations": [good]}).encode()
    first = _push(fast, stored, as_json)
    assert first.status_code == 200, first.text
    assert first.json()["results"][0]["outcome"] == "applied"
    ordinary_before = _counts(fast).answered
    # the same batch again: `duplicate` from both, byte for byte the same answer
    same = [
        (stored, as_json),
        (stored, {**as_json, "Content-Type": "application/json; charset=utf-8"}),
        (stored, {**as_json, "Content-Type": "APPLICATION/JSON"}),
        (_body(**{**good, "annotator": "ann2"}), as_json),  # 403: not you
        (_body(**{**good, "id": str(uuid.uuid4()), "task_id": "go-000"}), as_json),  # 403
        (stored, {"Content-Type": "application/json"}),  # 401: no token
        (stored, {**as_json, "Authorization": "Bearer clhf_wrong"}),  # 401
        (stored, {**as_json, "Authorization": "Basic YTpi"}),  # 401: not a bearer
    ]
    odd = [
        (b"{", as_json),
        (b"[]", as_json),
        (b"", as_json),
        (b'{"annotations": [{"id": "x"}]}', as_json),
        (b'{"annotations": [], "extra": 1}', as_json),
        (_body(**{**good, "rationale": "nul \u0000"}), as_json),
        (stored.replace(b'"b subtracts"', b'"lone \\ud800"'), as_json),
        (stored.replace(b'"time_spent_s": 0.0', b'"time_spent_s": NaN'), as_json),
        (stored, {**team.headers("ann1"), "Content-Type": "text/plain"}),
        (stored, team.headers("ann1")),  # no content type
        (stored, {**team.headers("ann1"), "Content-Type": "application/vnd.x+json"}),
    ]
    assert b"NaN" in odd[7][0] and b"\\ud800" in odd[6][0]
    for body, headers in same + odd:
        here, there = _answer(_push(fast, body, headers)), _answer(_push(plain, body, headers))
        assert here == there, (body[:80], headers)
    assert _answer(_push(fast, stored, as_json))[1]["results"][0]["outcome"] == "duplicate"
    counts = _counts(fast)
    assert counts.answered - ordinary_before >= len(same)
    assert counts.handed_on >= len(odd)


@pytest.mark.parametrize("who", ["ann1", "lead"])
def test_pulls_answer_as_fastapi_does(
    team: Team, both: tuple[BackgroundServer, BackgroundServer], who: str
) -> None:
    fast, plain = both
    headers = team.headers(who)
    ordinary = ["", "cursor=0", "cursor=0&limit=5", "limit=2&cursor=3", "cursor=007", "limit=1000"]
    ordinary += [f"cursor={2**62}"]
    odd = ["limit=0", "limit=1001", "cursor=-1", "cursor=abc", "cursor=1&cursor=2", "foo=1"]
    odd += ["cursor=%31", f"cursor={2**62 + 1}", "cursor=", "cursor", "limit=1.0", "cursor=+1"]
    before = _counts(fast).answered
    for query in ordinary + odd:
        answers = [
            _answer(httpx.get(f"{s.url}/v1/sync/pull?{query}", headers=headers, timeout=30))
            for s in (fast, plain)
        ]
        assert answers[0] == answers[1], query
        if query in ordinary:
            assert answers[0][0] == 200, query
    for method in ("HEAD", "PUT", "DELETE"):
        replies = [
            httpx.request(method, f"{s.url}/v1/sync/pull", headers=headers, timeout=30)
            for s in (fast, plain)
        ]
        assert _answer(replies[0]) == _answer(replies[1]), method
    assert _counts(fast).answered - before == len(ordinary)
    assert _counts(fast).handed_on >= len(odd) + 3
