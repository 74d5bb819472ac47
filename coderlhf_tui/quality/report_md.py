"""The QA report rendered as Markdown (for a terminal, a pull request or a wiki)."""

from __future__ import annotations

from typing import Any

from coderlhf_tui.quality import critique_tables, ranking_tables
from coderlhf_tui.quality.agreement import PREFERENCE


def fmt(value: Any, digits: int = 3) -> str:
    """A figure for a table: '-' when missing, rounded floats, plain ints."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def fmt_ci(ci: Any) -> str:
    """'[low, high]' or '' when there is no interval."""
    if not ci or ci[0] is None:
        return ""
    return f" [{ci[0]:.2f}, {ci[1]:.2f}]"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A GitHub-flavoured Markdown table."""
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out.extend("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows)
    return out


PREFERENCE_HEADER = [
    "language",
    "tasks (2+ annotations)",
    "annotators",
    "Cohen κ",
    "Cohen κ (quadratic)",
    "α (ordinal)",
    "Fleiss κ",
    "% agreement",
]
"""The columns of the per-language preference table (report and data card alike)."""


def preference_rows(agreement: dict[str, Any]) -> list[list[str]]:
    """One row per language: counts, then each figure with its interval."""
    rows = []
    for language, per_target in sorted(agreement["by_language"].items()):
        pref = per_target[PREFERENCE]
        ci = pref["ci95"]
        rows.append(
            [
                language,
                str(pref["n_items"]),
                str(pref["n_annotators"]),
                *(
                    fmt(pref[name]) + fmt_ci(ci.get(name))
                    for name in (
                        "cohen_kappa",
                        "cohen_kappa_quadratic",
                        "krippendorff_alpha_ordinal",
                    )
                ),
                fmt(pref["fleiss_kappa"]),
                fmt(pref["percent_agreement"]),
            ]
        )
    return rows


EXECUTION_HEADER = ["language", "tested", "untested", "verdicts"]


def execution_rows(execution: dict[str, Any]) -> list[list[str]]:
    """One row per language: responses tested and untested, and the verdict counts."""
    return [
        [
            lang,
            str(v["tested"]),
            str(v["untested"]),
            ", ".join(f"{k} {n}" for k, n in v["verdicts"].items()) or "-",
        ]
        for lang, v in execution["by_language"].items()
    ]


def render_markdown(report: dict[str, Any]) -> str:
    """The whole report as one Markdown document."""
    summary = report["summary"]
    agreement = report["agreement"]
    targets: list[str] = agreement["targets"]
    lines = [
        "# QA report",
        "",
        f"Generated {report['generated_at']} · rubric v{report['rubric']['version']} · "
        f"{summary['tasks']} tasks ({summary['gold_tasks']} gold) · "
        f"{summary['annotations']} submitted annotations by {summary['annotators']} annotators · "
        f"{summary['tasks_with_two_or_more']} tasks with two or more annotations.",
        "",
        "## Agreement on the preference, per language",
        "",
        "Cohen's figures pool every annotator pair of the language (exactly the pair's kappa "
        "when two annotators share it); intervals are 95% bootstrap intervals "
        f"({agreement['settings']['bootstrap']} resamples of tasks, seed "
        f"{agreement['settings']['seed']}).",
        "",
    ]
    lines += table(PREFERENCE_HEADER, preference_rows(agreement))
    lines += ["", "## Quadratic-weighted kappa, language x dimension", ""]
    lines += table(
        ["language", *targets],
        [
            [language, *(fmt(per_target[t]["cohen_kappa_quadratic"], 2) for t in targets)]
            for language, per_target in sorted(agreement["by_language"].items())
        ]
        + [
            [
                "**all**",
                *(fmt(agreement["overall"][t]["cohen_kappa_quadratic"], 2) for t in targets),
            ]
        ],
    )
    lines += ["", "## Agreement per task type (preference)", ""]
    lines += table(
        ["task type", "tasks (2+)", "Cohen κ (quadratic)", "α (ordinal)", "% agreement"],
        [
            [
                name,
                str(t[PREFERENCE]["n_items"]),
                fmt(t[PREFERENCE]["cohen_kappa_quadratic"]),
                fmt(t[PREFERENCE]["krippendorff_alpha_ordinal"]),
                fmt(t[PREFERENCE]["percent_agreement"]),
            ]
            for name, t in sorted(agreement["by_task_type"].items())
        ],
    )
    low = report["low_agreement"]
    if low:
        lines += [
            "",
            f"**Low agreement** (quadratic κ < {report['settings']['kappa_low']}): "
            + ", ".join(
                f"{s['language']}/{s['target']} ({s['cohen_kappa_quadratic']:.2f})" for s in low
            ),
        ]
    lines += _annotators(report) + _gold(report) + _adjudication(report) + _evidence(report)
    lines += _critiques(report)
    lines += _rankings(report)
    return "\n".join(lines) + "\n"


def _rankings(report: dict[str, Any]) -> list[str]:
    """Agreement on rankings and the model leaderboard (absent from older reports)."""
    agreement, board = report.get("ranking_agreement"), report.get("leaderboard")
    lines: list[str] = []
    if agreement and agreement["overall"]["n_tasks"]:
        lines += ["", "## Agreement on rankings", ""]
        lines += table(ranking_tables.AGREEMENT_HEADER, ranking_tables.agreement_rows(agreement))
    if board and board["overall"]:
        lines += ["", "## Model leaderboard", "", ranking_tables.leaderboard_note(board), ""]
        lines += table(
            ranking_tables.LEADERBOARD_HEADER, ranking_tables.leaderboard_rows(board["overall"])
        )
        for title, part in (("language", "by_language"), ("dimension", "by_dimension")):
            for name, rows in sorted(board[part].items()):
                if rows:
                    lines += ["", f"### Leaderboard, {title} {name}", ""]
                    lines += table(
                        ranking_tables.LEADERBOARD_HEADER, ranking_tables.leaderboard_rows(rows)
                    )
    return lines


def _critiques(report: dict[str, Any]) -> list[str]:
    section = report.get("critiques")
    if not section:
        return []
    lines = ["", "## Line comments", "", critique_tables.summary_line(section), ""]
    lines += table(critique_tables.AGREEMENT_HEADER, critique_tables.agreement_rows(section))
    rejected = critique_tables.rejected_rows(section)
    if rejected:
        lines += ["", "Most-rejected scanner rules:", ""]
        lines += table(critique_tables.REJECTED_HEADER, rejected)
    return lines


def _annotators(report: dict[str, Any]) -> list[str]:
    by_annotator = report["agreement"]["by_annotator"]
    rows = []
    for person in report["annotators"]:
        name = person["annotator"]
        kappa = by_annotator.get(name, {}).get(PREFERENCE, {}).get("cohen_kappa_quadratic")
        rows.append(
            [
                name,
                ", ".join(person["languages"]),
                str(person["annotations"]),
                fmt(kappa, 2),
                fmt(person["position_bias"], 2) + fmt_ci(person["position_bias_ci95"]),
                fmt(person["time_median_s"], 0),
                fmt(person["gold_accuracy"], 2)
                + (f" ({person['gold_tasks']})" if person["gold_tasks"] else ""),
                "; ".join(person["flags"]),
            ]
        )
    header = ["annotator", "languages", "annotations", "κ (quadratic)", "left", "median s"]
    return [
        "",
        "## Annotators",
        "",
        "κ: the annotator's pooled quadratic kappa with everyone they share tasks with; "
        "left: share of non-tie preferences for the response shown on the left.",
        "",
        *table([*header, "gold", "flags"], rows),
    ]


def _gold(report: dict[str, Any]) -> list[str]:
    gold = report["gold"]
    flagged = ", ".join(gold["flagged"]) or "none"
    return [
        "",
        "## Gold tasks",
        "",
        f"{gold['answers']} answers on gold tasks, accuracy {fmt(gold['accuracy'], 2)} "
        f"(match: {gold['match']}). Flagged below {gold['threshold']:.0%} "
        f"(from {gold['min_tasks']} gold tasks on): {flagged}.",
    ]


def _adjudication(report: dict[str, Any]) -> list[str]:
    adj = report["adjudication"]
    lines = [
        "",
        "## Adjudication",
        "",
        f"{adj['tasks_with_two_or_more']} tasks with two or more annotations, "
        f"{adj['winner_conflicts']} with annotators choosing opposite winners "
        f"({adj['winner_conflicts_adjudicated']} of those adjudicated); "
        f"{adj['adjudications']} adjudications on {adj['tasks_adjudicated']} tasks.",
    ]
    if adj["most_disputed"]:
        lines += [
            "",
            "Most disputed: "
            + ", ".join(
                f"{d['task_id']} ({d['language']}, {d['score']:.2f})" for d in adj["most_disputed"]
            ),
        ]
    return lines


def _evidence(report: dict[str, Any]) -> list[str]:
    execution, security = report["execution"], report["security"]
    lines = [
        "",
        "## Execution results",
        "",
        f"{execution['responses_tested']} responses tested, {execution['responses_untested']} "
        f"untested; pass rate {fmt(execution['pass_rate'], 2)}.",
        "",
    ]
    lines += table(EXECUTION_HEADER, execution_rows(execution))
    lines += [
        "",
        "## Security findings",
        "",
        f"{security['findings']} findings in {security['responses_with_findings']} responses.",
        "",
    ]
    lines += table(
        ["language", "responses", "by severity"],
        [
            [lang, str(v["responses"]), ", ".join(f"{k} {n}" for k, n in v["by_severity"].items())]
            for lang, v in security["by_language"].items()
        ],
    )
    if security["top_cwes"]:
        lines += [
            "",
            "Most frequent: "
            + ", ".join(
                f"{c['cwe']} {c['title']} ({c['count']})".replace("  ", " ")
                for c in security["top_cwes"]
            ),
        ]
    return lines
