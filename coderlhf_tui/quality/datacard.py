"""The dataset card: a Hugging Face README.md (YAML front matter + Markdown) for the data.

A buyer reads it before the data: who labelled what (the annotator pool per language and
their experience), under which rubric, with which automatic evidence (execution images,
limits and isolation; the security tooling and rule-pack version), how well annotators
agreed (the QA report's figures, with intervals), which quality thresholds were applied,
the known edge cases and where the prompts came from. ``build_datacard`` is what
``coderlhf datacard`` prints and what the exporter writes beside the data.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from statistics import median
from typing import Any

import yaml

from coderlhf_tui.quality.agreement import PREFERENCE
from coderlhf_tui.quality.critique_docs import datacard_section
from coderlhf_tui.quality.report import build_report
from coderlhf_tui.quality.report_md import PREFERENCE_HEADER, fmt, preference_rows, table
from coderlhf_tui.quality.settings import QualitySettings
from coderlhf_tui.rubric import Rubric
from coderlhf_tui.scan.pack import pack_version
from coderlhf_tui.store import Store

YEARS_META_KEY = "annotator_years"
"""Workspace meta: a JSON object of annotator name -> years of professional experience."""

SIZE_CATEGORIES = [
    (1_000, "n<1K"),
    (10_000, "1K<n<10K"),
    (100_000, "10K<n<100K"),
    (1_000_000, "100K<n<1M"),
]


def size_category(n: int) -> str:
    """The Hugging Face ``size_categories`` bucket of ``n`` records."""
    return next((name for limit, name in SIZE_CATEGORIES if n < limit), "1M<n<10M")


def annotator_years(store: Store) -> dict[str, float]:
    """Years of experience per annotator from the workspace meta entry (empty if unset)."""
    raw = store.get_meta(YEARS_META_KEY)
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        str(k): float(v)
        for k, v in data.items()
        if isinstance(v, int | float) and not isinstance(v, bool)
    }


def scan_tooling() -> dict[str, str]:
    """The security scanner and the version of the rule pack it ran."""
    return {
        "tool": "semgrep (offline, rules shipped in the package)",
        "rule_pack_version": pack_version(),
    }


def build_datacard(
    store: Store,
    rubric: Rubric,
    *,
    settings: QualitySettings | None = None,
    report: Mapping[str, Any] | None = None,
    title: str = "coderlhf code preference data",
    years: Mapping[str, float] | None = None,
    configs: Sequence[Mapping[str, Any]] | None = None,
    license_id: str | None = None,
) -> str:
    """The card as text. Pass ``report`` to reuse a built QA report, ``years`` to name
    annotators' experience (else the workspace meta entry), ``configs`` for the front
    matter's data files (the exporter knows them)."""
    settings = settings or QualitySettings.from_config()
    report = report if report is not None else build_report(store, rubric, settings)
    years = dict(years) if years is not None else annotator_years(store)
    languages = sorted(report["summary"]["by_language"])
    front: dict[str, Any] = {
        "pretty_name": title,
        "license": license_id or store.get_meta("license") or "other",
        "language": ["en"],
        "task_categories": ["text-generation"],
        "tags": ["code", "rlhf", "preference", "reward-modeling", *languages],
        "size_categories": [size_category(report["summary"]["tasks"])],
    }
    if configs:
        front["configs"] = [dict(c) for c in configs]
    front["programming_languages"] = {
        lang: dict(counts) for lang, counts in report["summary"]["by_language"].items()
    }
    sections = [
        f"# {title}",
        "",
        f"Pairwise preferences between two AI-written responses to coding prompts, judged by "
        f"senior engineers: a five-level preference (A>>B .. B>>A) and {len(rubric.dimensions)} "
        f"scored dimensions per response, with each response's test results and security "
        f"findings. {report['summary']['tasks']} tasks, {report['summary']['annotations']} "
        f"submitted annotations by {report['summary']['annotators']} annotators.",
        *_languages(report),
        *_pool(report, years),
        *_rubric(rubric),
        *_environment(report),
        *_security(report),
        *_agreement(report),
        *datacard_section(report),
        *_thresholds(report),
        *_edge_cases(report),
        *_prompts(store),
    ]
    head = yaml.safe_dump(front, sort_keys=False, allow_unicode=True)
    return f"---\n{head}---\n\n" + "\n".join(sections) + "\n"


