"""The automatic evidence behind a body of tasks: test verdicts and security findings.

Read through the store's public API (``latest_test_run``, ``latest_findings``), summed
per language, for the QA report and the data card (which also needs the images, limits
and isolation the runs used).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from coderlhf_tui.domain import RESPONSE_KEYS
from coderlhf_tui.store import Store, TaskSummary


def execution_summary(store: Store, tasks: Iterable[TaskSummary]) -> dict[str, Any]:
    """Verdict counts per language, run durations, and the environments the runs used.

    ``tasks`` are the queue rows (``Store.list_tasks``): a run is fetched only for the
    responses whose row shows a verdict, so an untested workspace costs one query.
    """
    verdicts: dict[str, Counter[str]] = defaultdict(Counter)
    untested: Counter[str] = Counter()
    durations: list[float] = []
    images: Counter[str] = Counter()
    isolation: Counter[str] = Counter()
    limits: dict[str, dict[str, Any]] = {}
    for row in tasks:
        for key in RESPONSE_KEYS:
            seen = row.verdict_a if key == "a" else row.verdict_b
            run = store.latest_test_run(row.id, key) if seen is not None else None
            if run is None:
                untested[row.language] += 1
                continue
            verdicts[row.language][run.verdict.value] += 1
            durations.append(run.duration_s)
            if run.image:
                images[run.image] += 1
            if run.isolation:
                isolation[run.isolation] += 1
            limits.setdefault(f"{run.image or '?'} / {run.isolation or '?'}", asdict(run.limits))
    runs = sum(sum(c.values()) for c in verdicts.values())
    passed = sum(c["PASSED"] for c in verdicts.values())
    durations.sort()
    return {
        "responses_tested": runs,
        "responses_untested": sum(untested.values()),
        "pass_rate": round(passed / runs, 6) if runs else None,
        "median_duration_s": durations[len(durations) // 2] if durations else None,
        "by_language": {
            lang: {
                "verdicts": dict(sorted(counts.items())),
                "tested": sum(counts.values()),
                "untested": untested[lang],
            }
            for lang, counts in sorted((k, verdicts[k]) for k in set(verdicts) | set(untested))
        },
        "images": dict(images.most_common()),
        "isolation": dict(isolation.most_common()),
        "limits": limits,
    }


def security_summary(store: Store, tasks: Iterable[TaskSummary]) -> dict[str, Any]:
    """Findings per language and severity, and the most frequent CWEs (fetched only for
    responses whose queue row counts findings)."""
    by_language: dict[str, Counter[str]] = defaultdict(Counter)
    flagged: Counter[str] = Counter()
    cwes: Counter[str] = Counter()
    titles: dict[str, str] = {}
    rules: Counter[str] = Counter()
    for row in tasks:
        for key in RESPONSE_KEYS:
            count = row.findings_a if key == "a" else row.findings_b
            findings = store.latest_findings(row.id, key) if count else []
            if findings:
                flagged[row.language] += 1
            for finding in findings:
                by_language[row.language][finding.severity.value] += 1
                cwes[finding.cwe_id] += 1
                titles.setdefault(finding.cwe_id, finding.cwe_title)
                rules[finding.rule_id] += 1
    return {
        "findings": sum(sum(c.values()) for c in by_language.values()),
        "responses_with_findings": sum(flagged.values()),
        "by_language": {
            lang: {"by_severity": dict(sorted(counts.items())), "responses": flagged[lang]}
            for lang, counts in sorted(by_language.items())
        },
        "top_cwes": [
            {"cwe": cwe, "title": titles.get(cwe, ""), "count": n}
            for cwe, n in cwes.most_common(10)
        ],
        "top_rules": [{"rule": rule, "count": n} for rule, n in rules.most_common(10)],
    }
