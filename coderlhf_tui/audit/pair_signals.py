"""Signals for every response of every task, from the evidence the store already holds.

A pair's efficiency compares each response's run with the other's. A ranked task's
response is compared, the same way, with the cheapest of the task's other responses
(least time, least memory among those that ran to completion): for two responses that is
exactly the other one, so pairs score as they always did.

Python style comes from ONE ruff process over all Python responses (ruff only parses);
Go and PHP style run in the sandbox through the runner backend when one is available.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from coderlhf_tui.domain import Finding, Language, Limits, ResponseKey, Task, TestRun, Verdict
from coderlhf_tui.scan.signals.compute import Signal, overall, pair_signals
from coderlhf_tui.scan.signals.metrics import code_metrics
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
        for k in t.keys
    }
    out = ruff_many(python) if python else {}
    for task in tasks:
        if task.language is Language.PYTHON:
            continue
        for key in task.keys:
            usable = backend if task.language in SANDBOX_COMMANDS else None
            out[(task.id, key)] = style_of(
                task.language,
                task.response(key).code,
                usable,
                image_for.get(task.language, ""),
                limits,
            )
    return out


def cheapest_other(runs: Mapping[ResponseKey, TestRun | None], key: ResponseKey) -> TestRun | None:
    """The least time and least peak memory among the other responses' completed runs
    (one run carrying both minima; None when no other response ran to completion)."""
    done = [
        run
        for other, run in runs.items()
        if other != key and run is not None and run.verdict in (Verdict.PASSED, Verdict.FAILED)
    ]
    if not done:
        return None
    memory = [run.peak_memory_mb for run in done if run.peak_memory_mb is not None]
    return replace(
        done[0],
        duration_s=min(run.duration_s for run in done),
        peak_memory_mb=min(memory) if memory else None,
    )


def signals_for_task(
    task: Task,
    runs: dict[ResponseKey, TestRun | None],
    findings: dict[ResponseKey, list[Finding] | None],
    styles: dict[ResponseKey, StyleResult | None],
    weights: SignalWeights,
) -> dict[ResponseKey, dict[str, Signal]]:
    """The five signals of every response of one task, each scored as the first of a
    pair whose second is the cheapest of the others (``cheapest_other``)."""
    out: dict[ResponseKey, dict[str, Signal]] = {}
    for key in task.keys:
        metrics = code_metrics(task.language, task.response(key).code)
        out[key] = pair_signals(
            {"a": runs.get(key), "b": cheapest_other(runs, key)},
            {"a": findings.get(key)},
            {"a": metrics},
            {"a": styles.get(key)},
            weights,
        )["a"]
    return out


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
