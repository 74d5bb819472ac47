"""Which regions of a file semgrep did not parse, and which regex findings to keep there.

AI output is often truncated or mixes prose with code. Semgrep then parses what it can and
reports the rest as a ``PartialParsing`` span (or the whole file as a syntax error), and no
AST rule can match inside those regions. The pack's fallback rules (``rules/fallback/``,
plain regexes) run over every file in the same semgrep call, but their findings are kept
only inside the unparsed regions and only where no AST rule already reported the same CWE
on that line: on code that parses, the precise rules speak alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from coderlhf_tui.domain import Finding

LineRange = tuple[int, int]
WHOLE_FILE: LineRange = (1, 10**9)


def unparsed_regions(errors: Iterable[Mapping[str, Any]]) -> dict[str, list[LineRange]]:
    """Per target path (as semgrep names it), the line ranges it could not parse."""
    out: dict[str, list[LineRange]] = {}
    for error in errors:
        path = error.get("path")
        if not path:
            continue
        kind = error.get("type")
        name = kind[0] if isinstance(kind, list) and kind else kind
        spans = error.get("spans") or []
        if name == "PartialParsing" and spans:
            ranges = [(int(s["start"]["line"]), int(s["end"]["line"])) for s in spans]
        else:  # a syntax error, lexical error or timeout: nothing of the file is trustworthy
            ranges = [WHOLE_FILE]
        out.setdefault(str(path), []).extend(ranges)
    return out


def _inside(line: int, ranges: Iterable[LineRange]) -> bool:
    return any(start <= line <= end for start, end in ranges)


def keep_fallback(
    fallback: Iterable[Finding], precise: Iterable[Finding], regions: list[LineRange]
) -> list[Finding]:
    """The fallback findings inside ``regions`` not already covered by a precise finding."""
    covered = {(f.cwe_id, line) for f in precise for line in range(f.start_line, f.end_line + 1)}
    return [
        f
        for f in fallback
        if _inside(f.start_line, regions) and (f.cwe_id, f.start_line) not in covered
    ]


def dedupe(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per (line, CWE): the most severe, then the most confident, rule wins.

    Two rules often see the same weakness from two sides (a generic "random module" rule
    and a "random value used as a token" rule); the annotator needs it once. The fuller
    data-flow trace found by either (more steps, then an earlier source) is kept on the
    winner.
    """
    best: dict[tuple[int, str], Finding] = {}
    order = {"LOW": 0, "MEDIUM": 1, "HIGH": 2}
    for f in findings:
        key = (f.start_line, f.cwe_id)
        seen = best.get(key)
        rank = (f.severity.rank, order[f.confidence.value])
        if seen is None or rank > (seen.severity.rank, order[seen.confidence.value]):
            kept, other = f, seen
        else:
            kept, other = seen, f
        if other is not None and _trace_rank(other) > _trace_rank(kept):
            kept = replace(kept, trace=other.trace)  # the fullest flow stays, whichever rule wins
        best[key] = kept
    return sorted(best.values(), key=lambda f: (f.start_line, -f.severity.rank, f.rule_id))


def _trace_rank(finding: Finding) -> tuple[int, int]:
    """More steps first, then the source furthest back (a parameter before its use)."""
    if not finding.trace:
        return (0, 0)
    return (len(finding.trace), -finding.trace[0].line)
