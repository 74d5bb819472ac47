"""Per-environment images: the toolbox plus a task's Python requirements, no registry.

No container registry is reachable and the sandbox has no network, so the requirements
come from the package index on the HOST: ``pip download`` of wheels for the image's
Python into a cache folder (one per setup). A build container from the toolbox image then
installs them with pip run from its own wheel (the toolbox has no pip), with that folder
mounted read-only, ``network_mode=none`` and ``--no-index``, and ``docker commit`` makes
the result an image. The image is tagged and labelled with the setup's hash, so tasks with
the same setup share it and a changed setup gets a new one. A setup with no requirements
runs in the toolbox itself.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docker.errors

from coderlhf_tui.repotasks.task_format import Environment

REPOSITORY = "coderlhf-env"
LABEL = "coderlhf.env"
REQUIREMENTS_LABEL = "coderlhf.env.requirements"
PLATFORMS = ("manylinux_2_28_x86_64", "manylinux2014_x86_64")
"""Wheel platforms pip may pick for the toolbox (Debian 12: glibc 2.36, x86-64)."""

Log = Callable[[str], None]


class EnvironmentError_(RuntimeError):
    """The environment image could not be made (the download or the install failed)."""


@dataclass(frozen=True, slots=True)
class EnvImage:
    """One environment image the engine holds."""

    tag: str
    setup_hash: str
    requirements: str
    size_mb: float
    created: str


def env_tag(env: Environment) -> str:
    return f"{REPOSITORY}:{env.setup_hash()}"


def download_wheels(env: Environment, into: Path, log: Log) -> Path:
    """``pip download`` the requirements (and pip itself) as wheels for the image's Python."""
    folder = into / env.setup_hash()
    done_marker = folder / ".complete"
    if done_marker.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    platforms = [arg for p in PLATFORMS for arg in ("--platform", p)]
    command = [
        sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
        "--only-binary", ":all:", "--python-version", env.python, "--implementation", "cp",
        *platforms, "-d", str(folder), "pip", *env.requirements,
    ]  # fmt: skip
    log(f"downloading {len(env.requirements)} requirements on the host into {folder}")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise EnvironmentError_(f"pip download failed: {done.stderr.strip()[-600:]}")
    (folder / "requirements.txt").write_text("\n".join(env.requirements) + "\n", encoding="utf-8")
    done_marker.write_text("ok\n", encoding="utf-8")
    return folder


INSTALL = (
    "set -e; pip=$(ls /wheels/pip-*.whl | head -n1); "
    'python3 "$pip/pip" install --quiet --no-index --find-links /wheels --no-cache-dir '
    "--disable-pip-version-check --break-system-packages --root-user-action=ignore "
    "--no-warn-script-location -r /wheels/requirements.txt"
)


def ensure_image(
    client: Any, env: Environment, base_image: str, cache: Path, log: Log = print
) -> str:
    """The image ``env``'s tests run in, built (once per setup) when it is missing."""
    if not env.requirements:
        return base_image
    tag = env_tag(env)
    try:
        client.images.get(tag)
        return tag
    except docker.errors.ImageNotFound:
        pass
    wheels = download_wheels(env, cache / "wheels", log)
    started = time.monotonic()
    container = client.containers.create(
        base_image,
        ["sh", "-c", INSTALL],
        user="0:0",
        network_mode="none",
        volumes={str(wheels): {"bind": "/wheels", "mode": "ro"}},
        labels={"coderlhf": "1", "coderlhf.role": "env-build"},
    )
    try:
        container.start()
        status = container.wait(timeout=600)
        if status.get("StatusCode") != 0:
            output = container.logs().decode("utf-8", "replace")[-800:]
            raise EnvironmentError_(f"installing the wheels failed: {output}")
        repository, _, version = tag.partition(":")
        container.commit(
            repository=repository,
            tag=version,
            conf={
                "Labels": {
                    LABEL: env.setup_hash(),
                    REQUIREMENTS_LABEL: " ".join(sorted(env.requirements)),
                }
            },
        )
    finally:
        container.remove(force=True)
    log(f"built {tag} in {time.monotonic() - started:.1f} s")
    return tag


def list_images(client: Any) -> list[EnvImage]:
    """Every environment image the engine holds, newest first."""
    found = []
    for image in client.images.list(filters={"label": LABEL}):
        labels = (image.attrs.get("Config") or {}).get("Labels") or {}
        for tag in image.tags or [f"{REPOSITORY}:<none>"]:
            found.append(
                EnvImage(
                    tag=tag,
                    setup_hash=labels.get(LABEL, ""),
                    requirements=labels.get(REQUIREMENTS_LABEL, ""),
                    size_mb=round(image.attrs.get("Size", 0) / (1 << 20), 1),
                    created=image.attrs.get("Created", ""),
                )
            )
    return sorted(found, key=lambda item: item.created, reverse=True)


def prune_images(client: Any, keep: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Remove environment images whose setup hash is not in ``keep``; their tags."""
    removed = []
    for item in list_images(client):
        if item.setup_hash in keep:
            continue
        try:
            client.images.remove(item.tag)
            removed.append(item.tag)
        except docker.errors.APIError:
            continue  # in use by a running grade: left for the next prune
    return removed
