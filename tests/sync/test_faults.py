"""The fault harness: randomized rounds of edits and syncs under network and process faults.

Three annotators edit annotations on their own stores and sync through a loopback proxy
that delays, drops and refuses connections; the server process is killed mid-sync and
restarted; old push batches are replayed; clients are restarted, and ``coderlhf sync``
subprocesses are killed mid-run. Afterwards, with the faults off and one final sync
each, every annotation every client saved is on the server at its last revision, none
is duplicated, and each client store agrees with the server. CODERLHF_FAULT_ROUNDS
changes the number of rounds (default 1,000).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from coderlhf_tui.store import Store
from coderlhf_tui.sync.client import SyncClient
from coderlhf_tui.sync.client.outbound import build_batch
from tests.sync.faultproxy import FaultProxy
from tests.sync.helpers import REPO, ServerProcess, make_team, new_annotation, open_store

ROUNDS = int(os.environ.get("CODERLHF_FAULT_ROUNDS", "1000"))
FAULTS = [
    ("pass", 0.43),
    ("delay", 0.10),
    ("drop_request", 0.10),
    ("drop_response", 0.12),
    ("refuse", 0.05),
    ("replay", 0.08),
    ("restart_client", 0.06),
    ("kill_server", 0.035),
    ("kill_client", 0.025),
]


@dataclass
class Annotator:
    """One annotator's machine: a store file, a config file, what they saved."""

    name: str
    token: str
    folder: Path
    store: Store = field(init=False)
    ledger: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.store = open_store(self.folder / f"{self.name}.db", self.name)

    def restart(self) -> None:
        self.store.close()
        self.store = Store.open(self.folder / f"{self.name}.db")

    def edit(self, rng: random.Random) -> None:
        task_ids = self.store.task_ids()
        if not task_ids:
            return
        task_id = rng.choice(task_ids)
        current = self.store.get_annotation(task_id, self.name)
        if current is None:
            current = new_annotation(task_id, self.name)
        saved = self.store.save_annotation(
            replace(current, rationale=f"{self.name} edit {rng.random():.6f}")
        )
        self.ledger[saved.id] = saved.revision

    def config(self, url: str) -> Path:
        path = self.folder / f"{self.name}.yaml"
        path.write_text(yaml.safe_dump({"sync": {"server": url, "token": self.token}}))
        return path


class Servers:
    """The server process behind the proxy, with a warm standby on the same database.

    Killing the current process switches the proxy to the standby (already started and
    migrated) and starts a new standby in the background, so a kill costs the rounds no
    start-up time.
    """

    def __init__(self, db_url: str, folder: Path) -> None:
        self.db_url = db_url
        self.folder = folder
        self.current = self._spawn()
        self.proxy = FaultProxy(self.current.port)
        self.standby: ServerProcess | None = None
        self._starting = threading.Thread(target=self._prepare)
        self._starting.start()

    def _spawn(self) -> ServerProcess:
        return ServerProcess(self.db_url, log=self.folder / "server.log").start(timeout=120)

    def _prepare(self) -> None:
        self.standby = self._spawn()

    @property
    def standby_ready(self) -> bool:
        return self.standby is not None

    def kill_current(self) -> None:
        self.current.kill()

    def fail_over(self) -> None:
        self.current.kill()
        self._starting.join()
        assert self.standby is not None
        self.current, self.standby = self.standby, None
        self.proxy.upstream_port = self.current.port
        self._starting = threading.Thread(target=self._prepare)
        self._starting.start()

    def close(self) -> None:
        self.proxy.close()
        self._starting.join()
        for server in (self.current, self.standby):
            if server is not None:
                server.stop()


def _pick(rng: random.Random) -> str:
    return rng.choices([f for f, _ in FAULTS], weights=[w for _, w in FAULTS])[0]


