"""Audits beyond one machine: chunks of runs on a Dask cluster (docs/cluster.md).

Dask (the ``cluster`` extra) is imported only inside functions, never when the command line
builds its parser or the app starts: an annotator's plain install has no Dask, and asking
for ``--cluster`` there is a clear "install coderlhf[cluster]" error, not a traceback.
"""

from __future__ import annotations

import importlib


class ClusterUnavailable(Exception):
    """The cluster cannot be used (no Dask installed, no scheduler, no fit worker)."""


def require_dask() -> None:
    """Raise ClusterUnavailable naming the extra when Dask is not installed."""
    missing = []
    for name in ("dask", "distributed"):
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    if missing:
        raise ClusterUnavailable(
            f"the cluster needs {' and '.join(missing)}: install coderlhf[cluster]"
        )
