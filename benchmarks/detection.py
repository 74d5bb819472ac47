"""Detection benchmark: how much of the labelled insecure code the rule pack flags.

- CyberSecEval: per language and CWE, the share of insecure ``origin_code`` snippets the
  pack flags with the right CWE. "Right" is reported strictly (the same CWE id among those
  the finding's rule names; a rule names a second CWE only for its parent in the CWE tree,
  pack.CWE_PARENTS, and the first-named-only figure is printed beside it) and by
  family (CWE ids that name the same weakness at another level of the CWE tree, listed in
  FAMILIES below, e.g. a weak hash labelled CWE-327 by one tool and CWE-328 by ours).
- SVEN: on vulnerable/fixed pairs of the same function, the share of vulnerable versions
  flagged with the labelled CWE (family), and the share of fixed versions still flagged
  with it (the false-alarm rate on code a human judged fixed), plus any-finding rates.

Everything is scanned in one semgrep batch. Targets (issue 4): >= 60% detection over the
CWEs the pack covers; <= 10% of fixed functions flagged. Issue 19: SVEN vulnerable >= 60%,
fixed <= 5%, CyberSecEval exact CWE >= 70%.

``--tampering`` instead measures the test-tampering rules' false alarms on honest code:
HumanEval's and HumanEval-X's canonical solutions (six languages), MBPP's reference code
and every LDB model output; any tampering finding there is a false positive.

``--sample N`` scans every N-th snippet only (quick checks while writing rules).

Run: .venv/bin/python benchmarks/detection.py [--json OUT] [--sample N] [--tampering]
"""

from __future__ import annotations

import argparse
import gzip
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

from coderlhf_tui.domain import FINDING_SECURITY, FINDING_TEST_TAMPERING, Finding, Language
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


def _cwes(findings: Iterable[Finding], *, first_only: bool = False) -> set[str]:
    """Every CWE the security findings name: a rule that describes its finding at two levels
    of the CWE tree (metadata.cwe as a list, docs/scan.md) matches a label equal to either;
    ``first_only`` counts each rule's first-named CWE alone (the figure before such lists)."""
    return {
        cwe
        for f in findings
        if f.category == FINDING_SECURITY
        for cwe in ((f.cwe_id,) if first_only else (f.cwe_id, *f.related_cwes))
    }


HUMANEVAL_X = {
    "python": "python",
    "cpp": "cpp",
    "java": "java",
    "js": "javascript",
    "go": "go",
    "rust": "rust",
}


def honest_code(external: Path = corpora.EXTERNAL) -> list[tuple[str, str, ScanItem]]:
    """(corpus, language, item) for every honest solution: reference code and model outputs."""
    out: list[tuple[str, str, ScanItem]] = []
    with gzip.open(external / "humaneval" / "HumanEval.jsonl.gz", "rt") as handle:
        for line in handle:
            r = json.loads(line)
            code = r["prompt"] + r["canonical_solution"]
            out.append(("humaneval", "python", ScanItem(r["task_id"], Language.PYTHON, code)))
    for short, language in HUMANEVAL_X.items():
        path = external / "humaneval-x" / f"humaneval_{short}.jsonl.gz"
        with gzip.open(path, "rt") as handle:
            for line in handle:
                r = json.loads(line)
                head = r["prompt"] if language == "python" else r["declaration"]
                if language == "go":
                    head = f"package main\n\n{r.get('import', '')}{head}"
                code = head + r["canonical_solution"]
                item = ScanItem(f"hex-{r['task_id']}", Language(language), code)
                out.append(("humaneval-x", language, item))
    for line in (external / "mbpp" / "mbpp.jsonl").read_text().splitlines():
        r = json.loads(line)
        out.append(("mbpp", "python", ScanItem(f"mbpp-{r['task_id']}", Language.PYTHON, r["code"])))
    seen: set[str] = set()
    for task in corpora.ldb_pairs(external, limit=10**6):
        for response in task["responses"]:
            if response["code"] not in seen:
                seen.add(response["code"])
                key = f"{task['id']}/{response['id']}"
                out.append(("ldb", "python", ScanItem(key, Language.PYTHON, response["code"])))
    return out


def tampering_false_positives(jobs: int | None = None) -> list[str]:
    """The tampering rules on honest code: a table of false-alarm rates per corpus."""
    honest = honest_code()
    found = scan_batch([item for _, _, item in honest], jobs=jobs)
    rows: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    hits: list[str] = []
    for corpus, language, item in honest:
        tampering = [f for f in found[item.key] if f.category == FINDING_TEST_TAMPERING]
        rows[(corpus, language)][0] += 1
        rows[(corpus, language)][1] += bool(tampering)
        hits.extend(f"{item.key}: {f.rule_id} line {f.start_line}" for f in tampering)
    lines = [
        "| corpus | language | solutions | flagged as test tampering | rate |",
        "|---|---|---:|---:|---:|",
    ]
    total = [0, 0]
    for (corpus, language), (n, flagged) in sorted(rows.items()):
        lines.append(f"| {corpus} | {language} | {n} | {flagged} | {pct(flagged, n)} |")
        total[0] += n
        total[1] += flagged
    lines.append(f"| **all** | | **{total[0]}** | **{total[1]}** | **{pct(total[1], total[0])}** |")
    return [*lines, "", *(f"- {h}" for h in hits)]


def run(
    external: Path = corpora.EXTERNAL, jobs: int | None = None, sample: int = 1
) -> dict[str, Any]:
    """Scan both corpora (every ``sample``-th snippet) in one batch and tally the results."""
    cse = corpora.cyberseceval(external)[::sample]
    pairs = corpora.sven(external)[::sample]
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
        row.extra["first"] += s.cwe in _cwes(found[s.id], first_only=True)
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
        "| language | CWE | snippets | flagged, same CWE | same CWE, first-named only "
        "| flagged, CWE family | any finding |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    total = Tally()
    for (language, cwe), t in sorted(rows.items()):
        lines.append(
            f"| {language} | {cwe} | {t.total} | {pct(t.strict, t.total)} | "
            f"{pct(t.extra['first'], t.total)} | {pct(t.fam, t.total)} | "
            f"{pct(t.extra['any'], t.total)} |"
        )
        total.total += t.total
        total.strict += t.strict
        total.fam += t.fam
        total.extra["any"] += t.extra["any"]
        total.extra["first"] += t.extra["first"]
    lines.append(
        f"| **all covered** | | **{total.total}** | **{pct(total.strict, total.total)}** | "
        f"{pct(total.extra['first'], total.total)} | **{pct(total.fam, total.total)}** | "
        f"{pct(total.extra['any'], total.total)} |"
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
    parser.add_argument("--sample", type=int, default=1, help="scan every N-th snippet only")
    parser.add_argument("--tampering", action="store_true", help="false alarms on honest code")
    args = parser.parse_args()
    if args.tampering:
        started = time.perf_counter()
        lines = tampering_false_positives(jobs=args.jobs)
        print(f"rule pack {pack_version()}, {time.perf_counter() - started:.0f} s\n")
        print("\n".join(lines))
        return 0
    result = run(jobs=args.jobs, sample=args.sample)
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
