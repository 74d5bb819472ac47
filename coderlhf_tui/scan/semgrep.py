"""Running semgrep: one offline process over a whole folder of targets.

Offline means: only the local rule pack as config, ``--metrics=off``, no version check, no
registry and no login. Semgrep's own startup dominates small scans, which is why callers
hand it many responses at once (batch.py) instead of one per call.

``--experimental`` runs the scan entirely in semgrep's native (OCaml) CLI instead of
handing it to the Python wrapper: start-up falls from seconds to a fraction of one, and the
findings were identical on 600 CyberSecEval snippets in all seven of its languages.
``CODERLHF_SEMGREP_LEGACY=1`` goes back to the wrapper.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from coderlhf_tui.scan.pack import RULES_DIR, merged_config


class SemgrepError(RuntimeError):
    """Semgrep is missing or failed as a whole (not a per-file parse error)."""


def semgrep_binary() -> str | None:
    """The semgrep executable: beside this Python first (the venv), then on PATH."""
    beside = Path(sys.executable).parent / "semgrep"
    if beside.exists():
        return str(beside)
    return shutil.which("semgrep")


def offline_env() -> dict[str, str]:
    """The environment semgrep runs in: no version check, no metrics, no token."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEMGREP_APP")}
    env.update(SEMGREP_ENABLE_VERSION_CHECK="0", SEMGREP_SEND_METRICS="off")
    return env


def run_semgrep(
    targets: Sequence[Path],
    *,
    config: Path | None = None,
    jobs: int | None = None,
    timeout_s: int = 10,
    cwd: Path | None = None,
) -> dict[str, Any]:
    """Scan ``targets`` (files or folders) with ``config`` (default: the whole pack) and
    return semgrep's JSON."""
    binary = semgrep_binary()
    if binary is None:
        raise SemgrepError("semgrep is not installed (pip install semgrep)")
    native = [] if os.environ.get("CODERLHF_SEMGREP_LEGACY") == "1" else ["--experimental"]
    command = [
        binary,
        "scan",
        *native,
        "--config",
        str(config or merged_config()),
        "--json",
        "--metrics=off",
        "--disable-version-check",
        "--quiet",
        "--no-git-ignore",
        "--timeout",
        str(timeout_s),
        "--jobs",
        str(jobs or os.cpu_count() or 1),
        "--max-target-bytes",
        "2000000",
        *[str(t) for t in targets],
    ]
    proc = subprocess.run(
        command, capture_output=True, text=True, env=offline_env(), cwd=cwd, check=False
    )
    try:
        data: dict[str, Any] = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise SemgrepError(
            f"semgrep exited {proc.returncode} without JSON: {proc.stderr.strip()[-500:]}"
        ) from exc
    fatal = [e for e in data.get("errors", []) if e.get("level") == "error" and not e.get("path")]
    if fatal:
        raise SemgrepError("; ".join(str(e.get("message", e)) for e in fatal)[:1000])
    return data


def core_binary() -> Path | None:
    """The engine under the CLI (``semgrep-core``), shipped inside the semgrep package."""
    spec = importlib.util.find_spec("semgrep")  # locates the package without importing it
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).resolve().parent / "bin" / "semgrep-core"
    return path if path.exists() else None


def run_semgrep_core(
    config: Path,
    targets: Sequence[tuple[str, str]],
    *,
    cwd: Path,
    jobs: int | None = None,
    timeout_s: int = 10,
) -> dict[str, Any]:
    """Run ``semgrep-core`` on (path, analyzer) targets under ``cwd``; its JSON output.

    Used for what the CLI leaves out (the dataflow traces of taint findings). Progress
    dots it prints before the JSON are skipped.
    """
    binary = core_binary()
    if binary is None:
        raise SemgrepError("semgrep-core is not installed (pip install semgrep)")
    listing = [
        "Targets",
        [
            [
                "CodeTarget",
                {"path": {"fpath": p, "ppath": "/" + p}, "analyzer": a, "products": ["sast"]},
            ]
            for p, a in targets
        ],
    ]
    with tempfile.NamedTemporaryFile("w", suffix=".json", dir=cwd, delete=False) as handle:
        json.dump(listing, handle)
    try:
        proc = subprocess.run(
            [
                str(binary),
                "-rules",
                str(config),
                "-targets",
                handle.name,
                "-json",
                "-timeout",
                str(timeout_s),
                "-j",
                str(jobs or os.cpu_count() or 1),
            ],
            capture_output=True,
            text=True,
            env=offline_env(),
            cwd=cwd,
            check=False,
        )
    finally:
        os.unlink(handle.name)
    start = proc.stdout.find("{")
    try:
        result: dict[str, Any] = json.loads(proc.stdout[start:] if start >= 0 else "")
    except json.JSONDecodeError as exc:
        raise SemgrepError(
            f"semgrep-core exited {proc.returncode} without JSON: {proc.stderr.strip()[-500:]}"
        ) from exc
    return result


def run_semgrep_test(path: Path = RULES_DIR) -> dict[str, Any]:
    """``semgrep test`` over the rule pack (rule files and their annotated test files)."""
    binary = semgrep_binary()
    if binary is None:
        raise SemgrepError("semgrep is not installed (pip install semgrep)")
    proc = subprocess.run(
        [binary, "test", "--json", str(path)],
        capture_output=True,
        text=True,
        env=offline_env(),
        check=False,
    )
    try:
        result: dict[str, Any] = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise SemgrepError(f"semgrep test gave no JSON: {proc.stderr.strip()[-800:]}") from exc
    return result
