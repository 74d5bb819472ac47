"""Agreement on lines, and how engineers judge the scanner: the QA report's critique section.

**Line-level F1.** Two annotators of the same task who both left line comments are
compared per response and per category: with L1 and L2 the sets of lines each marked
(disputed findings mark nothing), taking either one as the reference gives precision
|L1∩L2|/|L2| and recall |L1∩L2|/|L1|, so F1 = 2|L1∩L2| / (|L1| + |L2|), the same
whichever is the reference (Dice's coefficient on lines). Every (task, response,
annotator pair) where at least one of the two marked a line of the category is one
*unit*; a slice's figure pools its units, F1 = Σ 2|L1∩L2| / Σ (|L1| + |L2|) (micro-
averaged, so a unit weighs by how many lines it involves), and ``mean_unit_f1`` is the
plain mean over units. An annotator who left no comment at all on a task did not
critique it and is not compared (otherwise the figure would measure who comments, not
where). Slices: overall and per language, each for every category and for ``all``
(any category: the lines marked at all).

**Finding verdicts.** Each accepted (agree) or disputed (false positive) scanner
finding counts for its rule; ``acceptance_rate`` = agree / (agree + dispute). Rules
are listed most-rejected first (rejection rate, then disputes), so a rule pack can be
tuned where engineers disagree with it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from coderlhf_tui.critiques import is_critique, marked_lines
from coderlhf_tui.domain import Annotation, FindingVerdict

ALL = "all"
"""The slice of lines marked with any category."""

MOST_REJECTED = 10
"""How many rules the report lists as most rejected."""


@dataclass(slots=True)
class _Overlap:
    """Pooled overlap sums of one slice."""

    overlap: int = 0
    total: int = 0
    units: int = 0
    unit_f1_sum: float = 0.0

    def add(self, first: set[int], second: set[int]) -> None:
        size = len(first) + len(second)
        if not size:
            return
        shared = 2 * len(first & second)
        self.overlap += shared
        self.total += size
        self.units += 1
        self.unit_f1_sum += shared / size

    def to_dict(self) -> dict[str, Any]:
        return {
            "line_f1": round(self.overlap / self.total, 6) if self.total else None,
            "mean_unit_f1": round(self.unit_f1_sum / self.units, 6) if self.units else None,
            "units": self.units,
            "lines_marked": self.total,
        }


def critique_section(
    annotations: Iterable[Annotation], languages: Mapping[str, str], categories: Iterable[str]
) -> dict[str, Any]:
    """The report's ``critiques`` section from the submitted annotations."""
    names = [*categories]
    by_task: dict[str, list[Annotation]] = defaultdict(list)
    counts: Counter[str] = Counter()
    severities: Counter[str] = Counter()
    verdicts: dict[str, Counter[str]] = defaultdict(Counter)
    commented = 0
    for annotation in annotations:
        by_task[annotation.task_id].append(annotation)
        critiques = [c for c in annotation.comments if is_critique(c)]
        commented += bool(annotation.comments)
        counts.update(c.category for c in critiques)
        severities.update(c.severity.value for c in critiques)
        for comment in annotation.comments:
            if comment.rule_id and comment.verdict is not None:
                verdicts[comment.rule_id][comment.verdict.value] += 1
    overall = {name: _Overlap() for name in [ALL, *names]}
    per_language: dict[str, dict[str, _Overlap]] = {}
    for task_id, group in by_task.items():
        critics = [a for a in group if any(is_critique(c) for c in a.comments)]
        if len(critics) < 2:
            continue
        language = languages.get(task_id, "unknown")
        slices = per_language.setdefault(language, {n: _Overlap() for n in [ALL, *names]})
        for first, second in combinations(critics, 2):
            for response in ("a", "b"):
                for name in [ALL, *names]:
                    category = None if name == ALL else name
                    one = marked_lines(first.comments, response, category)
                    two = marked_lines(second.comments, response, category)
                    overall[name].add(one, two)
                    slices[name].add(one, two)
    return {
        "measure": "line_f1 = sum 2|L1 & L2| / sum (|L1| + |L2|) over (task, response, "
        "annotator pair) units; see docs/quality.md",
        "annotations_with_comments": commented,
        "comments": sum(counts.values()),
        "by_category": {name: counts[name] for name in names},
        "by_severity": dict(sorted(severities.items())),
        "agreement": {
            "overall": {name: o.to_dict() for name, o in overall.items()},
            "by_language": {
                language: {name: o.to_dict() for name, o in slices.items()}
                for language, slices in sorted(per_language.items())
            },
        },
        "findings": _finding_verdicts(verdicts),
    }


def _finding_verdicts(verdicts: Mapping[str, Counter[str]]) -> dict[str, Any]:
    agree, dispute = FindingVerdict.AGREE.value, FindingVerdict.DISPUTE.value
    rules = {
        rule: {
            "agree": counts[agree],
            "dispute": counts[dispute],
            "acceptance_rate": round(counts[agree] / (counts[agree] + counts[dispute]), 6),
        }
        for rule, counts in sorted(verdicts.items())
    }
    rejected = sorted(
        (rule for rule, r in rules.items() if r["dispute"]),
        key=lambda rule: (rules[rule]["acceptance_rate"], -rules[rule]["dispute"], rule),
    )
    total_agree = sum(r["agree"] for r in rules.values())
    total = total_agree + sum(r["dispute"] for r in rules.values())
    return {
        "verdicts": total,
        "acceptance_rate": round(total_agree / total, 6) if total else None,
        "by_rule": rules,
        "most_rejected": [{"rule": rule, **rules[rule]} for rule in rejected[:MOST_REJECTED]],
    }
