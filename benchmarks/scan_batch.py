"""Scan benchmark: N responses in ONE semgrep call vs one semgrep call per response.

The responses are real model outputs (LDB seed programs, Python) plus CyberSecEval
snippets in the other languages, so the mix has findings and parse errors like real work.
The per-call peer is measured on a sample (``--sample``, default 40) in the same run and
extrapolated to N; both use the same merged rule pack and job count.

Run: .venv/bin/python benchmarks/scan_batch.py [--n 1000] [--sample 40] [--jobs 2]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpora

from coderlhf_tui.domain import Language
from coderlhf_tui.scan.batch import ScanItem, scan_batch
from coderlhf_tui.scan.pack import merged_config, pack_version


def responses(n: int, seed: int = 1) -> list[ScanItem]:
    """N responses: half LDB Python solutions, half CyberSecEval snippets (all languages)."""
    rng = random.Random(seed)
    ldb = [
        ScanItem(f"{t['id']}/{r['id']}", Language.PYTHON, r["code"])
        for t in corpora.ldb_pairs(limit=10**6)
        for r in t["responses"]
    ]
    cse = [ScanItem(s.id, Language(s.language), s.code) for s in corpora.cyberseceval()]
    items = rng.sample(ldb, n // 2) + rng.sample(cse, n - n // 2)
    rng.shuffle(items)
    return [ScanItem(f"{i:05d}-{it.key}", it.language, it.code) for i, it in enumerate(items)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    items = responses(args.n)
    merged_config()  # written once per pack version; not part of either measurement
    started = time.perf_counter()
    found = scan_batch(items, jobs=args.jobs)
    batch_s = time.perf_counter() - started
    sample = items[: args.sample]
    started = time.perf_counter()
    single = {item.key: scan_batch([item], jobs=args.jobs)[item.key] for item in sample}
    single_s = time.perf_counter() - started
    per_call = single_s / len(sample)
    agree = sum(single[i.key] == found[i.key] for i in sample)
    print(f"rule pack {pack_version()}, {os.cpu_count()} cores, --jobs {args.jobs}")
    print(
        f"batch:    {len(items)} responses in one call: {batch_s:.1f} s "
        f"= {len(items) / batch_s:.1f} responses/s"
    )
    print(
        f"per call: {len(sample)} responses one call each: {single_s:.1f} s "
        f"= {per_call:.2f} s/response -> {per_call * len(items):.0f} s for {len(items)} "
        f"(extrapolated) = {1 / per_call:.2f} responses/s"
    )
    print(
        f"speed-up: {per_call * len(items) / batch_s:.0f}x; "
        f"same findings on {agree}/{len(sample)} sampled responses"
    )
    print(
        f"findings: {sum(len(v) for v in found.values())} in "
        f"{sum(bool(v) for v in found.values())} responses"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
