"""Building and listing the sandbox images the runner needs.

The default image, the "toolbox", holds every language's toolchain, from the Debian
packages listed in ``toolbox-packages.txt`` (a data file beside this module: add a line to
add a package). Two ways to build it:

- ``--from-debian`` (what tests and CI use; no registry needed): ``mmdebstrap`` makes a root
  file system from the machine's own apt sources, and ``docker import`` turns it into an
  image. The image is labelled with a hash of the package list, so a changed list rebuilds.
- otherwise, where a registry is reachable: a two-line Dockerfile on the official Debian
  image installing the same packages.

``export_rootfs`` unpacks an image into a directory, the toolchain root the bubblewrap
backend can use on a machine where Docker builds images but tests run without it.
"""

from __future__ import annotations

import hashlib
import io
import shlex
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docker.errors

from coderlhf_tui.runners.docker_sandbox import SandboxUnavailable

PACKAGES_FILE = Path(__file__).with_name("toolbox-packages.txt")
PACKAGES_LABEL = "coderlhf.packages"
SUITE = "bookworm"


def read_packages(path: Path = PACKAGES_FILE) -> list[str]:
    """The package names of the toolbox, in file order, without comments or duplicates."""
    names: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        name = line.split("#", 1)[0].strip()
        if name and name not in names:
            names.append(name)
    return names


PREPARE = (
    "export GO111MODULE=off GOPATH=/usr/share/gocode GOPROXY=off GOFLAGS="
    " GOCACHE=/tmp/coderlhf-gocache;"
    " if command -v go >/dev/null && [ -d /usr/share/gocode/src/github.com/stretchr/testify ];"
    " then go install $(go list -deps github.com/stretchr/testify/assert"
    " github.com/stretchr/testify/require | grep '[.]' | grep -v '^vendor/') || exit 1; fi;"
    " rm -rf /tmp/coderlhf-gocache"
)
"""Run inside the new image once its packages are in: installs testify and its
dependencies as compiled archives under GOPATH, so a Go ``unit`` test build links them
instead of compiling them on every run (``go test -c`` of a HumanEval-X test: 2.4 s before,
0.6-0.8 s after, measured in the toolbox image)."""


def packages_hash(packages: list[str]) -> str:
    """A short hash of the sorted package list and PREPARE (the image's label): a change to
    either rebuilds the image."""
    text = "\n".join(sorted(packages)) + "\n" + PREPARE
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class ImageInfo:
    """One image the configuration names, as the engine has it (or not)."""

    tag: str
    present: bool
    size_mb: float | None = None
    created: str | None = None
    packages_hash: str | None = None
    current: bool = False


def image_info(client: Any, tag: str, wanted_hash: str | None = None) -> ImageInfo:
    """What the engine knows about ``tag``; ``current`` when its package hash is the wanted one."""
    try:
        image = client.images.get(tag)
    except docker.errors.ImageNotFound:
        return ImageInfo(tag, present=False)
    labels = (image.attrs.get("Config") or {}).get("Labels") or {}
    found = labels.get(PACKAGES_LABEL)
    return ImageInfo(
        tag,
        present=True,
        size_mb=round(image.attrs.get("Size", 0) / (1 << 20), 1),
        created=image.attrs.get("Created"),
        packages_hash=found,
        current=wanted_hash is None or found == wanted_hash,
    )


Log = Callable[[str], None]


def build_toolbox(
    client: Any,
    tag: str,
    *,
    from_debian: bool,
    force: bool = False,
    packages: list[str] | None = None,
    log: Log = print,
) -> bool:
    """Build the toolbox image as ``tag``; False when an up-to-date one was already there."""
    packages = packages or read_packages()
    wanted = packages_hash(packages)
    info = image_info(client, tag, wanted)
    if info.present and info.current and not force:
        log(f"{tag} is up to date (packages {wanted})")
        return False
    if from_debian:
        _build_from_debian(client, tag, packages, wanted, log)
    else:
        _build_from_registry(client, tag, packages, wanted, log)
    return True


def _build_from_debian(client: Any, tag: str, packages: list[str], wanted: str, log: Log) -> None:
    if shutil.which("mmdebstrap") is None:
        raise SandboxUnavailable(
            "mmdebstrap is not installed: run `apt-get install -y mmdebstrap` (as root)"
        )
    with tempfile.TemporaryDirectory(prefix="coderlhf-image-") as tmp:
        tarball = Path(tmp) / "toolbox.tar"
        command = [
            "mmdebstrap",
            "--variant=apt",
            "--quiet",
            f"--include={','.join(packages)}",
            f'--customize-hook=chroot "$1" sh -c {shlex.quote(PREPARE)}',
            SUITE,
            str(tarball),
        ]
        log(f"building the root file system: {len(packages)} packages from Debian {SUITE}")
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            tail = "\n".join(done.stderr.strip().splitlines()[-40:])
            raise SandboxUnavailable(f"mmdebstrap failed (exit {done.returncode}):\n{tail}")
        log(f"importing {tarball.stat().st_size >> 20} MB as {tag}")
        repository, _, version = tag.rpartition(":")
        with tarball.open("rb") as handle:
            client.api.import_image(
                src=handle,
                repository=repository or tag,
                tag=version if repository else None,
                changes=[
                    f"LABEL {PACKAGES_LABEL}={wanted}",
                    "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                ],
            )


def _build_from_registry(client: Any, tag: str, packages: list[str], wanted: str, log: Log) -> None:
    dockerfile = (
        f"FROM debian:{SUITE}-slim\n"
        "RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y "
        f"--no-install-recommends {' '.join(packages)} && rm -rf /var/lib/apt/lists/*\n"
        f"RUN {PREPARE}\n"
        f"LABEL {PACKAGES_LABEL}={wanted}\n"
    )
    log(f"building {tag} from the official Debian image")
    try:
        client.images.build(fileobj=io.BytesIO(dockerfile.encode()), tag=tag, rm=True, pull=True)
    except (docker.errors.BuildError, docker.errors.APIError) as exc:
        raise SandboxUnavailable(
            f"building from the registry failed ({str(exc)[:200]}); "
            "without a registry use `coderlhf images build --from-debian`"
        ) from exc


def export_rootfs(client: Any, image: str, dest: Path, log: Log = print) -> Path:
    """Unpack ``image``'s file system into ``dest`` (a bubblewrap toolchain root)."""
    dest.mkdir(parents=True, exist_ok=True)
    container = client.containers.create(image, ["true"], labels={"coderlhf": "1"})
    try:
        log(f"unpacking {image} into {dest}")
        with tempfile.TemporaryFile() as handle:
            for chunk in container.export():
                handle.write(chunk)
            handle.seek(0)
            with tarfile.open(fileobj=handle, mode="r|") as archive:
                archive.extractall(dest, filter="fully_trusted")
    finally:
        container.remove(force=True)
    return dest
