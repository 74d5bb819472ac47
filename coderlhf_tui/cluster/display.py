"""The live display of a cluster audit: runs done/total, rate, ETA, verdicts, workers.

rich.progress draws it on stderr while results stream in; ``--json`` gets no display at
all (its stdout stays one JSON document and stderr stays quiet).
"""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from coderlhf_tui.cluster.figures import ClusterFigures


class LiveDisplay:
    """A rich progress bar with the verdict counts and each worker's share below it."""

    def __init__(self, stream: TextIO, total: int) -> None:
        self._progress = Progress(
            TextColumn("[bold]runs"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}/s"),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[verdicts]}"),
            console=Console(file=stream),
            transient=False,
        )
        self._bar: TaskID = self._progress.add_task("runs", total=total, rate="0.0", verdicts="")
        self._workers: dict[str, TaskID] = {}

    def __enter__(self) -> LiveDisplay:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def update(self, figures: ClusterFigures) -> None:
        elapsed = max(figures.wall_s, 1e-6)
        sent = sum(w.runs for w in figures.workers.values())
        verdicts = " ".join(f"{v}:{n}" for v, n in figures.verdicts.most_common())
        self._progress.update(
            self._bar,
            completed=figures.runs_done,
            rate=f"{sent / elapsed:.1f}",
            verdicts=verdicts,
        )
        for name, share in sorted(figures.workers.items()):
            if name not in self._workers:
                self._workers[name] = self._progress.add_task(
                    name, total=None, rate="", verdicts=""
                )
            self._progress.update(
                self._workers[name],
                completed=share.runs,
                verdicts=f"  {name}: {share.runs} runs, {share.chunks} chunks",
            )
