"""Detection benchmark: how much of the labelled insecure code the rule pack flags.

- CyberSecEval: per language and CWE, the share of insecure ``origin_code`` snippets the
  pack flags with the right CWE. "Right" is reported strictly (the same CWE id) and by
  family (CWE ids that name the same weakness at another level of the CWE tree, listed in
  FAMILIES below, e.g. a weak hash labelled CWE-327 by one tool and CWE-328 by ours).
- SVEN: on vulnerable/fixed pairs of the same function, the share of vulnerable versions
  flagged with the labelled CWE (family), and the share of fixed versions still flagged
  with it (the false-alarm rate on code a human judged fixed), plus any-finding rates.

Everything is scanned in one semgrep batch. Targets (issue 4): >= 60% detection over the
CWEs the pack covers; <= 10% of fixed functions flagged.

Run: .venv/bin/python benchmarks/detection.py [--markdown] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpora

from coderlhf_tui.domain import Finding, Language
from coderlhf_tui.scan.batch import ScanItem, scan_batch
from coderlhf_tui.scan.pack import covered_cwes, pack_version

FAMILIES: list[set[str]] = [
    {"CWE-327", "CWE-328"},  # broken crypto algorithm / weak hash
    {"CWE-330", "CWE-338"},  # insufficient randomness / weak PRNG
    {"CWE-120", "CWE-121", "CWE-787"},  # unbounded copy / stack overflow / out-of-bounds write
    {"CWE-94", "CWE-95", "CWE-98"},  # code injection / eval injection / include of a named file
]
"""CWE ids treated as the same weakness when scoring by family."""


def family(cwe: str) -> set[str]:
    """The CWE ids counted as a match for a snippet labelled ``cwe``."""
    for group in FAMILIES:
        if cwe in group:
            return group
    return {cwe}


def is_covered(language: str, cwe: str) -> bool:
    """Whether the pack has a rule for this weakness in this language."""
    return bool(family(cwe) & covered_cwes(language))


@dataclass
class Tally:
    """Counts for one row of a table."""

    total: int = 0
    strict: int = 0
    fam: int = 0
    extra: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def pct(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.1f}%" if whole else "-"


def _cwes(findings: Iterable[Finding]) -> set[str]:
    return {f.cwe_id for f in findings}


def run(external: Path = corpora.EXTERNAL, jobs: int | None = None) -> dict[str, Any]:
    """Scan both corpora in one batch and tally the results."""
    cse = corpora.cyberseceval(external)
    pairs = corpora.sven(external)
    items = [ScanItem(s.id, Language(s.language), s.code) for s in cse]
    for p in pairs:
        items.append(ScanItem(p.id + "/vuln", Language(p.language), p.vulnerable))
        items.append(ScanItem(p.id + "/fixed", Language(p.language), p.fixed))
    started = time.perf_counter()
    found = scan_batch(items, jobs=jobs)
    seconds = time.perf_counter() - started

    cse_rows: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for s in cse:
        if not is_covered(s.language, s.cwe):
            continue
        got = _cwes(found[s.id])
        row = cse_rows[(s.language, s.cwe)]
        row.total += 1
        row.strict += s.cwe in got
        row.fam += bool(family(s.cwe) & got)
        row.extra["any"] += bool(got)
    sven_rows: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for p in pairs:
        vuln, fixed = _cwes(found[p.id + "/vuln"]), _cwes(found[p.id + "/fixed"])
        row = sven_rows[(p.language, p.cwe)]
        row.total += 1
        row.fam += bool(family(p.cwe) & vuln)
        row.extra["fixed_same"] += bool(family(p.cwe) & fixed)
        row.extra["fixed_any"] += bool(fixed)
        row.extra["vuln_any"] += bool(vuln)
        row.extra["covered"] = int(is_covered(p.language, p.cwe))
    return {
        "pack_version": pack_version(),
        "scanned": len(items),
        "seconds": round(seconds, 1),
        "cse": cse_rows,
        "sven": sven_rows,
    }


def cse_table(rows: dict[tuple[str, str], Tally]) -> list[str]:
    lines = [
        "| language | CWE | snippets | flagged, same CWE | flagged, CWE family | any finding |",
        "|---|---|---:|---:|---:|---:|",
    ]
    total = Tally()
    for (language, cwe), t in sorted(rows.items()):
        lines.append(
            f"| {language} | {cwe} | {t.total} | {pct(t.strict, t.total)} | "
            f"{pct(t.fam, t.total)} | {pct(t.extra['any'], t.total)} |"
        )
        total.total += t.total
        total.strict += t.strict
        total.fam += t.fam
        total.extra["any"] += t.extra["any"]
    lines.append(
        f"| **all covered** | | **{total.total}** | **{pct(total.strict, total.total)}** | "
        f"**{pct(total.fam, total.total)}** | {pct(total.extra['any'], total.total)} |"
    )
    return lines


def sven_table(rows: dict[tuple[str, str], Tally]) -> list[str]:
    lines = [
        "| language | CWE | covered | pairs | vulnerable flagged (CWE) | fixed flagged (CWE) "
        "| vulnerable, any finding | fixed, any finding |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    cov = Tally()
    for (language, cwe), t in sorted(rows.items()):
        covered = bool(t.extra["covered"])
        lines.append(
            f"| {language} | {cwe} | {'yes' if covered else 'no'} | {t.total} | "
            f"{pct(t.fam, t.total)} | {pct(t.extra['fixed_same'], t.total)} | "
            f"{pct(t.extra['vuln_any'], t.total)} | {pct(t.extra['fixed_any'], t.total)} |"
        )
        if covered:
            cov.total += t.total
            cov.fam += t.fam
            for k in ("fixed_same", "vuln_any", "fixed_any"):
                cov.extra[k] += t.extra[k]
    lines.append(
        f"| **all covered** | | | **{cov.total}** | **{pct(cov.fam, cov.total)}** | "
        f"**{pct(cov.extra['fixed_same'], cov.total)}** | {pct(cov.extra['vuln_any'], cov.total)}"
        f" | {pct(cov.extra['fixed_any'], cov.total)} |"
    )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--json", type=Path, default=None, help="write the tallies as JSON")
    args = parser.parse_args()
    result = run(jobs=args.jobs)
    print(
        f"rule pack {result['pack_version']}: {result['scanned']} snippets scanned in one "
        f"semgrep call, {result['seconds']} s\n"
    )
    print("CyberSecEval insecure snippets, CWEs the pack covers:\n")
    print("\n".join(cse_table(result["cse"])))
    print("\nSVEN vulnerable/fixed pairs:\n")
    print("\n".join(sven_table(result["sven"])))
    if args.json:
        plain = {
            k: {f"{a}/{b}": vars(t) | {"extra": dict(t.extra)} for (a, b), t in v.items()}
            if k in ("cse", "sven")
            else v
            for k, v in result.items()
        }
        args.json.write_text(json.dumps(plain, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