@pytest.mark.xdist_group("faults")
def test_randomized_faults_lose_and_duplicate_nothing(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'server.db'}"
    team = make_team(db_url, tmp_path, python_tasks=30, go_tasks=10, gold=0)
    servers = Servers(db_url, tmp_path)
    proxy = servers.proxy
    rng = random.Random(20261126)
    people = [Annotator(n, team.tokens[n], tmp_path) for n in ("ann1", "ann2", "ann3")]
    clients = {p.name: SyncClient(p.store, proxy.url, p.token, timeout=1.5) for p in people}
    sent: list[tuple[str, dict[str, Any]]] = []
    seen = Counter[str]()
    try:
        for person in people:
            assert clients[person.name].sync().state == "synced"
        for _ in range(ROUNDS):
            person = rng.choice(people)
            for _ in range(rng.randint(0, 3)):
                person.edit(rng)
            fault = _pick(rng)
            if fault == "kill_server" and not servers.standby_ready:
                fault = "drop_response"  # a slow machine: kill when the standby is warm
            seen[fault] += 1
            items = person.store.outbox_items(200)
            if items:
                sent.append((person.name, build_batch(person.store, items).body))
                del sent[:-40]
            report_state = _round(fault, rng, person, clients, servers, sent, team)
            seen[report_state] += 1
            proxy.set("pass")
        for _ in range(2):  # faults off: everyone syncs until nothing is pending
            for person in people:
                report = clients[person.name].sync()
                assert report.state == "synced", report
        _check(people, team, servers.current.url)
    finally:
        for client in clients.values():
            client.close()
        servers.close()
    print(f"fault rounds: {dict(sorted(seen.items()))}")
    assert seen["offline"] > ROUNDS // 10, seen  # the faults really hit
    assert seen["kill_server"] >= min(5, ROUNDS // 100), seen
    assert seen["synced"] > ROUNDS // 4, seen


def _round(
    fault: str,
    rng: random.Random,
    person: Annotator,
    clients: dict[str, SyncClient],
    servers: Servers,
    sent: list[tuple[str, dict[str, Any]]],
    team: Any,
) -> str:
    client = clients[person.name]
    proxy = servers.proxy
    if fault in ("delay", "drop_request", "drop_response", "refuse"):
        proxy.set(fault, delay_s=rng.uniform(0.002, 0.03))
        return client.sync().state
    if fault == "replay" and sent:
        name, body = rng.choice(sent)
        response = httpx.post(
            f"{proxy.url}/v1/sync/push", json=body, headers=team.headers(name), timeout=10
        )
        assert response.status_code == 200, response.text
        return client.sync().state
    if fault == "restart_client":
        client.close()
        person.restart()
        clients[person.name] = SyncClient(person.store, proxy.url, person.token, timeout=1.5)
        return clients[person.name].sync().state
    if fault == "kill_server":
        killer = threading.Timer(rng.uniform(0.0, 0.03), servers.kill_current)
        killer.start()
        state = client.sync().state
        killer.join()
        servers.fail_over()
        return state
    if fault == "kill_client":
        return _kill_client_midway(rng, person, proxy.url)
    return client.sync().state


def _kill_client_midway(rng: random.Random, person: Annotator, url: str) -> str:
    env = dict(os.environ, CODERLHF_CONFIG=str(person.config(url)))
    proc = subprocess.Popen(
        [sys.executable, "-m", "coderlhf_tui", "sync", "--db", str(person.store.path)],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(rng.uniform(0.3, 1.6))
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    return "killed"


def _check(people: list[Annotator], team: Any, url: str) -> None:
    rows = httpx.get(f"{url}/v1/annotations", headers=team.headers("lead"), timeout=30).json()
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    pairs = [(r["task_id"], r["annotator"]) for r in rows]
    assert len(pairs) == len(set(pairs)), "an annotator has two annotations of one task"
    on_server = {r["id"]: r for r in rows}
    expected = {i: rev for p in people for i, rev in p.ledger.items()}
    assert len(expected) > 50
    assert {i: r["revision"] for i, r in on_server.items()} == expected
    for person in people:
        assert person.store.outbox_count() == 0
        local = {a.id: a for a in person.store.list_annotations()}
        assert {i: a.revision for i, a in local.items()} == person.ledger
        for ann_id, ann in local.items():
            assert on_server[ann_id]["rationale"] == ann.rationale
            assert on_server[ann_id]["annotator"] == person.name
