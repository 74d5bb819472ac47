"""The audit report as Markdown: summary, per language, per CWE, one row per pair, then
one row per response of each ranked task (with its automatic ranking)."""

from __future__ import annotations

from typing import Any

from coderlhf_tui.scan.signals.compute import DIMENSIONS


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value).replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def _verdict(response: dict[str, Any]) -> str:
    test = response["test"]
    if test is None:
        return "not run"
    if test["verdict"] == "FAILED":
        return f"FAILED {test['passed']}/{test['passed'] + test['failed']}"
    return str(test["verdict"])


def _findings(response: dict[str, Any]) -> str:
    if not response["findings"]:
        return "none"
    return ", ".join(f"{f['cwe']} {f['severity']} L{f['line']}" for f in response["findings"])


def render_markdown(report: dict[str, Any]) -> str:
    """The whole report as one Markdown document."""
    t = report["totals"]
    out = [
        f"# {report['title']}",
        "",
        f"Source `{report['source']}` · rule pack `{report['rule_pack']}` · "
        f"generated {report['generated_at']}",
        "",
        "Automatic signals inform the human scores; they do not replace them.",
        "",
        "## Summary",
        "",
        f"- tasks: {t['pairs']} ({t['ranked_tasks']} ranked), responses: {t['responses']}",
        "- test verdicts: " + ", ".join(f"{k} {v}" for k, v in sorted(t["tests"].items())),
        f"- findings: {t['findings']} in {t['responses_flagged']} responses "
        + "("
        + ", ".join(f"{k} {v}" for k, v in sorted(t["findings_by_severity"].items()))
        + ")",
    ]
    if t["gold_agreement"] is not None:
        out.append(
            f"- automatic preference agrees with gold on {t['gold_agreement']:.0%} of "
            f"{t['gold_pairs_with_automatic_preference']} gold pairs"
        )
    out += [f"- note: {n}" for n in report["notes"]]
    out += ["", "## Per language", ""]
    out += _table(
        ["language", "tasks", "tested", "pass rate", "findings", "flagged", *DIMENSIONS],
        [
            [r["language"], r["pairs"], r["tested"], r["pass_rate"], r["findings"],
             r["responses_flagged"], *(r["mean_scores"][d] for d in DIMENSIONS)]
            for r in report["by_language"]
        ],
    )  # fmt: skip
    out += ["", "## Per CWE", ""]
    out += _table(
        ["CWE", "title", "findings", "responses", "max severity", "languages"],
        [
            [r["cwe"], r["title"], r["findings"], r["responses"], r["max_severity"],
             ", ".join(r["languages"])]
            for r in report["by_cwe"]
        ],
    )  # fmt: skip
    pairs = [p for p in report["pairs"] if len(p["responses"]) == 2]
    ranked = [p for p in report["pairs"] if len(p["responses"]) > 2]
    out += ["", "## Pairs", ""]
    out += _table(
        ["task", "lang", "A tests", "B tests", "A findings", "B findings", "A score", "B score",
         "auto", "gold"],
        [
            [p["task_id"], p["language"], _verdict(p["responses"]["a"]),
             _verdict(p["responses"]["b"]), _findings(p["responses"]["a"]),
             _findings(p["responses"]["b"]), p["responses"]["a"]["overall"],
             p["responses"]["b"]["overall"], p["automatic_preference"], p["gold"]]
            for p in pairs
        ],
    )  # fmt: skip
    out += ["", "## Signals per pair (levels 1-5, A / B)", ""]
    out += _table(
        ["task", *DIMENSIONS],
        [
            [p["task_id"], *(
                f"{_cell(p['responses']['a']['signals'][d]['level'])} / "
                f"{_cell(p['responses']['b']['signals'][d]['level'])}"
                for d in DIMENSIONS
            )]
            for p in pairs
        ],
    )  # fmt: skip
    if ranked:
        out += ["", "## Ranked tasks (one row per response; levels 1-5)", ""]
        out += _table(
            ["task", "lang", "response", "model", "tests", "findings", "score", *DIMENSIONS,
             "auto ranking"],
            [
                [p["task_id"], p["language"], key.upper(), r["model"], _verdict(r),
                 _findings(r), r["overall"], *(r["signals"][d]["level"] for d in DIMENSIONS),
                 p["automatic_ranking"]]
                for p in ranked
                for key, r in p["responses"].items()
            ],
        )  # fmt: skip
    return "\n".join(out) + "\n"
