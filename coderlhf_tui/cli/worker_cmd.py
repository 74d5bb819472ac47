"""``coderlhf worker --scheduler ADDRESS``: a Dask worker for cluster audits on this machine.

It checks the machine first (Docker engine, the configured images, their digests when
``--image-digest`` pins them) and only then becomes ``dask worker`` with the preload that
checks again inside each worker process (docs/cluster.md). Dask is the ``cluster`` extra,
imported only here in the handler: the parser builds on a plain install.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from coderlhf_tui.cli.common import UserError
from coderlhf_tui.store import Store


def register(subparsers: Any) -> None:
    """Add ``coderlhf worker``."""
    p = subparsers.add_parser("worker", help="run a Dask worker for cluster audits here")
    p.add_argument("--scheduler", required=True, metavar="ADDRESS", help="tcp://HOST:8786")
    p.add_argument("--nworkers", type=int, default=1, help="worker processes (default 1)")
    p.add_argument(
        "--nthreads", type=int, default=None, help="chunks at once per process (default: cores)"
    )
    p.add_argument(
        "--image-digest",
        action="append",
        default=[],
        metavar="TAG=DIGEST",
        help="refuse to start unless image TAG has this digest (repeatable)",
    )
    p.add_argument("--name", help="worker name (default: Dask's)")
    p.add_argument("--tls-ca-file", help="TLS: the cluster's CA certificate")
    p.add_argument("--tls-cert", help="TLS: this worker's certificate")
    p.add_argument("--tls-key", help="TLS: this worker's key")
    p.add_argument("--check-only", action="store_true", help="check the machine and exit")
    p.set_defaults(handler=cmd_worker)


def parse_pins(values: list[str]) -> dict[str, str]:
    """``TAG=DIGEST`` options as a mapping; a malformed one is a UserError."""
    pins = {}
    for value in values:
        tag, sep, digest = value.rpartition("=")
        if not sep or not tag or not digest:
            raise UserError(f"--image-digest {value!r}: expected TAG=DIGEST")
        pins[tag] = digest
    return pins


def worker_argv(args: argparse.Namespace) -> list[str]:
    """The ``dask worker`` command this machine becomes."""
    argv = [sys.executable, "-m", "distributed.cli.dask_worker", args.scheduler]
    argv += ["--nworkers", str(args.nworkers), "--nthreads", str(args.nthreads)]
    argv += ["--preload", "coderlhf_tui.cluster.preload"]
    if args.name:
        argv += ["--name", args.name]
    for flag in ("tls_ca_file", "tls_cert", "tls_key"):
        value = getattr(args, flag)
        if value:
            argv += ["--" + flag.replace("_", "-"), value]
    return argv


def cmd_worker(args: argparse.Namespace) -> int:
    """Check this machine, then run the Dask worker (exec: signals reach it directly)."""
    from coderlhf_tui.cluster import ClusterUnavailable, require_dask
    from coderlhf_tui.cluster.readiness import check_machine
    from coderlhf_tui.cluster.spec import WorkerRefused

    args.nthreads = args.nthreads or max(1, (os.cpu_count() or 1) // args.nworkers)
    if args.nworkers < 1 or args.nthreads < 1:
        raise UserError("--nworkers and --nthreads must be at least 1")
    try:
        require_dask()
        digests = check_machine(parse_pins(args.image_digest))
    except (ClusterUnavailable, WorkerRefused) as exc:
        raise UserError(str(exc)) from exc
    for tag, digest in digests.items():
        print(f"image {tag} {digest}", file=sys.stderr)
    if args.check_only:
        return 0
    sys.stderr.flush()
    os.execv(sys.executable, worker_argv(args))


def add_cluster_options(p: argparse.ArgumentParser) -> None:
    """``--cluster ADDRESS`` (or config ``cluster.scheduler``), ``--resume``, ``--chunk-runs``."""
    p.add_argument(
        "--cluster",
        metavar="ADDRESS",
        help="run on a Dask scheduler, e.g. tcp://HOST:8786 (config: cluster.scheduler);"
        " needs coderlhf[cluster]",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="continue the workspace's last cluster job: only what it did not store is sent",
    )
    p.add_argument(
        "--chunk-runs",
        type=int,
        default=None,
        help="runs per chunk sent (default: big chunks first, small ones last, 8-256)",
    )
    p.add_argument(
        "--workers", type=int, default=1, help="wait for this many cluster workers (default 1)"
    )


def cluster_options(args: argparse.Namespace, store: Store) -> Any:
    """A cluster.dispatch.ClusterOptions when the cluster is asked for, else None."""
    from coderlhf_tui.config import ConfigError, section

    try:
        address = args.cluster or section("cluster").get("scheduler")
    except ConfigError as exc:
        raise UserError(str(exc)) from exc
    if args.resume and not address:
        raise UserError("--resume continues a cluster job: give --cluster ADDRESS")
    if not address:
        return None
    from coderlhf_tui.cluster import ClusterUnavailable, require_dask
    from coderlhf_tui.cluster.dispatch import RESUME_META, ClusterOptions

    try:
        require_dask()
    except ClusterUnavailable as exc:
        raise UserError(str(exc)) from exc
    if args.resume:
        last = store.get_meta(RESUME_META)
        if last is None:
            raise UserError("--resume: this workspace has no cluster job to continue")
        print(f"resuming the cluster job {last}", file=sys.stderr)
    if (args.chunk_runs or 1) < 1 or args.workers < 1:
        raise UserError("--chunk-runs and --workers must be at least 1")
    return ClusterOptions(
        address=str(address),
        runs_per_chunk=args.chunk_runs,
        jobs=getattr(args, "jobs", None) or 1,
        force=getattr(args, "force", False),
        wait_workers=args.workers,
    )
