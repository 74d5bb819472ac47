"""The cluster's figures for the audit report and the benchmark: who did what, how fast.

Scheduler overhead per chunk is what the workers' own busy time does not explain:
(wall time x worker threads - the sum of the chunks' time on their workers) / chunks. It holds
sending a chunk, scheduling it, returning its results and any worker idling for work.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class WorkerFigures:
    """One worker's share."""

    runs: int = 0
    scans: int = 0
    chunks: int = 0
    busy_s: float = 0.0


@dataclass(slots=True)
class ClusterFigures:
    """Everything the report and the progress display say about the cluster."""

    scheduler: str
    workers: dict[str, WorkerFigures] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    """Workers left out, with why (their image digest or rule pack differs)."""
    verdicts: Counter[str] = field(default_factory=Counter)
    total_runs: int = 0
    answered: int = 0
    """Runs answered by the client's store (cached, NO_TESTS): nothing sent."""
    chunks: int = 0
    wall_s: float = 0.0
    threads: int = 0
    """Dask threads of the workers that take chunks (chunks that can run at once)."""

    def add_chunk(self, worker: str, runs: int, scans: int, busy_s: float) -> None:
        share = self.workers.setdefault(worker, WorkerFigures())
        share.runs += runs
        share.scans += scans
        share.chunks += 1
        share.busy_s += busy_s

    @property
    def runs_done(self) -> int:
        return self.answered + sum(w.runs for w in self.workers.values())

    def overhead_per_chunk_s(self) -> float:
        """Wall time the worker threads' busy time does not explain, per chunk."""
        if not self.chunks:
            return 0.0
        busy = sum(w.busy_s for w in self.workers.values())
        return max(0.0, self.wall_s * max(1, self.threads) - busy) / self.chunks

    def as_dict(self) -> dict[str, Any]:
        sent = sum(w.runs for w in self.workers.values())
        n_workers = len(self.workers)
        return {
            "scheduler": self.scheduler,
            "workers": n_workers,
            "refused": dict(self.refused),
            "runs": self.total_runs,
            "runs_sent": sent,
            "runs_answered_by_store": self.answered,
            "chunks": self.chunks,
            "wall_s": round(self.wall_s, 3),
            "runs_per_s": round(sent / self.wall_s, 2) if self.wall_s else 0.0,
            "threads": self.threads,
            "overhead_per_chunk_s": round(self.overhead_per_chunk_s(), 4),
            "verdicts": dict(self.verdicts),
            "per_worker": {
                name: {
                    "runs": w.runs,
                    "scans": w.scans,
                    "chunks": w.chunks,
                    "busy_s": round(w.busy_s, 3),
                    "runs_per_s": round(w.runs / w.busy_s, 2) if w.busy_s else 0.0,
                }
                for name, w in sorted(self.workers.items())
            },
        }

    def summary(self) -> str:
        """One line for the report's notes."""
        d = self.as_dict()
        return (
            f"cluster {self.scheduler}: {d['workers']} workers, {d['runs_sent']} runs in"
            f" {d['chunks']} chunks in {d['wall_s']} s ({d['runs_per_s']} runs/s,"
            f" {d['overhead_per_chunk_s']} s scheduler overhead per chunk),"
            f" {d['runs_answered_by_store']} answered by the store"
        )
