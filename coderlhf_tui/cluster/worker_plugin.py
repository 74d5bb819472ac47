"""The Dask worker plugin a cluster audit registers: kept containers closed at teardown.

The client registers it on every worker before sending chunks (idempotent: a worker keeps
the first one, so containers kept for one audit serve the next). Its setup imports the
runner and scanner while the client is still planning, so the first chunk does not pay
for it; its teardown, when the worker closes, destroys the worker containers the process
kept (``cluster.kept_engine``). A plugin rather than the preload, so plain ``dask worker``
processes and ``--cluster local`` get it too.

This module imports Dask at the top: import it only after ``cluster.require_dask``.
"""

from __future__ import annotations

from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from coderlhf_tui.cluster.kept_engine import close_kept


class KeptContainers(WorkerPlugin):
    """Warm imports at setup; destroy the kept worker containers at teardown."""

    name = "coderlhf-kept-containers"
    idempotent = True

    def setup(self, worker: Any) -> None:
        import coderlhf_tui.runners.base
        import coderlhf_tui.runners.docker_backend
        import coderlhf_tui.scan.service  # noqa: F401

    def teardown(self, worker: Any) -> None:
        close_kept()
