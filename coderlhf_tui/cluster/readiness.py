"""A worker machine's readiness: its Docker engine answers and has the audit's images.

``coderlhf worker`` checks this before it joins the scheduler, and the preload module
(``dask worker --preload coderlhf_tui.cluster.preload``) checks it again inside the worker
process, so a machine that cannot run tests never takes a chunk. Digests asked for on the
command line must match too; every chunk's own pins are checked again when it arrives.
"""

from __future__ import annotations

from collections.abc import Mapping

from coderlhf_tui.cluster.spec import WorkerRefused, local_digests, mismatches
from coderlhf_tui.runners.errors import SandboxUnavailable
from coderlhf_tui.runners.settings import load_settings


def check_machine(pins: Mapping[str, str] | None = None) -> dict[str, str]:
    """The configured images' digests here; WorkerRefused when Docker or an image is not fit."""
    from coderlhf_tui.runners.docker_sandbox import connect, require_image

    settings = load_settings()
    tags = sorted({settings.image, *settings.images.values(), *(pins or {})})
    try:
        client = connect(2)
        client.ping()
        for tag in tags:
            require_image(client, tag)
    except SandboxUnavailable as exc:
        raise WorkerRefused(f"worker not ready: {exc}") from exc
    except Exception as exc:
        raise WorkerRefused(f"worker not ready: no Docker engine here ({exc})") from exc
    found = local_digests(client, tags)
    problems = mismatches(pins or {}, found)
    if problems:
        raise WorkerRefused("worker refuses work: " + "; ".join(problems))
    return {tag: str(digest) for tag, digest in found.items()}
