"""Load on the sync server: 200 simulated annotators on loopback, SQLite beside PostgreSQL.

For each database the script starts ``coderlhf server`` processes (loopback only),
creates 200 annotator accounts, imports and assigns tasks (50 per annotator), then:

1. burst: all 200 annotators push 50 new annotations each at once (10,000 in all), one
   batch each, and the wall time until every batch is acknowledged is measured; then
   each pulls, as ``coderlhf sync`` does after a push (the catch-up pull brings back
   its 50 annotations; its p99 is reported on its own);
2. steady: for ``--seconds`` (60) each annotator loops: think for a random 0.5-1.5 s,
   save a new revision of one of its annotations and push it, pull its changes from its
   cursor. Thinking first puts the loops out of phase from the start (``--in-phase``:
   every loop pushes at the same instant first, as the earlier runs did). Push and
   pull latencies are recorded; p50/p99 and throughput are printed.

Each database is measured twice in one run, the server answering push and pull through
its fast route layer (``sync/server/fast_routes.py``, the default) and, as the named
peer, through FastAPI's own routing, dependencies and validation for every request
(``CODERLHF_SERVER_ROUTES=fastapi``); the summary prints the server CPU per request of
each and their ratio (``--routes`` picks one or both). ``--pin`` runs the load
generators on CPU 0 and the servers on CPU 1 (``taskset``'s affinity), so that on a
2-core machine push p99 is the server's, not a fight with its own load; PostgreSQL is
not pinned. Pinned, the servers are one process (``--pg-servers`` overrides): one
Python process per core it may use, as a deployment would run them. Three processes
time-sharing the one core cost 1.30 ms of server CPU per request against 0.87 ms for
one, and push p99 75 ms against 23 ms, in back-to-back runs (BENCHMARKS.md): every
request then paid for switching between three event loops and their working sets.

The load runs from ``--procs`` generator processes with asyncio (on uvloop when
installed), 100 annotators each, every annotator on one kept-alive connection of a
minimal HTTP/1.1 client with its bodies serialised before the clock starts: the machine
has two cores, and a heavyweight client would take CPU from the server it measures.
Results go to stdout as a table and to benchmarks/out/sync_load.json, with the CPU the
servers and PostgreSQL spent per request in the steady phase and the load average.

    .venv/bin/python benchmarks/sync_load.py [--seconds 60] [--annotators 200]
        [--pg-servers N] [--pool N] [--only sqlite|postgresql] [--in-phase]
        [--routes fast,fastapi] [--pin]
        [--pg postgresql://coderlhf:coderlhf@127.0.0.1:5432/coderlhf_test]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import multiprocessing
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "benchmarks" / "out"
TASKS_PER_ANNOTATOR = 50


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


TARGET_CPU_MS = 1.5  # issue 18.3: server CPU per request, push and pull mixed
LOAD_CPU, SERVER_CPU = 0, 1  # --pin: the generators' core and the servers'


def _start_servers(
    db_url: str, count: int, log: Path, pool: int | None, routes: str, pin: bool
) -> list[tuple[subprocess.Popen[bytes], str]]:
    out = []
    env = {**os.environ, "CODERLHF_SERVER_ROUTES": routes}
    for _ in range(count):
        port = _free_port()
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "coderlhf_tui",
                "server",
                "--db",
                db_url,
                "--port",
                str(port),
                "--log-level",
                "warning",
                *(["--db-pool", str(pool)] if pool else []),
            ],
            stdout=open(log, "ab"),  # noqa: SIM115 - lives as long as the server
            stderr=subprocess.STDOUT,
            cwd=REPO,
            env=env,
        )
        if pin:
            os.sched_setaffinity(proc.pid, {SERVER_CPU})
        out.append((proc, f"http://127.0.0.1:{port}"))
    for proc, url in out:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"server exited; see {log}")
            try:
                if httpx.get(url + "/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("server did not start")
            time.sleep(0.1)
    return out


def _setup(db_url: str, annotators: int, folder: Path) -> dict[str, str]:
    from coderlhf_tui.sync.server import accounts, assign, db
    from coderlhf_tui.sync.server.tasks_import import import_task_file

    engine = db.make_engine(db_url)
    db.upgrade(engine)
    tokens = {}
    for i in range(annotators):
        name = f"bench{i:03d}"
        tokens[name] = accounts.create_user(engine, name, "annotator", "python", 5)[1]
    count = annotators * TASKS_PER_ANNOTATOR // 2
    path = folder / "tasks.jsonl"
    with path.open("w") as handle:
        for i in range(count):
            handle.write(
                json.dumps(
                    {
                        "id": f"t{i:06d}",
                        "language": "python",
                        "prompt": f"task {i}",
                        "responses": [
                            {"id": "a", "code": "x = 1\n"},
                            {"id": "b", "code": "x = 2\n"},
                        ],
                    }
                )
                + "\n"
            )
    result = import_task_file(engine, path)
    assert not result.errors
    assign.assign(engine, k=2, gold_rate=0.0)
    engine.dispose()
    return tokens


def _annotation(task_id: str, name: str, ann_id: str, revision: int) -> dict[str, Any]:
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return {
        "id": ann_id,
        "task_id": task_id,
        "annotator": name,
        "revision": revision,
        "status": "submitted",
        "preference": random.choice(["A>B", "B>A", "tie"]),
        "scores": {"a": {"correctness": 4, "security": 3}, "b": {"correctness": 2, "security": 5}},
        "rationale": "b misses the edge case " * 4,
        "tags": ["EDGE"],
        "time_spent_s": 120.0,
        "shown_order": "ab",
        "rubric_version": "1",
        "created_at": now,
        "updated_at": now,
    }


class _Http:
    """One kept-alive HTTP/1.1 connection: just enough client for this server's JSON.

    A request that finds the connection closed (the server's keep-alive ran out) is sent
    once more on a new one; every request here is idempotent.
    """

    def __init__(self, url: str, token: str) -> None:
        host, port = url.removeprefix("http://").split(":")
        self.host, self.port = host, int(port)
        self.head = f"Host: {url.removeprefix('http://')}\r\nAuthorization: Bearer {token}\r\n"
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
        for attempt in (0, 1):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            try:
                return await self._exchange(method, path, body)
            except (ConnectionError, asyncio.IncompleteReadError):
                await self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    async def _exchange(self, method: str, path: str, body: bytes) -> tuple[int, bytes]:
        assert self.reader is not None and self.writer is not None
        extra = f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n" if body else ""
        self.writer.write(f"{method} {path} HTTP/1.1\r\n{self.head}{extra}\r\n".encode() + body)
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("closed")
        status = int(status_line.split()[1])
        length, close = 0, False
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "connection" and "close" in value.lower():
                close = True
        data = await self.reader.readexactly(length)
        if close:
            await self.close()
        return status, data

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None


async def _annotator(
    name: str,
    token: str,
    urls: list[str],
    seconds: float,
    barrier_at: float,
    results: dict[str, Any],
    in_phase: bool = False,
) -> None:
    http = _Http(urls[int(name.removeprefix("bench")) % len(urls)], token)
    status, data = await http.request("GET", "/v1/sync/pull?limit=1000")
    assert status == 200, data
    page = json.loads(data)
    cursor = page["cursor"]
    tasks = [t["id"] for t in page["tasks"]]
    mine = {t: (str(uuid.uuid4()), 1) for t in tasks}
    burst = json.dumps(
        {"annotations": [_annotation(t, name, i, r) for t, (i, r) in mine.items()]}
    ).encode()
    await asyncio.sleep(max(0.0, barrier_at - time.time()))
    # 1. burst: everything at once, one batch
    begun = time.perf_counter()
    status, data = await http.request("POST", "/v1/sync/push", burst)
    assert status == 200, data
    results["burst_done"].append(time.time())
    results["burst_latency"].append(time.perf_counter() - begun)
    results["burst_items"] += len(mine)
    # then pull, as `coderlhf sync` does after pushing: the catch-up brings back the 50
    # annotations just pushed (timed on its own, not in the steady figures)
    more = True
    while more:
        begun = time.perf_counter()
        status, data = await http.request("GET", f"/v1/sync/pull?cursor={cursor}")
        results["catchup"].append(time.perf_counter() - begun)
        assert status == 200, data
        page = json.loads(data)
        cursor, more = page["cursor"], page["more"]
    await asyncio.sleep(max(0.0, barrier_at + 15 - time.time()))
    # 2. steady: think, edit, push, pull; the clock covers only the requests. Each loop
    # starts with a think, so the 200 annotators are out of phase from the first round
    # (as people are), not a second burst of 200 pushes at one instant.
    end = barrier_at + 15 + seconds
    first = True
    while time.time() < end:
        if not (first and in_phase):
            await asyncio.sleep(random.uniform(0.5, 1.5))
            if time.time() >= end:
                break
        first = False
        task = random.choice(tasks)
        ann_id, revision = mine[task]
        mine[task] = (ann_id, revision + 1)
        body = json.dumps({"annotations": [_annotation(task, name, ann_id, revision + 1)]})
        begun = time.perf_counter()
        status, _ = await http.request("POST", "/v1/sync/push", body.encode())
        results["push"].append(time.perf_counter() - begun)
        if status != 200:
            results["errors"] += 1
        begun = time.perf_counter()
        status, data = await http.request("GET", f"/v1/sync/pull?cursor={cursor}")
        results["pull"].append(time.perf_counter() - begun)
        if status != 200:
            results["errors"] += 1
        else:
            cursor = json.loads(data)["cursor"]
    await http.close()


def _generator(
    args: tuple[dict[str, str], list[str], float, float, bool, bool],
) -> dict[str, Any]:
    tokens, urls, seconds, barrier_at, in_phase, pin = args
    if pin:
        os.sched_setaffinity(0, {LOAD_CPU})
    results: dict[str, Any] = {
        "burst_done": [],
        "burst_latency": [],
        "burst_items": 0,
        "catchup": [],
        "push": [],
        "pull": [],
        "errors": 0,
    }

    async def settle() -> None:
        # the generator's own collector must not pause the clients it times (it holds
        # the parsed catch-up pages of 100 annotators): freeze before the steady phase
        await asyncio.sleep(max(0.0, barrier_at + 14 - time.time()))
        gc.collect()
        gc.freeze()
        gc.set_threshold(10_000, 10, 10)

    async def main() -> None:
        await asyncio.gather(
            settle(),
            *(
                _annotator(n, t, urls, seconds, barrier_at, results, in_phase)
                for n, t in tokens.items()
            ),
        )

    try:
        import uvloop

        uvloop.run(main())
    except ImportError:
        asyncio.run(main())
    return results


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of ``pids`` so far (Linux /proc; 0 for a vanished one)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _postgres_pids() -> list[int]:
    """Every PostgreSQL process on the machine (backends, WAL writer, checkpointer)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() in ("postgres", "postmaster"):
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def run(
    label: str,
    db_url: str,
    servers: int,
    annotators: int,
    seconds: float,
    procs: int,
    folder: Path,
    pool_size: int | None = None,
    in_phase: bool = False,
    routes: str = "fast",
    pin: bool = False,
) -> dict[str, Any]:
    print(f"== {label}, {routes} routes: setting up {annotators} annotators", flush=True)
    tokens = _setup(db_url, annotators, folder)
    started = _start_servers(db_url, servers, folder / f"{label}.log", pool_size, routes, pin)
    urls = [url for _, url in started]
    server_pids = [proc.pid for proc, _ in started]
    try:
        names = sorted(tokens)
        shares = [{n: tokens[n] for n in names[i::procs]} for i in range(procs)]
        barrier_at = time.time() + 10
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(procs) as pool:
            jobs = [(s, urls, seconds, barrier_at, in_phase, pin) for s in shares]
            pending = pool.map_async(_generator, jobs)
            # CPU used by the servers and by PostgreSQL during the steady phase
            time.sleep(max(0.0, barrier_at + 15 - time.time()))
            pg_pids = _postgres_pids() if label == "postgresql" else []
            cpu0 = (_cpu_seconds(server_pids), _cpu_seconds(pg_pids), os.getloadavg()[0])
            time.sleep(max(0.0, barrier_at + 15 + seconds - time.time()))
            cpu1 = (_cpu_seconds(server_pids), _cpu_seconds(pg_pids), os.getloadavg()[0])
            parts = pending.get()
    finally:
        for proc, _ in started:
            proc.terminate()
            proc.wait()
    merged: dict[str, Any] = {
        "push": [],
        "pull": [],
        "burst_done": [],
        "burst_latency": [],
        "burst_items": 0,
        "catchup": [],
        "errors": 0,
    }
    for part in parts:
        for key in merged:
            merged[key] = merged[key] + part[key]
    steady = merged["push"] + merged["pull"]
    per_request = 1000 / max(1, len(steady))
    return {
        "database": label,
        "routes": routes,
        "pinned": pin,
        "server_processes": servers,
        "annotators": annotators,
        "burst_annotations": merged["burst_items"],
        "burst_wall_s": round(max(merged["burst_done"]) - barrier_at, 2),
        "burst_batch_p99_ms": round(_pct(merged["burst_latency"], 0.99), 1),
        "catchup_pull_p99_ms": round(_pct(merged["catchup"], 0.99), 1),
        "steady_seconds": seconds,
        "requests_per_s": round(len(steady) / seconds, 1),
        "pushes_per_s": round(len(merged["push"]) / seconds, 1),
        "push_p50_ms": round(_pct(merged["push"], 0.50), 1),
        "push_p99_ms": round(_pct(merged["push"], 0.99), 1),
        "pull_p50_ms": round(_pct(merged["pull"], 0.50), 1),
        "pull_p99_ms": round(_pct(merged["pull"], 0.99), 1),
        "all_p99_ms": round(_pct(steady, 0.99), 1),
        "mean_ms": round(statistics.fmean(steady) * 1000, 1) if steady else None,
        "errors": merged["errors"],
        "server_cpu_ms_per_req": round((cpu1[0] - cpu0[0]) * per_request, 2),
        "db_cpu_ms_per_req": round((cpu1[1] - cpu0[1]) * per_request, 2),
        "load_start_end": f"{cpu0[2]:.1f}->{cpu1[2]:.1f}",
        "pool_size": pool_size or "default",
        "steady_start": "in phase" if in_phase else "staggered",
    }


def _postgres_database(admin_url: str) -> tuple[Any, str]:
    """A fresh database on the PostgreSQL of ``admin_url``: (admin engine, its URL)."""
    admin_url = admin_url.replace("postgresql://", "postgresql+psycopg://", 1)
    name = f"coderlhf_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return admin, admin_url.rsplit("/", 1)[0] + "/" + name


def _drop(admin: Any, url: str) -> None:
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
    admin.dispose()


def _summary(rows: list[dict[str, Any]]) -> list[str]:
    """Per database: server CPU per request of the fast routes against the FastAPI peer."""
    lines = []
    for database in dict.fromkeys(row["database"] for row in rows):
        by_routes = {row["routes"]: row for row in rows if row["database"] == database}
        for routes, row in by_routes.items():
            lines.append(
                f"{database:10} {routes:8} server CPU {row['server_cpu_ms_per_req']:.2f} ms/req"
                f" (+ database {row['db_cpu_ms_per_req']:.2f}), push p50/p99"
                f" {row['push_p50_ms']}/{row['push_p99_ms']} ms, pull p50/p99"
                f" {row['pull_p50_ms']}/{row['pull_p99_ms']} ms, load {row['load_start_end']}"
            )
        if "fast" in by_routes:
            fast = by_routes["fast"]
            cpu = fast["server_cpu_ms_per_req"]
            verdict = "met" if cpu <= TARGET_CPU_MS else "NOT met"
            pinned = "pinned" if fast["pinned"] else "not pinned"
            lines.append(
                f"{database:10} TARGET (issue 18.3): server CPU per request, push and pull mixed,"
                f" {cpu:.2f} ms (target <= {TARGET_CPU_MS} ms: {verdict});"
                f" push p99 {fast['push_p99_ms']} ms ({pinned})"
            )
        if {"fast", "fastapi"} <= set(by_routes):
            fast, peer = by_routes["fast"], by_routes["fastapi"]
            ratio = fast["server_cpu_ms_per_req"] / max(1e-9, peer["server_cpu_ms_per_req"])
            lines.append(
                f"{database:10} server CPU per request, fast routes / FastAPI routing: {ratio:.2f}x"
            )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--annotators", type=int, default=200)
    parser.add_argument("--procs", type=int, default=2, help="load generator processes")
    parser.add_argument(
        "--pg-servers",
        type=int,
        default=None,
        help="server processes on PG (default: 1 with --pin, one per core it gives the"
        " servers; 3 without, as the servers then share both cores with the load)",
    )
    parser.add_argument(
        "--pg",
        default=os.environ.get(
            "CODERLHF_TEST_PG", "postgresql://coderlhf:coderlhf@127.0.0.1:5432/coderlhf_test"
        ),
    )
    parser.add_argument("--only", choices=["sqlite", "postgresql"], default=None)
    parser.add_argument(
        "--pool", type=int, default=None, help="--db-pool of every server (default: theirs)"
    )
    parser.add_argument(
        "--in-phase",
        action="store_true",
        help="start every steady loop with a push at the same instant (the earlier runs)",
    )
    parser.add_argument(
        "--routes",
        default="fast,fastapi",
        help="server route layers to measure, in order: fast (ours), fastapi (the peer)",
    )
    parser.add_argument(
        "--pin",
        action="store_true",
        help=f"load generators on CPU {LOAD_CPU}, servers on CPU {SERVER_CPU}",
    )
    args = parser.parse_args()
    variants = [r.strip() for r in args.routes.split(",") if r.strip()]
    if not variants or set(variants) - {"fast", "fastapi"}:
        parser.error("--routes: a comma-separated list of fast and fastapi")
    rows = []
    for database in ("sqlite", "postgresql"):
        if args.only not in (None, database):
            continue
        for routes in variants:
            with tempfile.TemporaryDirectory(prefix="coderlhf-bench-") as tmp:
                folder = Path(tmp)
                admin = None
                if database == "sqlite":
                    url, servers = f"sqlite:///{folder / 'server.db'}", 1
                else:
                    admin, url = _postgres_database(args.pg)
                    servers = args.pg_servers or (1 if args.pin else 3)
                try:
                    rows.append(
                        run(
                            database,
                            url,
                            servers,
                            args.annotators,
                            args.seconds,
                            args.procs,
                            folder,
                            args.pool,
                            args.in_phase,
                            routes,
                            args.pin,
                        )
                    )
                finally:
                    if admin is not None:
                        _drop(admin, url)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "sync_load.json").write_text(json.dumps(rows, indent=2))
    keys = list(rows[0])
    print("| " + " | ".join(keys) + " |")
    for row in rows:
        print("| " + " | ".join(str(row[k]) for k in keys) + " |")
    print("\n".join(_summary(rows)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