def _languages(report: Mapping[str, Any]) -> list[str]:
    agreement = report["agreement"]
    rows = []
    for lang, counts in report["summary"]["by_language"].items():
        pref = agreement["by_language"].get(lang, {}).get(PREFERENCE, {})
        rows.append(
            [lang, str(counts["tasks"]), str(counts["annotations"]), str(pref.get("n_items", 0))]
        )
    return [
        "",
        "## Languages and counts",
        "",
        *table(["language", "tasks", "annotations", "tasks with 2+ annotations"], rows),
    ]


def _pool(report: Mapping[str, Any], years: Mapping[str, float]) -> list[str]:
    pool: dict[str, list[str]] = {}
    for person in report["annotators"]:
        for lang in person["languages"]:
            pool.setdefault(lang, []).append(person["annotator"])
    rows = []
    for lang, names in sorted(pool.items()):
        known = [years[n] for n in names if n in years]
        experience = (
            f"median {median(known):g} years (range {min(known):g}-{max(known):g}, "
            f"{len(known)} of {len(names)} known)"
            if known
            else "not recorded"
        )
        rows.append([lang, str(len(names)), experience])
    return [
        "",
        "## Annotator pool",
        "",
        "Senior engineers working in their own language's pool; each annotator sees only "
        "their own work (blind), and the two responses in a random left/right order.",
        "",
        *table(["language", "annotators", "experience"], rows),
    ]


def _rubric(rubric: Rubric) -> list[str]:
    out = [
        "",
        "## Rubric",
        "",
        f"Version {rubric.version}; scores {rubric.scale_min}-{rubric.scale_max} per dimension "
        "and response; preference levels: "
        + ", ".join(f"`{p.preference.value}` ({p.label})" for p in rubric.preferences)
        + ".",
        "",
    ]
    out += table(
        ["dimension", "question", f"{rubric.scale_min}", f"{rubric.scale_max}"],
        [
            [d.name, d.description, d.anchor(rubric.scale_min), d.anchor(rubric.scale_max)]
            for d in rubric.dimensions
        ],
    )
    out += [
        "",
        f"Tags ({len(rubric.tags)}): " + ", ".join(f"`{t}`" for t in sorted(rubric.tags)) + ".",
    ]
    return out


def _environment(report: Mapping[str, Any]) -> list[str]:
    execution = report["execution"]
    out = [
        "",
        "## Execution environment",
        "",
        f"{execution['responses_tested']} responses were run against their task's tests "
        f"({execution['responses_untested']} not run); pass rate "
        f"{fmt(execution['pass_rate'], 2)}.",
        "",
    ]
    if execution["images"]:
        out.append(
            "Images: "
            + ", ".join(f"`{k}` ({v} runs)" for k, v in execution["images"].items())
            + "."
        )
    if execution["isolation"]:
        out.append(
            "Isolation: "
            + ", ".join(f"{k} ({v} runs)" for k, v in execution["isolation"].items())
            + "."
        )
    if execution["limits"]:
        out += [
            "",
            *table(
                ["image / isolation", "timeout s", "memory MB", "CPUs", "pids", "output bytes"],
                [
                    [
                        name,
                        fmt(lim.get("timeout_s")),
                        fmt(lim.get("memory_mb")),
                        fmt(lim.get("cpus")),
                        fmt(lim.get("pids")),
                        fmt(lim.get("output_bytes")),
                    ]
                    for name, lim in execution["limits"].items()
                ],
            ),
        ]
    out += [
        "",
        *table(
            ["language", "verdicts"],
            [
                [lang, ", ".join(f"{k} {n}" for k, n in v["verdicts"].items()) or "-"]
                for lang, v in execution["by_language"].items()
            ],
        ),
    ]
    return out


def _security(report: Mapping[str, Any]) -> list[str]:
    tooling = scan_tooling()
    security = report["security"]
    out = [
        "",
        "## Security tooling",
        "",
        f"Scanner: {tooling['tool']}; rule pack version `{tooling['rule_pack_version']}`. "
        f"{security['findings']} findings in {security['responses_with_findings']} responses.",
    ]
    if security["top_cwes"]:
        out += [
            "",
            *table(
                ["CWE", "title", "findings"],
                [[c["cwe"], c["title"], str(c["count"])] for c in security["top_cwes"]],
            ),
        ]
    return out


