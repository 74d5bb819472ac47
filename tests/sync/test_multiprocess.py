"""Several server processes on one PostgreSQL database: one migration, one change feed.

Three ``coderlhf server`` processes start at once on an empty database (the migration
runs once, under an advisory lock), writers push through all of them concurrently
(including the same batch to two servers at the same moment), and a lead pulling from
them in turn sees every annotation at its final revision: the cursor never skips a
change that committed late on another process.
"""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from tests.sync.helpers import ServerProcess, annotation_wire, make_team, new_annotation


@pytest.mark.xdist_group("multiprocess")
def test_servers_share_one_postgres(pg_url: str, tmp_path: Path) -> None:
    servers = [ServerProcess(pg_url, log=tmp_path / f"s{i}.log") for i in range(3)]
    with ThreadPoolExecutor(3) as pool:
        list(pool.map(lambda s: s.start(timeout=60), servers))
    try:
        team = make_team(pg_url, tmp_path, python_tasks=40, go_tasks=0, gold=0)
        urls = [s.url for s in servers]
        expected: dict[str, int] = {}
        lock = threading.Lock()
        done = threading.Event()

        def writer(name: str, seed: int) -> None:
            rng = random.Random(seed)
            with httpx.Client(headers=team.headers(name), timeout=30) as http:
                for i in range(40):
                    ann = new_annotation(f"py-{i:03d}", name)
                    for revision in range(1, rng.randint(2, 4)):
                        current = replace(ann, revision=revision, rationale=f"r{revision}")
                        body = {"annotations": [annotation_wire(current)]}
                        first, second = rng.sample(urls, 2)
                        with ThreadPoolExecutor(2) as twice:  # the same batch, twice at once
                            answers = list(
                                twice.map(
                                    lambda u, b=body: http.post(f"{u}/v1/sync/push", json=b),
                                    [first, second],
                                )
                            )
                        assert all(a.status_code == 200 for a in answers), answers[0].text
                        outcomes = sorted(a.json()["results"][0]["outcome"] for a in answers)
                        assert outcomes == ["applied", "duplicate"]
                    with lock:
                        expected[ann.id] = current.revision

        seen: dict[str, int] = {}

        def reader() -> None:
            cursor = 0
            with httpx.Client(headers=team.headers("lead"), timeout=30) as http:
                while True:
                    finished = done.is_set()
                    page = http.get(
                        f"{random.choice(urls)}/v1/sync/pull",
                        params={"cursor": cursor, "limit": 50},
                    ).json()
                    assert page["cursor"] >= cursor
                    cursor = page["cursor"]
                    for ann in page["annotations"]:
                        seen[ann["id"]] = max(seen.get(ann["id"], 0), ann["revision"])
                    if finished and not page["more"]:
                        return

        pull_thread = threading.Thread(target=reader)
        pull_thread.start()
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(writer, ["ann1", "ann2"], [1, 2]))
        done.set()
        pull_thread.join(timeout=120)
        assert len(expected) == 80
        assert seen == expected
    finally:
        for server in servers:
            server.stop()
