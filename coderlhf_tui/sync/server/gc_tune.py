"""The server's garbage-collector settings: no stop-the-world pauses in the request path.

Under load a server process allocates quickly, and CPython's default thresholds then run
a full (oldest-generation) collection every few seconds, each walking every object the
process holds: FastAPI's and pydantic's schemas, SQLAlchemy's metadata and statement
caches. Measured in the load benchmark (benchmarks/sync_load.py, 2 processes on
PostgreSQL), those pauses took 100-370 ms of wall time each and set the p99 latency.
``settle`` runs once after start-up: it collects, then freezes everything alive (the
collector no longer walks it), and raises the first threshold so that young
collections run less often; request garbage is still collected as before.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 10_000  # allocations between young collections (CPython's default: 700)


def settle() -> None:
    """Freeze the start-up heap and space out collections (once per process)."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
