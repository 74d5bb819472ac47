"""What a Dask worker process keeps between audit chunks: its engine and worker containers.

A chunk used to open its own Docker backend (a client, an orphan sweep) and start fresh
worker containers, then remove them: 0.3-0.8 s per chunk and thread that a single-machine
audit pays once. A worker process instead keeps one ``runners.kept_workers.KeptWorkers``
per runner settings (the limits and images a chunk carries): every chunk borrows its
worker containers and gives them back, clean, for the next chunk. The pins are still
checked on every chunk, against the same engine.

The worker plugin (``cluster.worker_plugin``) closes them when the Dask worker shuts down;
at a plain process exit the runner's own registry removes whatever is left.
"""

from __future__ import annotations

import threading

from coderlhf_tui.runners.kept_workers import KeptWorkers
from coderlhf_tui.runners.settings import RunnerSettings

KEEP_SETTINGS = 4
"""Runner settings kept at once (audits with other limits); the oldest is closed beyond."""

_kept: list[KeptWorkers] = []
_lock = threading.Lock()


def kept_for(settings: RunnerSettings) -> KeptWorkers:
    """This process's kept workers for ``settings`` (new when none, or the last was spent)."""
    stale: list[KeptWorkers] = []
    with _lock:
        found = next((k for k in _kept if k.settings == settings), None)
        if found is not None and not found.usable:
            _kept.remove(found)
            stale.append(found)
            found = None
        if found is None:
            found = KeptWorkers(settings)
            _kept.append(found)
            while len(_kept) > KEEP_SETTINGS:
                stale.append(_kept.pop(0))
    for old in stale:
        old.close()
    return found


def close_kept() -> int:
    """Destroy every kept container of this process; returns how many settings were kept."""
    with _lock:
        kept = list(_kept)
        _kept.clear()
    for workers in kept:
        workers.close()
    return len(kept)
