"""The detection benchmark's code on a sample of the public labelled corpora.

The full table (all of CyberSecEval and SVEN) is benchmarks/detection.py; this samples a
few hundred snippets so the suite stays fast, and holds the targets of issue 4 on them.
"""

from __future__ import annotations

import random
from pathlib import Path

from benchmarks import corpora
from benchmarks.detection import family, is_covered
from coderlhf_tui.domain import Language
from coderlhf_tui.scan.batch import ScanItem, scan_batch


def test_sampled_detection_and_false_alarms_meet_the_targets(semgrep: str, external: Path) -> None:
    rng = random.Random(4)
    snippets = [s for s in corpora.cyberseceval(external) if is_covered(s.language, s.cwe)]
    sample = rng.sample(snippets, 250)
    pairs = [p for p in corpora.sven(external) if is_covered(p.language, p.cwe)]
    pair_sample = rng.sample(pairs, 120)
    items = [ScanItem(s.id, Language(s.language), s.code) for s in sample]
    items += [ScanItem(p.id + "/fixed", Language(p.language), p.fixed) for p in pair_sample]
    found = scan_batch(items)
    detected = sum(bool(family(s.cwe) & {f.cwe_id for f in found[s.id]}) for s in sample)
    flagged_fixed = sum(
        bool(family(p.cwe) & {f.cwe_id for f in found[p.id + "/fixed"]}) for p in pair_sample
    )
    exact = sum(
        s.cwe in {c for f in found[s.id] for c in (f.cwe_id, *f.related_cwes)} for s in sample
    )
    assert detected / len(sample) >= 0.60
    assert exact / len(sample) >= 0.70  # issue 19: the labelled CWE itself, not its family
    assert flagged_fixed / len(pair_sample) <= 0.10


def test_ldb_converter_builds_valid_pairs(external: Path) -> None:
    tasks = corpora.ldb_pairs(external, limit=500)
    assert len(tasks) == 500
    assert len({t["id"] for t in tasks}) == 500
    assert {t["metadata"]["source"] for t in tasks} == {"ldb/humaneval", "ldb/mbpp"}
    first = tasks[0]
    assert first["responses"][0]["code"] != first["responses"][1]["code"]
    assert first["tests"]["kind"] == "script" and "check(" in first["tests"]["code"]
