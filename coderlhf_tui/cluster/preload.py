"""``dask worker ADDRESS --preload coderlhf_tui.cluster.preload``: check before joining.

Dask calls ``dask_setup`` in the worker process before it connects; raising there stops
the worker, so a machine without a Docker engine or the image never takes work.
"""

from __future__ import annotations

import logging
from typing import Any

from coderlhf_tui.cluster.readiness import check_machine

log = logging.getLogger("coderlhf.cluster")


def dask_setup(worker: Any) -> None:
    """Refuse to start unless this machine's engine has the configured images."""
    digests = check_machine()
    log.info("coderlhf worker ready: %s", ", ".join(f"{t} {d[:19]}" for t, d in digests.items()))
