"""Authorization of every route: roles, blind review, identity, bad tokens.

The table below names each route once; a test fails when the app grows a /v1 route the
table does not cover, so a new route cannot ship without its authorization cases.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from coderlhf_tui.sync.server import accounts
from coderlhf_tui.sync.server.app import create_app
from coderlhf_tui.sync.server.serve import BackgroundServer
from coderlhf_tui.sync.server.settings import ServerSettings
from coderlhf_tui.sync.wire.evidence_items import scan_evidence
from tests.sync.helpers import Team, annotation_wire, new_annotation, task_record

ANN2_ID = "11111111-2222-3333-4444-555555555555"
IMPORT_BODY = json.dumps(task_record("py-new")) + "\n"
TRUSTED_SCAN = scan_evidence("py-000", "a", [])

# (method, path, body, {caller: expected status}); callers absent from the map are not
# checked for that route. "ann1" is assigned py-* tasks, "ann3" only go-* tasks.
CASES: list[tuple[str, str, Any, dict[str, int]]] = [
    ("GET", "/v1/health", None, {"none": 200}),
    ("GET", "/v1/me", None, {"ann1": 200, "lead": 200, "admin": 200}),
    ("GET", "/v1/tasks", None, {"ann1": 200, "lead": 200}),
    ("GET", "/v1/tasks/py-000", None, {"ann1": 200, "ann3": 403, "lead": 200}),
    ("GET", "/v1/tasks/nope", None, {"ann1": 403, "lead": 404}),
    ("GET", "/v1/tasks/py-000/annotations", None, {"ann1": 403, "lead": 200, "admin": 200}),
    ("GET", "/v1/annotations", None, {"ann1": 200, "lead": 200}),
    ("GET", "/v1/annotations?annotator=ann2", None, {"ann1": 403, "ann2": 200, "lead": 200}),
    ("GET", f"/v1/annotations/{ANN2_ID}", None, {"ann1": 403, "ann2": 200, "lead": 200}),
    ("GET", f"/v1/annotations/{ANN2_ID}/history", None, {"ann1": 403, "ann2": 200, "lead": 200}),
    ("GET", "/v1/annotations/unknown-id", None, {"lead": 404}),
    ("GET", "/v1/adjudications", None, {"ann1": 403, "lead": 200, "admin": 200}),
    ("GET", "/v1/team", None, {"ann1": 403, "lead": 200}),
    ("GET", "/v1/sync/pull", None, {"ann1": 200, "lead": 200}),
    ("POST", "/v1/sync/push", {"annotations": []}, {"ann1": 200, "lead": 200}),
    (
        "POST",
        "/v1/admin/users",
        {"name": "x1", "role": "annotator", "languages": ["go"]},
        {"ann1": 403, "lead": 403, "admin": 201},
    ),
    ("GET", "/v1/admin/users", None, {"ann1": 403, "lead": 403, "admin": 200}),
    ("POST", "/v1/admin/users/ann1/tokens", None, {"ann1": 403, "lead": 403, "admin": 201}),
    ("POST", "/v1/admin/import", IMPORT_BODY, {"ann1": 403, "lead": 403, "admin": 200}),
    ("POST", "/v1/admin/assign", {"k": 2}, {"ann1": 403, "lead": 403, "admin": 200}),
    (
        "GET",
        "/v1/tasks/py-000/evidence",
        None,
        {"ann1": 403, "auditor": 403, "lead": 200, "admin": 200},
    ),
    (
        "POST",
        "/v1/audit/evidence",
        {"evidence": [TRUSTED_SCAN]},
        {"ann1": 403, "lead": 403, "auditor": 200, "admin": 200},
    ),
    ("GET", "/v1/audit/tasks", None, {"ann1": 403, "lead": 403, "auditor": 200, "admin": 200}),
    # an audit worker reaches nothing else: no task, no annotation, no lead route
    ("GET", "/v1/tasks/py-000", None, {"auditor": 403}),
    ("GET", "/v1/tasks/py-000/annotations", None, {"auditor": 403}),
    ("GET", f"/v1/annotations/{ANN2_ID}", None, {"auditor": 403}),
    ("GET", "/v1/admin/users", None, {"auditor": 403}),
    ("POST", "/v1/sync/push", {"annotations": [], "evidence": [TRUSTED_SCAN]}, {"auditor": 403}),
]


def _call(
    server: BackgroundServer, method: str, path: str, body: Any, headers: dict[str, str]
) -> httpx.Response:
    kwargs: dict[str, Any] = {"headers": headers}
    if isinstance(body, str):
        kwargs["content"] = body.encode()
        kwargs["headers"] = {**headers, "Content-Type": "application/x-ndjson"}
    elif body is not None:
        kwargs["json"] = body
    return httpx.request(method, server.url + path, timeout=30, **kwargs)


@pytest.fixture
def seeded(team: Team, server: BackgroundServer) -> Team:
    """ann2 owns annotation ANN2_ID of py-000."""
    ann = new_annotation("py-000", "ann2", id=ANN2_ID)
    response = httpx.post(
        f"{server.url}/v1/sync/push",
        headers=team.headers("ann2"),
        json={"annotations": [annotation_wire(ann)]},
    )
    assert response.status_code == 200, response.text
    return team


def test_the_table_covers_every_route() -> None:
    app = create_app(ServerSettings(db_url="sqlite://"))
    routes = {
        (method, route.path)  # type: ignore[attr-defined]
        for route in app.routes
        if getattr(route, "path", "").startswith("/v1/")
        for method in getattr(route, "methods", set()) - {"HEAD"}
    }
    covered = set()
    for method, path, _, _ in CASES:
        template = path.split("?")[0]
        for m, p in routes:
            parts, tparts = p.split("/"), template.split("/")
            if (
                m == method
                and len(parts) == len(tparts)
                and all(a == b or a.startswith("{") for a, b in zip(parts, tparts, strict=True))
            ):
                covered.add((m, p))
    assert routes - covered == set()


def test_roles_and_blind_review(seeded: Team, server: BackgroundServer) -> None:
    failures = []
    for method, path, body, expected in CASES:
        for caller, status in expected.items():
            headers = {} if caller == "none" else seeded.headers(caller)
            got = _call(server, method, path, body, headers).status_code
            if got != status:
                failures.append(f"{caller} {method} {path}: {got}, expected {status}")
    assert failures == []


def test_bad_tokens_are_refused_everywhere(seeded: Team, server: BackgroundServer) -> None:
    _, expired = accounts.create_user(
        seeded.engine, "old", "annotator", "python", expires_days=1e-9
    )
    bad = {
        "missing": {},
        "wrong": {"Authorization": "Bearer clhf_not-a-real-token"},
        "expired": {"Authorization": f"Bearer {expired}"},
        "basic": {"Authorization": "Basic YWRtaW46YWRtaW4="},
    }
    failures = []
    for method, path, body, _ in CASES:
        if path == "/v1/health":
            continue
        for label, headers in bad.items():
            response = _call(server, method, path, body, headers)
            if response.status_code != 401:
                failures.append(f"{label} {method} {path}: {response.status_code}")
            elif response.headers.get("www-authenticate") != "Bearer":
                failures.append(f"{label} {method} {path}: no Bearer challenge")
    assert failures == []


def _push(server: BackgroundServer, team: Team, who: str, body: dict) -> httpx.Response:
    return httpx.post(f"{server.url}/v1/sync/push", json=body, headers=team.headers(who))


def test_writing_as_someone_else_is_refused(seeded: Team, server: BackgroundServer) -> None:
    as_ann2 = new_annotation("py-001", "ann2")
    assert (
        _push(server, seeded, "ann1", {"annotations": [annotation_wire(as_ann2)]}).status_code
        == 403
    )
    hijack = new_annotation("py-000", "ann1", id=ANN2_ID, revision=99)
    assert (
        _push(server, seeded, "ann1", {"annotations": [annotation_wire(hijack)]}).status_code == 403
    )
    unassigned = new_annotation("go-000", "ann1")
    assert (
        _push(server, seeded, "ann1", {"annotations": [annotation_wire(unassigned)]}).status_code
        == 403
    )
    adjudication = {"id": "adj-x", "task_id": "py-000", "lead": "ann1", "preference": "A>B"}
    assert _push(server, seeded, "ann1", {"adjudications": [adjudication]}).status_code == 403
    as_other_lead = dict(adjudication, lead="admin")
    assert _push(server, seeded, "lead", {"adjudications": [as_other_lead]}).status_code == 403
    evidence = {
        "task_id": "go-000",
        "response_key": "a",
        "kind": "findings",
        "hash": "f:x",
        "findings": [],
    }
    assert _push(server, seeded, "ann1", {"evidence": [evidence]}).status_code == 403
    # nothing of the refused batches was stored
    stored = httpx.get(f"{server.url}/v1/annotations", headers=seeded.headers("lead")).json()
    assert [a["id"] for a in stored] == [ANN2_ID]
    assert stored[0]["revision"] == 1


def test_annotators_never_pull_others_work(seeded: Team, server: BackgroundServer) -> None:
    page = httpx.get(f"{server.url}/v1/sync/pull", headers=seeded.headers("ann1")).json()
    assert page["annotations"] == [] and page["adjudications"] == []
    assert all(t["id"].startswith(("py-", "gold-")) for t in page["tasks"])
    go_page = httpx.get(f"{server.url}/v1/sync/pull", headers=seeded.headers("ann3")).json()
    assert {t["id"][:3] for t in go_page["tasks"]} == {"go-"}
    listing = httpx.get(f"{server.url}/v1/annotations", headers=seeded.headers("ann1")).json()
    assert listing == []
