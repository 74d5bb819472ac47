"""The documented views, read back by the tools a lead uses: Datasette and sqlite-utils."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from coderlhf_tui.domain import (
    Adjudication,
    Annotation,
    LineComment,
    Preference,
    Severity,
    TestRun,
    Verdict,
)
from coderlhf_tui.store import Store
from coderlhf_tui.store_views import DIMENSIONS, VIEWS
from tests.conftest import require_part
from tests.search.conftest import shell_finding, submitted


def _scores(a: int, b: int) -> dict[str, dict[str, int]]:
    return {"a": dict.fromkeys(DIMENSIONS, a), "b": dict.fromkeys(DIMENSIONS, b)}


def _annotation(task_id: str, who: str, preference: Preference, a: int, b: int) -> Annotation:
    return submitted(
        task_id,
        who,
        preference=preference,
        scores=_scores(a, b),
        rationale=f"{who} on {task_id}",
        tags=["T1", "T2"],
    )


@pytest.fixture
def annotated(demo_workspace: Path) -> dict[str, Any]:
    """The demo workspace with annotations that agree, disagree, and carry a comment."""
    with Store.open(demo_workspace) as store:
        store.save_annotation(_annotation("rate-limiter-001", "ak", Preference.B_BETTER, 2, 4))
        store.save_annotation(_annotation("rate-limiter-001", "bm", Preference.B_MUCH_BETTER, 2, 5))
        store.save_annotation(_annotation("py-count-lines-cmdi", "ak", Preference.A_BETTER, 4, 2))
        disputed = _annotation("py-count-lines-cmdi", "bm", Preference.B_BETTER, 2, 4)
        comment = LineComment(
            id="c1",
            response="a",
            start_line=3,
            end_line=3,
            category="security",
            severity=Severity.HIGH,
            text="shell=True with a path",
        )
        store.save_annotation(replace(disputed, comments=[comment]))
        store.save_adjudication(
            Adjudication(
                id="j1", task_id="py-count-lines-cmdi", lead="lead", preference=Preference.B_BETTER
            )
        )
        store.save_test_run(
            "py-count-lines-cmdi",
            "a",
            TestRun(verdict=Verdict.FAILED, content_hash="h1", passed=1, failed=2),
        )
        store.save_findings(
            "py-count-lines-cmdi",
            "a",
            "s1",
            [shell_finding("shell=True")],
        )
        return {"db": demo_workspace, "tasks": store.count_tasks()}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def datasette(annotated: dict[str, Any]) -> Iterator[str]:
    """``datasette serve`` on the workspace, on loopback; yields the database's base URL."""
    try:
        import datasette  # noqa: F401
    except ImportError:
        require_part("datasette", False, "pip install -e '.[dev]'")
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "datasette",
            "serve",
            str(annotated["db"]),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/-/versions.json", timeout=2).raise_for_status()
                break
            except httpx.HTTPError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "datasette did not start"
                time.sleep(0.2)
        yield f"{base}/{Path(annotated['db']).stem}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _rows(url: str, view: str, query: str = "") -> list[dict[str, Any]]:
    response = httpx.get(f"{url}/{view}.json?_shape=array&_size=max{query}", timeout=30)
    response.raise_for_status()
    rows: list[dict[str, Any]] = response.json()
    return rows


def test_datasette_serves_every_view(datasette: str, annotated: dict[str, Any]) -> None:
    listed = httpx.get(f"{datasette}.json", timeout=30).json()
    assert set(VIEWS) <= {view["name"] for view in listed["views"]}

    flat = _rows(datasette, "annotations_flat")
    assert len(flat) == 4
    bm = next(r for r in flat if r["task_id"] == "rate-limiter-001" and r["annotator"] == "bm")
    assert (bm["preference"], bm["preference_score"]) == ("B>>A", 2)
    assert (bm["a_correctness"], bm["b_style"], bm["language"]) == (2, 5, "python")
    assert bm["tags"] == "T1, T2" and bm["comments"] == 0
    assert [
        r["comments"]
        for r in flat
        if r["task_id"] == "py-count-lines-cmdi" and r["annotator"] == "bm"
    ] == [1]

    scores = _rows(datasette, "annotation_scores", "&annotator=ak&task_id=rate-limiter-001")
    assert len(scores) == 2 * len(DIMENSIONS)
    assert {(r["response"], r["score"]) for r in scores} == {("a", 2), ("b", 4)}

    pairs = {r["task_id"]: r for r in _rows(datasette, "pairs")}
    assert len(pairs) == annotated["tasks"]
    cmdi = pairs["py-count-lines-cmdi"]
    assert (cmdi["verdict_a"], cmdi["findings_a"], cmdi["max_severity_a"]) == ("FAILED", 1, "HIGH")
    assert (cmdi["annotations"], cmdi["submitted"], cmdi["adjudicated"]) == (2, 2, "B>A")
    assert pairs["rate-limiter-001"]["verdict_a"] is None

    evidence = _rows(datasette, "response_evidence", "&task_id=py-count-lines-cmdi")
    by_key = {r["response"]: r for r in evidence}
    assert (by_key["a"]["verdict"], by_key["a"]["passed"], by_key["a"]["failed"]) == (
        "FAILED",
        1,
        2,
    )
    assert by_key["b"]["verdict"] is None and by_key["a"]["lines"] > 1

    disputes = _rows(datasette, "disagreements")
    assert [r["task_id"] for r in disputes] == ["py-count-lines-cmdi", "rate-limiter-001"]
    by_task = {r["task_id"]: r for r in disputes}
    assert by_task["py-count-lines-cmdi"]["winner_conflict"] == 1
    assert by_task["py-count-lines-cmdi"]["adjudicated"] == 1
    assert (
        by_task["rate-limiter-001"]["preference_range"],
        by_task["rate-limiter-001"]["winner_conflict"],
    ) == (1, 0)


def test_sqlite_utils_queries_the_views(annotated: dict[str, Any]) -> None:
    cli = Path(sys.executable).with_name("sqlite-utils")
    require_part("sqlite-utils CLI", cli.exists(), "pip install -e .")
    out = subprocess.run(
        [
            str(cli),
            "query",
            str(annotated["db"]),
            "select task_id, preference_range from disagreements where winner_conflict",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(out) == [{"task_id": "py-count-lines-cmdi", "preference_range": 2}]
