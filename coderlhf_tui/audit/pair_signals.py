"""Signals for every pair, from the evidence the store already holds.

Python style comes from ONE ruff process over all Python responses (ruff only parses);
Go and PHP style run in the sandbox through the runner backend when one is available.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from coderlhf_tui.domain import RESPONSE_KEYS, Finding, Language, Limits, ResponseKey, Task, TestRun
from coderlhf_tui.scan.signals.compute import Signal, overall, pair_signals
from coderlhf_tui.scan.signals.metrics import CodeMetrics, code_metrics
from coderlhf_tui.scan.signals.style import (
    RUFF_RULES,
    SANDBOX_COMMANDS,
    SandboxBackend,
    StyleResult,
    ruff_binary,
    style_of,
)
from coderlhf_tui.scan.signals.weights import SignalWeights

Key = tuple[str, ResponseKey]


def _nonblank(code: str) -> int:
    return sum(1 for line in code.splitlines() if line.strip())


def ruff_many(codes: dict[Key, str]) -> dict[Key, StyleResult]:
    """Ruff over many Python responses in one process; diagnostics counted per response."""
    binary = ruff_binary()
    if binary is None:
        return {k: StyleResult("ruff", False, detail="ruff is not installed") for k in codes}
    with tempfile.TemporaryDirectory(prefix="coderlhf-style-") as tmp:
        names: dict[str, Key] = {}
        for index, (key, code) in enumerate(codes.items()):
            path = Path(tmp) / f"r{index:06d}.py"
            path.write_text(code, encoding="utf-8")
            names[path.name] = key
        proc = subprocess.run(
            [
                binary, "check", "--isolated", "--no-cache", "--select", RUFF_RULES,
                "--output-format", "json", "--exit-zero", tmp,
            ],
            capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
    try:
        diagnostics = json.loads(proc.stdout or "[]")
    except json.JSONDecodeError:
        return {k: StyleResult("ruff", False, detail=proc.stderr[:200]) for k in codes}
    counts = dict.fromkeys(codes, 0)
    for item in diagnostics:
        found = names.get(Path(item.get("filename", "")).name)
        if found is not None:
            counts[found] += 1
    return {k: StyleResult("ruff", True, counts[k], _nonblank(codes[k])) for k in codes}


def styles_for(
    tasks: Sequence[Task],
    backend: SandboxBackend | None,
    image_for: dict[Language, str],
    limits: Limits,
) -> dict[Key, StyleResult]:
    """Style results for every response of every task."""
    python = {
        (t.id, k): t.response(k).code
        for t in tasks
        if t.language is Language.PYTHON
        for k in RESPONSE_KEYS
    }
    out = ruff_many(python) if python else {}
    for task in tasks:
        if task.language is Language.PYTHON:
            continue
        for key in RESPONSE_KEYS:
            usable = backend if task.language in SANDBOX_COMMANDS else None
            out[(task.id, key)] = style_of(
                task.language,
                task.response(key).code,
                usable,
                image_for.get(task.language, ""),
                limits,
            )
    return out


def signals_for_task(
    task: Task,
    runs: dict[ResponseKey, TestRun | None],
    findings: dict[ResponseKey, list[Finding] | None],
    styles: dict[ResponseKey, StyleResult | None],
    weights: SignalWeights,
) -> dict[ResponseKey, dict[str, Signal]]:
    """The five signals of both responses of one task."""
    metrics: dict[ResponseKey, CodeMetrics | None] = {
        k: code_metrics(task.language, task.response(k).code) for k in RESPONSE_KEYS
    }
    return pair_signals(runs, findings, metrics, styles, weights)


def signals_record(
    signals: dict[str, Signal], weights: SignalWeights, scale: tuple[int, int] = (1, 5)
) -> dict[str, object]:
    """What the store keeps per response: every dimension plus the overall score."""
    total = overall(signals, weights)
    return {
        "version": 1,
        "dimensions": {d: s.as_dict(*scale) for d, s in signals.items()},
        "overall": None if total is None else round(total, 3),
    }
