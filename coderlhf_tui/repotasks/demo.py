"""The demo's repository tasks, made from real projects' source distributions.

Each spec in ``demo_specs/`` names an sdist that ships the project's own test suite
(pinned by sha256), a bug injected on top of it, the issue text, the tests that show the
bug (FAIL_TO_PASS) and some that must keep passing (PASS_TO_PASS), and agents' patches:
a correct fix, a plausible wrong one, and for one task a patch written against other code
that does not apply. That task (toolz) is written twice over one bundle: compared as a pair
of its first two patches (the spec's ``pair``), and under ``ranked_instance_id`` with all
three patches, a ranked repository task. Setting the demo up downloads the sdist with pip
on the host (cached), commits it with the fixed identity, commits the bug, and writes a git
bundle and the task file side by side. A task already written from the same spec (a stamp
of the spec's hash beside it) and whose bundle still has the hash the task names is kept, so
setting the demo up a second time costs a few file reads.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from coderlhf_tui.repotasks.snapshots import commit_tarball, file_sha256, git
from coderlhf_tui.repotasks.task_format import FORMAT, RepoTaskError, Snapshot

SPECS = Path(__file__).with_name("demo_specs")
PIP_TIMEOUT_S = 300
"""How long one sdist's download may take before the demo gives up on it (pip itself is
told to retry once and wait 20 s per connection, so an offline machine fails fast)."""


def demo_specs() -> list[dict[str, Any]]:
    """Every demo spec, by file name."""
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(SPECS.glob("*.json"))]


def fetch_sdist(name: str, version: str, sha256: str, cache: Path) -> Path:
    """The project's sdist from the package index (pip on the host), checked by sha256."""
    folder = cache / "sdists"
    folder.mkdir(parents=True, exist_ok=True)
    found = [p for p in folder.glob("*.tar.gz") if file_sha256(p) == sha256]
    if found:
        return found[0]
    with tempfile.TemporaryDirectory(dir=folder, prefix=".download-") as landing:
        _pip_download(f"{name}=={version}", Path(landing))
        for path in Path(landing).glob("*.tar.gz"):
            if file_sha256(path) == sha256:
                # whole or not at all: a demo set up at the same time never reads half a file
                os.replace(path, folder / path.name)
                return folder / path.name
    raise RepoTaskError(f"{name}=={version}", f"no downloaded sdist has sha256 {sha256}")


def _pip_download(requirement: str, folder: Path) -> None:
    """``pip download`` of one sdist into ``folder``; RepoTaskError with pip's words."""
    command = [
        sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
        "--no-deps", "--no-binary", ":all:", "--timeout", "20", "--retries", "1",
        requirement, "-d", str(folder),
    ]  # fmt: skip
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, check=False, timeout=PIP_TIMEOUT_S
        )
    except subprocess.TimeoutExpired as exc:
        raise RepoTaskError(requirement, "pip download timed out") from exc
    if done.returncode != 0:
        raise RepoTaskError(requirement, f"pip download failed: {done.stderr[-400:]}")


def spec_stamp(spec: dict[str, Any]) -> str:
    """The hash of a spec, kept beside the task written from it."""
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()


def written_before(spec: dict[str, Any], out: Path) -> Path | None:
    """The task file written from this very spec, when it and its bundle are intact."""
    path = out / f"{spec['instance_id']}.json"
    stamp = path.with_suffix(".spec-sha256")
    try:
        if stamp.read_text(encoding="utf-8").strip() != spec_stamp(spec):
            return None
        snapshot = json.loads(path.read_text(encoding="utf-8"))["snapshot"]
        intact = file_sha256(out / snapshot["path"]) == snapshot["sha256"]
    except (OSError, ValueError, KeyError):
        return None
    return path if intact else None


def build_task(spec: dict[str, Any], cache: Path, out: Path) -> Path:
    """Write one demo task (a bundle and a JSON file side by side); the task file's path."""
    if (path := written_before(spec, out)) is not None:
        return path
    sdist = spec["sdist"]
    tarball = fetch_sdist(sdist["name"], sdist["version"], sdist["sha256"], cache)
    out.mkdir(parents=True, exist_ok=True)
    bundle = out / f"{spec['instance_id']}.bundle"
    with tempfile.TemporaryDirectory(prefix="demo-repo-") as tmp:
        repo = Path(tmp) / "repo"
        commit_tarball(Snapshot(tarball, sdist["sha256"], "tarball", 1), repo)
        bug = Path(tmp) / "bug.diff"
        bug.write_text(spec["bug_patch"], encoding="utf-8")
        git(repo, "apply", str(bug))
        git(repo, "commit", "-q", "-a", "--no-verify", "-m", f"{spec['instance_id']}: base")
        base = git(repo, "rev-parse", "HEAD").stdout.strip()
        git(repo, "bundle", "create", "-q", str(bundle), "HEAD", "main")
    task = {
        "format": FORMAT,
        "instance_id": spec["instance_id"],
        "repo": spec["repo"],
        "problem_statement": spec["problem_statement"],
        "snapshot": {"path": bundle.name, "kind": "bundle", "sha256": file_sha256(bundle)},
        "base_commit": base,
        "environment": {
            "language": "python",
            "requirements": spec["requirements"],
            "test_command": spec["test_command"],
        },
        "test_patch": spec["test_patch"],
        "FAIL_TO_PASS": spec["FAIL_TO_PASS"],
        "PASS_TO_PASS": spec["PASS_TO_PASS"],
        "responses": [{"name": r["name"], "patch": r["patch"]} for r in spec["responses"]],
        **({"pair": spec["pair"]} if "pair" in spec else {}),
    }
    path = out / f"{spec['instance_id']}.json"
    path.write_text(json.dumps(task, indent=1) + "\n", encoding="utf-8")
    path.with_suffix(".spec-sha256").write_text(spec_stamp(spec) + "\n", encoding="utf-8")
    return path


def write_ranked(pair_task: Path, instance_id: str) -> Path:
    """The ranked task of every patch beside a pairwise demo task, over its bundle."""
    task = json.loads(pair_task.read_text(encoding="utf-8"))
    task.pop("pair", None)
    task["instance_id"] = instance_id
    path = pair_task.with_name(f"{instance_id}.json")
    text = json.dumps(task, indent=1) + "\n"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def build_demo(cache: Path, out: Path, log: Callable[[str], None] = print) -> list[Path]:
    """Every demo task written into ``out``; their task files."""
    paths = []
    for spec in demo_specs():
        paths.append(build_task(spec, cache, out))
        if "ranked_instance_id" in spec:
            paths.append(write_ranked(paths[-1], spec["ranked_instance_id"]))
        log(f"wrote {paths[-1].name}")
    return paths
