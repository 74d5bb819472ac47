"""Shared pieces of the sync tests: task files, teams of accounts, HTTP shortcuts."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine

from coderlhf_tui.domain import Annotation, AnnotationStatus, Preference
from coderlhf_tui.store import Store
from coderlhf_tui.sync.server import accounts, assign, db
from coderlhf_tui.sync.server.tasks_import import import_task_file

REPO = Path(__file__).resolve().parents[2]


def task_record(task_id: str, language: str = "python", gold: str | None = None) -> dict[str, Any]:
    """A small valid task in the docs/formats.md task-file shape."""
    record: dict[str, Any] = {
        "id": task_id,
        "language": language,
        "prompt": f"Write add() for {task_id}",
        "responses": [
            {"id": "a", "model": "m1", "code": "def add(a, b):\n    return a + b\n"},
            {"id": "b", "model": "m2", "code": "def add(a, b):\n    return a - b\n"},
        ],
        "tests": {"kind": "script", "code": "assert add(1, 2) == 3\n"},
    }
    if gold:
        record["gold"] = {"preference": gold, "note": "b subtracts"}
    return record


def write_tasks(path: Path, records: list[dict[str, Any]]) -> Path:
    """A JSONL task file."""
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@dataclass
class Team:
    """A server database with accounts, imported tasks and assignments."""

    url: str
    engine: Engine
    tokens: dict[str, str] = field(default_factory=dict)

    def headers(self, name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[name]}"}


def make_team(
    url: str,
    folder: Path,
    *,
    python_tasks: int = 6,
    go_tasks: int = 2,
    gold: int = 1,
    k: int = 2,
    gold_rate: float = 0.0,
) -> Team:
    """admin, lead, ann1+ann2 (python), ann3 (go), an audit worker; tasks imported and
    assigned."""
    engine = db.make_engine(url)
    db.upgrade(engine)
    team = Team(url=url, engine=engine)
    for name, role, langs, years in (
        ("admin", "admin", "", None),
        ("lead", "lead", "python,go", 12),
        ("ann1", "annotator", "python", 7),
        ("ann2", "annotator", "python", 4),
        ("ann3", "annotator", "go", 9),
        ("auditor", "auditor", "", None),
    ):
        _, token = accounts.create_user(engine, name, role, langs, years)
        team.tokens[name] = token
    records = [task_record(f"py-{i:03d}") for i in range(python_tasks)]
    records += [task_record(f"go-{i:03d}", "go") for i in range(go_tasks)]
    records += [task_record(f"gold-{i:03d}", "python", gold="A>B") for i in range(gold)]
    result = import_task_file(engine, write_tasks(folder / "tasks.jsonl", records))
    assert not result.errors, result.errors
    assign.assign(engine, k=k, gold_rate=gold_rate)
    return team


def new_annotation(task_id: str, annotator: str, **changes: Any) -> Annotation:
    """A fresh annotation with a client-made UUID."""
    values: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "task_id": task_id,
        "annotator": annotator,
        "status": AnnotationStatus.SUBMITTED,
        "preference": Preference.A_BETTER,
        "scores": {"a": {"correctness": 5}, "b": {"correctness": 2}},
        "rationale": "b subtracts",
        "rubric_version": "1",
    }
    values.update(changes)
    return Annotation(**values)


def annotation_wire(ann: Annotation) -> dict[str, Any]:
    """An annotation as a push item."""
    from coderlhf_tui.serialize import annotation_to_dict

    return annotation_to_dict(ann)


def server_annotations(url: str, token: str) -> list[dict[str, Any]]:
    """Every annotation the server holds, read as a lead."""
    response = httpx.get(
        f"{url}/v1/annotations", headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    response.raise_for_status()
    result: list[dict[str, Any]] = response.json()
    return result


def free_port() -> int:
    """A TCP port free on loopback right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    """``coderlhf server`` in a subprocess on loopback: killable, restartable."""

    def __init__(
        self,
        db_url: str,
        port: int | None = None,
        log: Path | None = None,
        extra: list[str] | None = None,
    ):
        self.db_url = db_url
        self.port = port or free_port()
        self.log = log
        self.extra = extra or []
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> ServerProcess:
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115
        env = dict(os.environ)
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "coderlhf_tui",
                "server",
                "--db",
                self.db_url,
                "--port",
                str(self.port),
                "--log-level",
                "warning",
                *self.extra,
            ],
            stdout=out,
            stderr=out,
            env=env,
            cwd=REPO,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}")
            try:
                if httpx.get(self.url + "/v1/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError("server did not answer in time")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def open_store(path: Path, annotator: str) -> Store:
    store = Store.open(path)
    store.set_meta("annotator", annotator)
    return store
