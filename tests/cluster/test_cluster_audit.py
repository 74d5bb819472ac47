"""The audit on a real Dask cluster with the real engine: a killed worker, an interrupted
client, a resume; every verdict and finding must equal a single-machine audit's."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from coderlhf_tui.domain import RESPONSE_KEYS
from coderlhf_tui.serialize import finding_to_dict
from coderlhf_tui.store import Store
from tests.cluster.conftest import BIN, LiveCluster

DEMO = Path(__file__).resolve().parents[2] / "coderlhf_tui" / "demo" / "tasks.jsonl"
LANGUAGES = ("python", "sql", "javascript", "php")
"""15 demo tasks, 30 responses: quick toolchains, so the test fits CI on 2 cores."""


def subset(folder: Path, languages: tuple[str, ...] = LANGUAGES, limit: int | None = None) -> Path:
    rows = [json.loads(line) for line in DEMO.read_text().splitlines() if line.strip()]
    picked = [row for row in rows if row["language"] in languages][:limit]
    for row in picked:  # the generous configured budget below for all: a busy machine
        row["tests"].pop("timeout_s", None)  # must not turn a slow pass into TIME_LIMIT
    path = folder / "tasks.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in picked))
    return path


def audit_argv(tasks: Path, db: Path, *extra: str) -> list[str]:
    out = db.with_suffix("")
    return [str(BIN / "coderlhf"), "audit", str(tasks), "--db", str(db), "--out", str(out),
            "--json", *extra]  # fmt: skip


def stored_runs(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM response_test_runs").fetchone()[0])
    except sqlite3.Error:
        return 0


def wait_for(db: Path, count: int, proc: subprocess.Popen[bytes], limit_s: float = 300) -> None:
    deadline = time.monotonic() + limit_s
    while stored_runs(db) < count:
        assert proc.poll() is None, f"the audit ended early: {proc.stderr and proc.stderr.read()!r}"
        assert time.monotonic() < deadline, f"fewer than {count} runs stored in {limit_s} s"
        time.sleep(0.1)


def outcome(db: Path, tasks: Path) -> dict[str, Any]:
    """Every response's verdict, counts, failing tests and findings (every field)."""
    ids = [json.loads(line)["id"] for line in tasks.read_text().splitlines()]
    store = Store.open(db)
    try:
        out: dict[str, Any] = {}
        for task_id in ids:
            for key in RESPONSE_KEYS:
                run = store.latest_test_run(task_id, key)
                findings = store.latest_findings(task_id, key)
                out[f"{task_id}/{key}"] = (
                    run and (run.verdict.value, run.passed, run.failed, run.failing_tests),
                    sorted(json.dumps(finding_to_dict(f), sort_keys=True) for f in findings),
                )
        return out
    finally:
        store.close()


def run_rows(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM test_runs").fetchone()[0])


@pytest.mark.docker
@pytest.mark.slow
@pytest.mark.xdist_group("cluster")
def test_killed_worker_interrupted_client_resume_match_single_machine(
    live_cluster: LiveCluster, tmp_path: Path
) -> None:
    tasks = subset(tmp_path)
    config = Path(os.environ["CODERLHF_CONFIG"])  # this test's own (tests/conftest.py)
    config.write_text("runner:\n  timeout_s: 30\n")
    single_db, cluster_db = tmp_path / "single.db", tmp_path / "cluster.db"
    single = subprocess.run(audit_argv(tasks, single_db), capture_output=True, timeout=900)
    assert single.returncode == 0, single.stderr.decode()[-2000:]
    total = stored_runs(single_db)
    assert total == 30

    cluster_args = ("--cluster", live_cluster.address, "--workers", "2", "--chunk-runs", "2")
    client = subprocess.Popen(
        audit_argv(tasks, cluster_db, *cluster_args), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    wait_for(cluster_db, 4, client)
    live_cluster.kill_worker("w1")  # mid-audit: its chunk in flight goes to w2
    wait_for(cluster_db, 12, client)
    client.send_signal(signal.SIGINT)
    assert client.wait(timeout=120) == 130, client.stderr and client.stderr.read().decode()
    interrupted_at = stored_runs(cluster_db)
    assert 12 <= interrupted_at < total

    resumed = subprocess.run(
        audit_argv(tasks, cluster_db, *cluster_args[:2], "--resume"), capture_output=True,
        timeout=900,
    )  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr.decode()[-2000:]
    figures = json.loads(resumed.stdout)["cluster"]
    assert figures["runs_answered_by_store"] >= interrupted_at
    assert figures["runs_sent"] == total - figures["runs_answered_by_store"]
    assert list(figures["per_worker"]) and all("w1" not in w for w in figures["per_worker"])

    assert outcome(cluster_db, tasks) == outcome(single_db, tasks)

    # `coderlhf test --cluster`: the same runs again (--force), verdicts as stored
    picked = ["py-word-frequency-io", "sql-top-customers"]
    argv = [str(BIN / "coderlhf"), "test", "--db", str(cluster_db), "--json", "--force"]
    argv += [*cluster_args[:2], *(x for t in picked for x in ("--task", t))]
    tested = subprocess.run(argv, capture_output=True, timeout=600)
    assert tested.returncode == 0, tested.stderr.decode()[-2000:]
    summary = json.loads(tested.stdout)
    assert summary["cluster"]["runs_sent"] == summary["total"] == 4
    before = outcome(single_db, tasks)
    for result in summary["results"]:
        verdict = before[f"{result['task_id']}/{result['key']}"][0][0]
        assert result["verdict"] == verdict and not result["cached"]
    assert run_rows(cluster_db) == run_rows(single_db) == total
    with sqlite3.connect(cluster_db) as conn:
        digests = {row[0] for row in conn.execute("SELECT body FROM test_runs")}
    assert all('"image_digest":"sha256:' in body for body in digests)


def test_cluster_without_the_extra_names_it(tmp_path: Path) -> None:
    """A plain install (no Dask importable) asked for --cluster: exit 2, the extra named."""
    code = (
        "import sys; sys.modules['dask'] = None; sys.modules['distributed'] = None;"
        "from coderlhf_tui.cli import main;"
        f"sys.exit(main(['audit', {str(DEMO)!r}, '--db', {str(tmp_path / 'w.db')!r}, '--cluster', 'tcp://x:1']))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert done.returncode == 2
    assert b"install coderlhf[cluster]" in done.stderr
