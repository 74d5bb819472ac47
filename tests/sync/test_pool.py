"""A server process keeps to its database pool size (``--db-pool`` / $CODERLHF_SERVER_DB_POOL).

Several processes share one PostgreSQL database, whose ``max_connections`` (100 by
default) must hold every process's pool: the pool is a hard cap, kept under load.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from coderlhf_tui.cli import main
from tests.sync.helpers import ServerProcess, annotation_wire, make_team, new_annotation


def _connections(admin_url: str, database: str) -> int:
    engine = create_engine(admin_url)
    try:
        with engine.connect() as conn:
            count = conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = :d AND pid <> pg_backend_pid()"
                ),
                {"d": database},
            ).scalar_one()
        return int(count)
    finally:
        engine.dispose()


@pytest.mark.xdist_group("multiprocess")
def test_server_keeps_to_its_pool_under_load(pg_url: str, tmp_path: Path) -> None:
    team = make_team(pg_url, tmp_path, python_tasks=40, go_tasks=0, gold=0, k=1)
    team.engine.dispose()
    database = pg_url.rsplit("/", 1)[1]
    servers = [
        ServerProcess(pg_url, log=tmp_path / "a.log", extra=["--db-pool", "4"]),
        ServerProcess(pg_url, log=tmp_path / "b.log"),
    ]
    old = os.environ.get("CODERLHF_SERVER_DB_POOL")
    os.environ["CODERLHF_SERVER_DB_POOL"] = "3"  # the second one takes it from the environment
    try:
        for server in servers:
            server.start(timeout=60)
    finally:
        if old is None:
            del os.environ["CODERLHF_SERVER_DB_POOL"]
        else:
            os.environ["CODERLHF_SERVER_DB_POOL"] = old
    peak = 0
    done = threading.Event()

    def watch() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _connections(pg_url, database))

    def work(i: int) -> tuple[int, int]:
        name = ("ann1", "ann2")[i % 2]
        url = servers[i % 2].url
        with httpx.Client(base_url=url, headers=team.headers(name), timeout=60) as http:
            tasks = [t["id"] for t in http.get("/v1/sync/pull").json()["tasks"]]
            ann = new_annotation(tasks[i % len(tasks)], name)
            pushed = http.post("/v1/sync/push", json={"annotations": [annotation_wire(ann)]})
            return pushed.status_code, http.get("/v1/sync/pull").status_code

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        with ThreadPoolExecutor(24) as pool:
            answers = list(pool.map(work, range(48)))
    finally:
        done.set()
        watcher.join(timeout=30)
        for server in servers:
            server.stop()
    assert all(answer == (200, 200) for answer in answers), answers
    assert 3 <= peak <= 4 + 3  # both pools were used, neither went past its size


def test_pool_size_must_leave_room_for_requests(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["server", "--db", str(tmp_path / "s.db"), "--db-pool", "2"]) == 2
    assert "database pool size 2:" in capsys.readouterr().err