def _agreement(report: Mapping[str, Any]) -> list[str]:
    agreement = report["agreement"]
    targets = agreement["targets"]
    out = [
        "",
        "## Agreement",
        "",
        "On the preference (five ordered levels; Cohen's figures pool the language's annotator "
        "pairs, weighted by shared tasks), with 95% bootstrap intervals "
        f"({agreement['settings']['bootstrap']} task resamples, "
        f"seed {agreement['settings']['seed']}):",
        "",
        *table(PREFERENCE_HEADER, preference_rows(agreement)),
        "",
        "Quadratic-weighted kappa per dimension (every task-response an item):",
        "",
    ]
    out += table(
        ["language", *targets[1:]],
        [
            [lang, *(fmt(per[t]["cohen_kappa_quadratic"], 2) for t in targets[1:])]
            for lang, per in sorted(agreement["by_language"].items())
        ],
    )
    gold = report["gold"]
    out += ["", f"Gold tasks: {gold['answers']} answers, accuracy {fmt(gold['accuracy'], 2)}."]
    return out


def _thresholds(report: Mapping[str, Any]) -> list[str]:
    s = report["settings"]
    flagged = sorted({p["annotator"] for p in report["annotators"] if p["flags"]})
    return [
        "",
        "## Quality thresholds",
        "",
        f"- Gold accuracy below {s['gold_threshold']:.0%} (match: {s['gold_match']}, from "
        f"{s['gold_min_tasks']} gold tasks on) flags an annotator.",
        f"- Choosing one side more than {s['position_bias_threshold']:.0%} of the time (from "
        f"{s['position_bias_min']} non-tie preferences on) flags position bias.",
        f"- Quadratic kappa below {s['kappa_low']} marks a language/dimension as low agreement.",
        f"- Annotator pairs are reported alone from {s['min_shared']} shared tasks on.",
        f"- Flagged annotators: {', '.join(flagged) or 'none'}.",
    ]


def _edge_cases(report: Mapping[str, Any]) -> list[str]:
    cases = []
    execution = report["execution"]
    odd: Counter[str] = Counter()
    for per in execution["by_language"].values():
        for verdict in ("NO_TESTS", "INTERNAL_ERROR", "TIME_LIMIT", "MEMORY_LIMIT"):
            odd[verdict] += per["verdicts"].get(verdict, 0)
    for verdict, n in odd.items():
        if n:
            cases.append(
                f"{n} responses ended {verdict}; their test evidence is not a pass/fail signal."
            )
    early = sum(per["verdicts"].get("EXITED_EARLY", 0) for per in execution["by_language"].values())
    if early:
        cases.append(
            f"{early} responses ended EXITED_EARLY: exit status 0 without proof that their tests"
            " ran to the end (a reward hack such as exiting before the tests); counted as failing."
        )
    if execution["responses_untested"]:
        cases.append(f"{execution['responses_untested']} responses have no test run.")
    for lang, per in report["agreement"]["by_language"].items():
        if per[PREFERENCE]["n_items"] == 0:
            cases.append(f"{lang}: no task has two annotations, so no agreement figure.")
    for low in report["low_agreement"]:
        cases.append(
            f"{low['language']}/{low['target']}: low agreement "
            f"(quadratic κ {low['cohen_kappa_quadratic']:.2f})."
        )
    adj = report["adjudication"]
    open_conflicts = adj["winner_conflicts"] - adj["winner_conflicts_adjudicated"]
    if open_conflicts:
        cases.append(
            f"{open_conflicts} tasks where annotators chose opposite winners are not adjudicated."
        )
    cases.append(
        "Preferences and scores are in the task's A/B terms whatever side a response was shown on."
    )
    cases.append("Ties are a real label (neither response meaningfully better), not missing data.")
    return ["", "## Known edge cases", "", *(f"- {c}" for c in cases)]


def _prompts(store: Store) -> list[str]:
    sources: Counter[str] = Counter()
    types: Counter[str] = Counter()
    models: Counter[str] = Counter()
    for task in store.iter_tasks():  # streamed: the prompt set may be large
        sources[str(task.metadata.get("source", "unspecified"))] += 1
        types[task.task_type.value if task.task_type else "unspecified"] += 1
        models.update(r.model for r in task.responses if r.model)
    out = [
        "",
        "## Prompt set",
        "",
        "Sources: " + (", ".join(f"{k} ({v})" for k, v in sources.most_common()) or "none") + ".",
        "Task types: " + (", ".join(f"{k} ({v})" for k, v in types.most_common()) or "none") + ".",
    ]
    if models:
        out.append(
            "Response models: " + ", ".join(f"{k} ({v})" for k, v in models.most_common()) + "."
        )
    return out
