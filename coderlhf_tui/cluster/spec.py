"""What every worker must match before it takes work: image digests and rule pack version.

A cluster audit is only one audit if every machine runs the same toolchains and the same
rules. Image tags are names anyone can rebuild, so the client pins each image by its
engine digest (the image id, ``sha256:...``: a hash of the image's content) and sends the
pins with every chunk; a worker whose local image differs refuses the chunk with a message
naming both digests, before running anything. The runner settings travel too, so the
content hash of a run (which covers image tag and limits) is the same on every machine and
a result from any worker answers the client's cache.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from coderlhf_tui.runners.settings import RunnerSettings


class WorkerRefused(Exception):
    """This worker must not run the chunk (its image or rule pack differs, or no engine)."""


@dataclass(frozen=True, slots=True)
class WorkerSpec:
    """The pins a chunk carries: settings, the image digests by tag, the rule pack version."""

    settings: RunnerSettings
    image_digests: Mapping[str, str] = field(default_factory=dict)
    pack_version: str = ""
    jobs: int = 1
    """Worker containers per chunk. A worker's parallelism is its Dask threads, one chunk
    each (``coderlhf worker --nthreads``, default the cores): chunks then overlap, one
    starting while another ends, instead of every chunk waiting for its slowest thread."""


def image_digest(client: Any, tag: str) -> str | None:
    """The engine's digest (image id) of ``tag``, None when the image is missing."""
    import docker.errors

    try:
        return str(client.images.get(tag).id)
    except docker.errors.ImageNotFound:
        return None


def local_digests(client: Any, tags: Iterable[str]) -> dict[str, str | None]:
    """Each tag's digest on this machine's engine."""
    return {tag: image_digest(client, tag) for tag in sorted(set(tags))}


def mismatches(wanted: Mapping[str, str], found: Mapping[str, str | None]) -> list[str]:
    """One line per image whose local digest is not the pinned one (empty: all match)."""
    lines = []
    for tag, digest in sorted(wanted.items()):
        have = found.get(tag)
        if have != digest:
            state = "missing" if have is None else f"is {have[:19]}"
            lines.append(f"image {tag} {state}, the audit pins {digest[:19]}")
    return lines


def check_pins(client: Any, spec: WorkerSpec, here_pack: str | None) -> None:
    """Raise WorkerRefused unless this engine's images and the rule pack match the spec."""
    problems = mismatches(spec.image_digests, local_digests(client, spec.image_digests))
    if here_pack is not None and spec.pack_version and here_pack != spec.pack_version:
        problems.append(f"rule pack {here_pack}, the audit pins {spec.pack_version}")
    if problems:
        raise WorkerRefused(
            "worker refuses work: "
            + "; ".join(problems)
            + " (load the same image here, e.g. `docker save | docker load`, or run"
            " `coderlhf images build` from the same files)"
        )
