"""Scanning many responses in one semgrep call.

Every response is written to its own folder of one temporary tree (``s0/r000017/response.py``)
and semgrep runs once over the tree; its results are mapped back to the responses by path.
One call amortises semgrep's start-up and rule compilation over the whole batch, which is
what makes scanning a thousand responses take seconds instead of many minutes
(benchmarks/scan_batch.py measures both ways).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coderlhf_tui.domain import Finding, Language, TraceStep
from coderlhf_tui.scan.fallback import dedupe, keep_fallback, unparsed_regions
from coderlhf_tui.scan.pack import EXTENSIONS, RuleMeta, rules
from coderlhf_tui.scan.semgrep import run_semgrep
from coderlhf_tui.scan.trace import TraceKey, collect_traces, trace_of

SMALL_BATCH = 8
"""Fewer responses than this (a pair on a keypress) are scanned by one semgrep worker:
a second worker's start-up costs more than it saves on a few files."""

SHARD_FROM = 100
"""From this many responses per worker, a batch with ``jobs`` > 1 runs as ``jobs``
separate one-worker semgrep processes over disjoint folders instead of one semgrep with
``--jobs``: semgrep's own workers cost about twice the CPU of one worker for the same
files (1,000 responses: 3.6-3.8 CPU-s against 1.9-2.4 on a busy 2-core machine), while
separate processes cost 2.8-3.2 and finish first (BENCHMARKS.md, issue 19)."""


@dataclass(frozen=True, slots=True)
class ScanItem:
    """One piece of code to scan; ``key`` is the caller's name for it."""

    key: str
    language: Language
    code: str


def scannable(item: ScanItem) -> str:
    """The text semgrep sees for an item, with line numbers unchanged.

    PHP without an opening tag is inline HTML to a PHP parser, so answers that show just the
    function get ``<?php `` prefixed on their first line.
    """
    if item.language is Language.PHP and "<?php" not in item.code and "<?=" not in item.code:
        return "<?php " + item.code
    return item.code


def rule_id_of(check_id: str) -> str:
    """Semgrep prefixes rule ids with the config path (``a.b.rules.python.<id>``)."""
    return check_id.rsplit(".", 1)[-1]


def finding_from_result(
    result: dict[str, Any], meta: RuleMeta, trace: tuple[TraceStep, ...] = ()
) -> Finding:
    """A semgrep result as a domain Finding, with the pack's metadata for its rule."""
    return Finding(
        rule_id=meta.id,
        cwe_id=meta.cwe_id,
        cwe_title=meta.cwe_title,
        severity=meta.severity,
        start_line=int(result["start"]["line"]),
        end_line=int(result["end"]["line"]),
        message=meta.message,
        confidence=meta.confidence,
        owasp=meta.owasp,
        fix_hint=meta.fix_hint,
        source="fallback" if meta.fallback else "semgrep",
        category=meta.category,
        trace=trace or trace_of(result),
        related_cwes=meta.related_cwes,
    )


def findings_by_path(
    data: dict[str, Any], traces: Mapping[TraceKey, tuple[TraceStep, ...]] | None = None
) -> dict[str, list[Finding]]:
    """Semgrep's JSON output as deduplicated findings per target path (with the taint
    results' ``traces`` by path, rule and line, when known)."""
    pack = rules()
    precise: dict[str, list[Finding]] = {}
    fallback: dict[str, list[Finding]] = {}
    for result in data.get("results", []):
        meta = pack.get(rule_id_of(str(result["check_id"])))
        if meta is None:  # not one of ours: cannot happen with the shipped config
            continue
        path = os.path.normpath(str(result["path"]))
        bucket = fallback if meta.fallback else precise
        trace = (traces or {}).get((path, meta.id, int(result["start"]["line"])), ())
        bucket.setdefault(path, []).append(finding_from_result(result, meta, trace))
    regions = {os.path.normpath(p): r for p, r in unparsed_regions(data.get("errors", [])).items()}
    out: dict[str, list[Finding]] = {}
    for path in set(precise) | set(fallback):
        kept = keep_fallback(fallback.get(path, []), precise.get(path, []), regions.get(path, []))
        out[path] = dedupe([*precise.get(path, []), *kept])
    return out


def _sharded(shards: int, jobs: int | None, timeout_s: int, root: Path) -> dict[str, Any]:
    """Semgrep over ``root/s0`` .. ``root/s<shards-1>``: one process with ``jobs`` workers
    for a single shard, else one one-worker process per shard at once, results merged."""
    if shards == 1:
        return run_semgrep([Path("s0")], jobs=jobs, timeout_s=timeout_s, cwd=root)
    with ThreadPoolExecutor(shards) as pool:
        parts = list(
            pool.map(
                lambda k: run_semgrep([Path(f"s{k}")], jobs=1, timeout_s=timeout_s, cwd=root),
                range(shards),
            )
        )
    return {
        "results": [r for part in parts for r in part.get("results", [])],
        "errors": [e for part in parts for e in part.get("errors", [])],
    }


def scan_batch(
    items: Sequence[ScanItem], *, jobs: int | None = None, timeout_s: int = 10
) -> dict[str, list[Finding]]:
    """Scan every item in one semgrep call (or ``jobs`` one-worker calls for a large batch,
    see SHARD_FROM); returns findings per item key (all keys present)."""
    if not items:
        return {}
    if jobs is None and len(items) < SMALL_BATCH:
        jobs = 1
    workers = jobs or os.cpu_count() or 1
    shards = workers if workers > 1 and len(items) >= workers * SHARD_FROM else 1
    with tempfile.TemporaryDirectory(prefix="coderlhf-scan-") as tmp:
        root = Path(tmp)
        names: dict[str, str] = {}
        languages: dict[str, Language] = {}
        for index, item in enumerate(items):
            folder = root / f"s{index % shards}" / f"r{index:06d}"
            folder.mkdir(parents=True)
            name = f"response{EXTENSIONS[item.language]}"
            (folder / name).write_text(scannable(item), encoding="utf-8")
            path = os.path.normpath(folder.relative_to(root) / name)
            names[path] = item.key
            languages[path] = item.language
        data = _sharded(shards, jobs, timeout_s, root)
        found = findings_by_path(data, collect_traces(data, languages, root))
    result: dict[str, list[Finding]] = {item.key: [] for item in items}
    for path, findings in found.items():
        key = names.get(path)
        if key is not None:
            result[key] = findings
    return result
