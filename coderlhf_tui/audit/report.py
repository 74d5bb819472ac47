"""The audit report as data: per task, per language, per CWE. Rendered by markdown.py and
html.py; written as JSON unchanged, so scripts read exactly what people read.

Every task is one entry of ``pairs`` (the name kept for the JSON's readers) with all its
responses under ``responses`` (a, b, or a..h of a ranked task). A pair's
``automatic_preference`` compares A and B; every task also gets an ``automatic_ranking``
(``c>a=d>b``) of its responses by overall signal score, neighbours within the weights'
tie margin tied. A ranked task has no automatic preference: A and B are two of its
responses, not the question it asks.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

from coderlhf_tui.domain import ResponseKey, Severity, Task, TestRun
from coderlhf_tui.ranking import format_ranking
from coderlhf_tui.scan.pack import pack_version
from coderlhf_tui.scan.service import ResponseScan
from coderlhf_tui.scan.signals.compute import DIMENSIONS, automatic_preference
from coderlhf_tui.scan.signals.weights import SignalWeights

Key = tuple[str, ResponseKey]


def _test_json(run: TestRun | None) -> dict[str, Any] | None:
    if run is None:
        return None
    return {
        "verdict": run.verdict.value,
        "passed": run.passed,
        "failed": run.failed,
        "failing_tests": run.failing_tests[:10],
        "duration_s": round(run.duration_s, 3),
        "peak_memory_mb": run.peak_memory_mb,
    }


def _response_json(
    task: Task, key: ResponseKey, run: TestRun | None, scan: ResponseScan, record: dict[str, Any]
) -> dict[str, Any]:
    response = task.response(key)
    return {
        "id": response.id,
        "model": response.model,
        "test": _test_json(run),
        "findings": [
            {
                "rule": f.rule_id,
                "cwe": f.cwe_id,
                "related_cwes": list(f.related_cwes),
                "cwe_title": f.cwe_title,
                "severity": f.severity.value,
                "confidence": f.confidence.value,
                "line": f.start_line,
                "message": f.message,
            }
            for f in scan.findings
        ],
        "signals": record["dimensions"],
        "overall": record["overall"],
    }


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 3) if values else None


def automatic_ranking(
    overall: Mapping[ResponseKey, float | None], weights: SignalWeights
) -> str | None:
    """The responses best first by overall score, a response within the tie margin of
    the one above it tied with it; None when any response has no overall score."""
    if not overall or any(score is None for score in overall.values()):
        return None
    scores = {key: float(score) for key, score in overall.items() if score is not None}
    order = sorted(scores, key=lambda key: (-scores[key], key))
    groups = [[order[0]]]
    for above, key in pairwise(order):
        if scores[above] - scores[key] <= weights.tie_margin:
            groups[-1].append(key)
        else:
            groups.append([key])
    return format_ranking([sorted(group) for group in groups])


def _by_language(pairs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    tasks: Counter[str] = Counter()
    for pair in pairs:
        groups[pair["language"]].extend(pair["responses"].values())
        tasks[pair["language"]] += 1
    rows = []
    for language, responses in sorted(groups.items()):
        tested = [r for r in responses if r["test"] is not None]
        passed = [r for r in tested if r["test"]["verdict"] == "PASSED"]
        scores = {
            d: _mean([s for r in responses if (s := r["signals"][d]["score"]) is not None])
            for d in DIMENSIONS
        }
        rows.append(
            {
                "language": language,
                "pairs": tasks[language],
                "responses": len(responses),
                "tested": len(tested),
                "pass_rate": round(len(passed) / len(tested), 3) if tested else None,
                "findings": sum(len(r["findings"]) for r in responses),
                "responses_flagged": sum(bool(r["findings"]) for r in responses),
                "mean_scores": scores,
            }
        )
    return rows


def _by_cwe(pairs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    stats: dict[str, dict[str, Any]] = {}
    for pair in pairs:
        for response in pair["responses"].values():
            seen: set[str] = set()
            for f in response["findings"]:
                row = stats.setdefault(
                    f["cwe"],
                    {"cwe": f["cwe"], "title": f["cwe_title"], "findings": 0, "responses": 0,
                     "max_severity": "INFO", "languages": set(), "rules": Counter()},
                )  # fmt: skip
                row["findings"] += 1
                row["responses"] += f["cwe"] not in seen
                seen.add(f["cwe"])
                row["languages"].add(pair["language"])
                row["rules"][f["rule"]] += 1
                if Severity(f["severity"]).rank > Severity(row["max_severity"]).rank:
                    row["max_severity"] = f["severity"]
    rows = []
    for row in sorted(stats.values(), key=lambda r: (-r["findings"], r["cwe"])):
        rows.append(row | {"languages": sorted(row["languages"]), "rules": dict(row["rules"])})
    return rows


def build_report(
    tasks: Sequence[Task],
    runs: Mapping[Key, TestRun | None],
    scans: Mapping[Key, ResponseScan],
    records: Mapping[Key, dict[str, Any]],
    weights: SignalWeights,
    *,
    source: str,
    notes: Sequence[str] = (),
    now: Callable[[], str] | None = None,
) -> dict[str, Any]:
    """The whole report as one JSON-ready dict."""
    pairs: list[dict[str, Any]] = []
    for task in tasks:
        responses = {
            k: _response_json(
                task, k, runs.get((task.id, k)), scans[(task.id, k)], records[(task.id, k)]
            )
            for k in task.keys
        }
        overall = {k: response["overall"] for k, response in responses.items()}
        pairs.append(
            {
                "task_id": task.id,
                "language": task.language.value,
                "task_type": task.task_type.value if task.task_type else None,
                "prompt_head": " ".join(task.prompt.split())[:160],
                "gold": task.gold.preference.value if task.gold else None,
                "automatic_preference": None
                if task.is_ranked
                else automatic_preference(overall["a"], overall["b"], weights),
                "automatic_ranking": automatic_ranking(overall, weights),
                "responses": responses,
            }
        )
    verdicts = Counter(
        r["test"]["verdict"] if r["test"] else "NOT_RUN"
        for p in pairs
        for r in p["responses"].values()
    )
    severities = Counter(
        f["severity"] for p in pairs for r in p["responses"].values() for f in r["findings"]
    )
    gold = [p for p in pairs if p["gold"] and p["automatic_preference"]]
    agree = sum(_same_side(p["gold"], p["automatic_preference"]) for p in gold)
    return {
        "title": "coderlhf baseline audit",
        "generated_at": (now or _utc_now)(),
        "source": source,
        "rule_pack": pack_version(),
        "notes": list(notes),
        "totals": {
            "pairs": len(pairs),
            "ranked_tasks": sum(len(p["responses"]) > 2 for p in pairs),
            "responses": sum(len(p["responses"]) for p in pairs),
            "tests": dict(verdicts),
            "findings": sum(severities.values()),
            "findings_by_severity": dict(severities),
            "responses_flagged": sum(
                bool(r["findings"]) for p in pairs for r in p["responses"].values()
            ),
            "gold_pairs_with_automatic_preference": len(gold),
            "gold_agreement": round(agree / len(gold), 3) if gold else None,
        },
        "by_language": _by_language(pairs),
        "by_cwe": _by_cwe(pairs),
        "pairs": pairs,
    }


def _same_side(gold: str, auto: str) -> bool:
    def side(p: str) -> str:
        return "tie" if p == "tie" else ("a" if p.startswith("A") else "b")

    return side(gold) == side(auto)


def _utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_reports(report: dict[str, Any], out_dir: Path) -> list[Path]:
    """report.json, report.md and report.html in ``out_dir`` (created)."""
    from coderlhf_tui.audit.html import render_html
    from coderlhf_tui.audit.markdown import render_markdown

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / "report.json", out_dir / "report.md", out_dir / "report.html"]
    paths[0].write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    paths[1].write_text(render_markdown(report), encoding="utf-8")
    paths[2].write_text(render_html(report), encoding="utf-8")
    return paths
