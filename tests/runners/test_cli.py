"""``coderlhf test`` and ``coderlhf images`` as a user runs them: real processes, real engine."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml

from coderlhf_tui.domain import TestKind
from coderlhf_tui.store import Store
from tests.runners.helpers import IMAGE, our_containers, processes_of, processes_with, python_task

CHECK = "def check(candidate):\n    assert candidate(2) == 3\n"


def coderlhf(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coderlhf_tui", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        **kwargs,
    )


def configure(**runner: Any) -> None:
    Path(os.environ["CODERLHF_CONFIG"]).write_text(
        yaml.safe_dump({"runner": {"image": IMAGE, **runner}})
    )


def test_json_output_and_cache(tmp_path: Path, client: Any) -> None:
    configure()
    db = tmp_path / "w.db"
    with Store.open(db) as store:
        store.insert_tasks(
            [
                python_task(
                    "def inc(x): return x + 1",
                    CHECK,
                    entry_point="inc",
                    task_id="ok",
                    code_b="def inc(x): return x",
                ),
                python_task("print(1)", "", kind=TestKind.UNIT, task_id="empty"),
                python_task(
                    "import os\nos._exit(0)\ndef inc(x): return x",
                    CHECK,
                    entry_point="inc",
                    task_id="early",
                    code_b="def inc(x): return x + 1",
                ),
            ]
        )
    first = coderlhf("test", "--db", str(db), "--json", "--jobs", "2")
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    verdicts = {(r["task_id"], r["response_id"]): r["verdict"] for r in report["results"]}
    assert verdicts == {
        ("empty", "a"): "NO_TESTS",
        ("empty", "b"): "NO_TESTS",
        ("ok", "a"): "PASSED",
        ("ok", "b"): "FAILED",
        ("early", "a"): "EXITED_EARLY",
        ("early", "b"): "PASSED",
    }
    assert report["counts"] == {"NO_TESTS": 2, "PASSED": 2, "FAILED": 1, "EXITED_EARLY": 1}
    assert report["total"] == 6 and report["duration_s"] > 0
    assert "6/6" in first.stderr  # the progress line
    again = coderlhf("test", "--db", str(db), "--json", "--task", "ok")
    cached = json.loads(again.stdout)
    assert cached["cached"] == 2 and [r["verdict"] for r in cached["results"]] == [
        "PASSED",
        "FAILED",
    ]


def test_missing_image_and_unknown_task_are_clear(tmp_path: Path, client: Any) -> None:
    db = tmp_path / "w.db"
    with Store.open(db) as store:
        store.insert_tasks([python_task("x = 1", "pass", task_id="one")])
    configure(image="coderlhf-missing:0")
    done = coderlhf("test", "--db", str(db))
    assert done.returncode == 2
    assert "coderlhf images build --from-debian" in done.stderr
    assert "Traceback" not in done.stderr
    configure()
    done = coderlhf("test", "--db", str(db), "--task", "nope")
    assert done.returncode == 2 and "no task 'nope'" in done.stderr


@pytest.mark.parametrize("mode", [[], ["--fresh-containers"]], ids=["workers", "fresh"])
def test_ctrl_c_leaves_no_container_behind(tmp_path: Path, client: Any, mode: list[str]) -> None:
    configure()
    db = tmp_path / "w.db"
    marker = f"61.{uuid.uuid4().int % 10**6}"
    with Store.open(db) as store:
        store.insert_tasks(
            [
                python_task(
                    f"import os\nos.execvp('sleep', ['sleep', '{marker}{i}'])",
                    "pass",
                    timeout_s=45,
                    task_id=f"slow{i}",
                )
                for i in range(6)
            ]
        )
    proc = subprocess.Popen(
        [sys.executable, "-m", "coderlhf_tui", "test", "--db", str(db), "--jobs", "2", *mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    owner = f"{os.uname().nodename}:{proc.pid}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(processes_with(marker)) < 2:
        time.sleep(0.2)
    assert len(processes_with(marker)) >= 2  # two responses are running in their sandboxes
    assert proc.poll() is None
    ids = [c["Id"] for c in our_containers(client, owner)]
    assert ids
    started = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130, stderr
    assert time.monotonic() - started < 15
    assert our_containers(client, owner) == []
    assert processes_of(ids) == []
    with Store.open(db) as store:  # nothing half-run was stored as a result
        assert all(store.latest_test_run(f"slow{i}", "a") is None for i in range(6))
