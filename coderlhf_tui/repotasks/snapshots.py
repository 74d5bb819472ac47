"""Turning a task's snapshot file into a git checkout of the base commit, on the host.

The snapshot is a git bundle or a tarball (an sdist from the package index is one) beside
the task file, checked by sha256 before anything reads it. A tarball becomes a one-commit
repository with a fixed author and date, so its commit id is the same on every machine
and the task's ``base_commit`` checks the tree too. Checkouts are cached per (snapshot,
commit): each response then works in a cheap ``git clone --shared`` of that checkout.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from coderlhf_tui.repotasks.task_format import RepoTask, RepoTaskError, Snapshot

FIXED_IDENTITY = {
    "GIT_AUTHOR_NAME": "snapshot",
    "GIT_AUTHOR_EMAIL": "snapshot@coderlhf.invalid",
    "GIT_AUTHOR_DATE": "2000-01-01T00:00:00Z",
    "GIT_COMMITTER_NAME": "snapshot",
    "GIT_COMMITTER_EMAIL": "snapshot@coderlhf.invalid",
    "GIT_COMMITTER_DATE": "2000-01-01T00:00:00Z",
}
"""Who and when a tarball's commit is: fixed, so the commit id only depends on the files."""


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run git in ``repo`` with no user or system configuration and a fixed identity."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(repo),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "LC_ALL": "C",
        **FIXED_IDENTITY,
    }
    done = subprocess.run(
        ["git", "-c", "core.autocrlf=false", "-c", "init.defaultBranch=main", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if check and done.returncode != 0:
        raise RuntimeError(f"git {' '.join(args[:2])} failed: {done.stderr.strip()[:400]}")
    return done


def file_sha256(path: Path) -> str:
    """The sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify_snapshot(task: RepoTask) -> None:
    """RepoTaskError when the snapshot file is missing or is not the one the task names."""
    snap = task.snapshot
    if not snap.path.is_file():
        raise RepoTaskError(
            task.source,
            f"snapshot not found: {snap.path.name} (beside the task file)",
            field="snapshot.path",
        )
    found = file_sha256(snap.path)
    if found != snap.sha256:
        raise RepoTaskError(
            task.source,
            f"snapshot {snap.path.name} has sha256 {found}, the task says {snap.sha256}",
            field="snapshot.sha256",
        )


def commit_tarball(snapshot: Snapshot, dest: Path) -> str:
    """Unpack a tarball into ``dest`` as a one-commit repository; its commit id."""
    dest.mkdir(parents=True)
    with tarfile.open(snapshot.path) as archive:
        members = []
        for member in archive.getmembers():
            parts = member.name.split("/")[snapshot.strip :]
            if not parts or not any(parts):
                continue
            member.name = "/".join(parts)
            members.append(member)
        archive.extractall(dest, members=members, filter="data")
    git(dest, "init", "-q")
    git(dest, "add", "-A", "-f")
    git(dest, "commit", "-q", "--no-verify", "-m", f"snapshot {snapshot.path.name}")
    return git(dest, "rev-parse", "HEAD").stdout.strip()


def base_checkout(task: RepoTask, cache: Path) -> Path:
    """A cached checkout of the task's base commit (verified snapshot, verified commit)."""
    verify_snapshot(task)
    place = cache / "checkouts" / f"{task.snapshot.sha256[:16]}-{task.base_commit[:16]}"
    if (place / ".git").is_dir():
        return place
    place.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="checkout-", dir=place.parent))
    work = staging / "repo"
    try:
        if task.snapshot.kind == "tarball":
            commit_tarball(task.snapshot, work)
        else:
            git(staging, "clone", "-q", "--no-checkout", str(task.snapshot.path), "repo")
        if git(work, "cat-file", "-e", f"{task.base_commit}^{{commit}}", check=False).returncode:
            raise RepoTaskError(
                task.source,
                f"base commit {task.base_commit} is not in {task.snapshot.path.name}",
                field="base_commit",
            )
        git(work, "checkout", "-q", "--detach", task.base_commit)
        work.rename(place)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return place


def response_checkout(base: Path, into: Path) -> Path:
    """A fresh clone of a base checkout for one response's patch (shares its objects)."""
    git(into.parent, "clone", "-q", "--shared", str(base), into.name)
    return into
