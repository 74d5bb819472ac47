"""The QA report as one self-contained HTML page: inline CSS and SVG, no scripts or links.

It shows the language x dimension kappa heatmap, the per-language preference figures with
their intervals, per-annotator charts (agreement, position bias, gold accuracy, time) and
the evidence and adjudication tables. It is a view of ``build_report``'s data.
"""

from __future__ import annotations

from html import escape
from typing import Any

from coderlhf_tui.quality import critique_tables, ranking_tables
from coderlhf_tui.quality.agreement import PREFERENCE
from coderlhf_tui.quality.report_md import (
    EXECUTION_HEADER,
    PREFERENCE_HEADER,
    execution_rows,
    fmt,
    preference_rows,
)
from coderlhf_tui.quality.svg import bar_chart, heatmap

STYLE = """
body { font-family: system-ui, sans-serif; margin: 24px; color: #222; background: #fff; }
h1 { margin-bottom: 4px; } h2 { margin-top: 28px; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: left; }
th { background: #f2f2f2; } .muted { color: #666; font-size: 13px; }
.charts { display: flex; flex-wrap: wrap; gap: 24px; } .flag { color: #b2182b; }
"""


def _table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(report: dict[str, Any]) -> str:
    """The report page as a string."""
    summary, agreement = report["summary"], report["agreement"]
    targets: list[str] = agreement["targets"]
    languages = sorted(agreement["by_language"])
    grid = heatmap(
        [*languages, "all"],
        targets,
        [
            *(
                [agreement["by_language"][lang][t]["cohen_kappa_quadratic"] for t in targets]
                for lang in languages
            ),
            [agreement["overall"][t]["cohen_kappa_quadratic"] for t in targets],
        ],
        title="Quadratic-weighted Cohen's kappa: language x dimension",
    )
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<title>coderlhf QA report</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>QA report</h1>",
        f"<p class='muted'>Generated {escape(report['generated_at'])} · rubric v"
        f"{escape(report['rubric']['version'])} · {summary['tasks']} tasks "
        f"({summary['gold_tasks']} gold) · {summary['annotations']} submitted annotations by "
        f"{summary['annotators']} annotators</p>",
        "<h2>Agreement</h2>",
        grid,
        "<h3>Preference, per language</h3>",
        f"<p class='muted'>95% bootstrap intervals, {agreement['settings']['bootstrap']} "
        f"resamples of tasks (seed {agreement['settings']['seed']}).</p>",
        _table(PREFERENCE_HEADER, preference_rows(agreement)),
        _annotator_charts(report),
        _annotator_table(report),
        _sections(report),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _annotator_charts(report: dict[str, Any]) -> str:
    people = report["annotators"]
    names = [p["annotator"] for p in people]
    kappas = report["agreement"]["by_annotator"]
    flagged_gold = set(report["gold"]["flagged"])
    charts = [
        bar_chart(
            names,
            [kappas.get(n, {}).get(PREFERENCE, {}).get("cohen_kappa_quadratic") for n in names],
            title="Agreement with others (preference, quadratic κ)",
            maximum=1.0,
        ),
        bar_chart(
            names,
            [p["position_bias"] for p in people],
            title="Position bias: left-shown response preferred",
            maximum=1.0,
            reference=0.5,
            highlight=[any(f.startswith("position") for f in p["flags"]) for p in people],
        ),
        bar_chart(
            names,
            [p["gold_accuracy"] for p in people],
            title="Gold accuracy",
            maximum=1.0,
            reference=report["gold"]["threshold"],
            highlight=[n in flagged_gold for n in names],
        ),
        bar_chart(
            names,
            [p["time_median_s"] for p in people],
            title="Median time on task",
            unit=" s",
        ),
    ]
    return "<h2>Annotators</h2><div class='charts'>" + "".join(charts) + "</div>"


def _annotator_table(report: dict[str, Any]) -> str:
    rows = [
        [
            p["annotator"],
            ", ".join(p["languages"]),
            str(p["annotations"]),
            fmt(p["position_bias"], 2),
            fmt(p["gold_accuracy"], 2),
            fmt(p["time_median_s"], 0),
            "; ".join(p["flags"]) or "-",
        ]
        for p in report["annotators"]
    ]
    return _table(
        ["annotator", "languages", "annotations", "left", "gold", "median s", "flags"], rows
    )


def _sections(report: dict[str, Any]) -> str:
    adj, execution, security = report["adjudication"], report["execution"], report["security"]
    gold = report["gold"]
    return "".join(
        [
            "<h2>Gold tasks</h2>",
            f"<p>{gold['answers']} answers, accuracy {fmt(gold['accuracy'], 2)} (match: "
            f"{escape(gold['match'])}); flagged below {gold['threshold']:.0%}: "
            f"<span class='flag'>{escape(', '.join(gold['flagged']) or 'none')}</span></p>",
            "<h2>Adjudication</h2>",
            f"<p>{adj['tasks_with_two_or_more']} tasks with two or more annotations, "
            f"{adj['winner_conflicts']} with opposite winners "
            f"({adj['winner_conflicts_adjudicated']} adjudicated); {adj['adjudications']} "
            f"adjudications on {adj['tasks_adjudicated']} tasks.</p>",
            _table(
                ["most disputed task", "language", "disagreement"],
                [[d["task_id"], d["language"], f"{d['score']:.2f}"] for d in adj["most_disputed"]],
            ),
            "<h2>Execution results</h2>",
            f"<p>{execution['responses_tested']} responses tested, pass rate "
            f"{fmt(execution['pass_rate'], 2)}.</p>",
            _table(EXECUTION_HEADER, execution_rows(execution)),
            "<h2>Security findings</h2>",
            f"<p>{security['findings']} findings in {security['responses_with_findings']} "
            "responses.</p>",
            _table(
                ["CWE", "title", "count"],
                [[c["cwe"], c["title"], str(c["count"])] for c in security["top_cwes"]],
            ),
            _critiques(report.get("critiques")),
            _rankings(report),
        ]
    )


def _rankings(report: dict[str, Any]) -> str:
    """Agreement on rankings and the model leaderboard (absent from older reports)."""
    agreement, board = report.get("ranking_agreement"), report.get("leaderboard")
    parts: list[str] = []
    if agreement and agreement["overall"]["n_tasks"]:
        parts += [
            "<h2>Agreement on rankings</h2>",
            _table(ranking_tables.AGREEMENT_HEADER, ranking_tables.agreement_rows(agreement)),
        ]
    if board and board["overall"]:
        parts += [
            "<h2>Model leaderboard</h2>",
            f"<p class='muted'>{escape(ranking_tables.leaderboard_note(board))}</p>",
            _table(
                ranking_tables.LEADERBOARD_HEADER, ranking_tables.leaderboard_rows(board["overall"])
            ),
        ]
        for title, part in (("language", "by_language"), ("dimension", "by_dimension")):
            for name, rows in sorted(board[part].items()):
                if rows:
                    parts += [
                        f"<h3>Leaderboard, {escape(title)} {escape(name)}</h3>",
                        _table(
                            ranking_tables.LEADERBOARD_HEADER, ranking_tables.leaderboard_rows(rows)
                        ),
                    ]
    return "".join(parts)


def _critiques(section: dict[str, Any] | None) -> str:
    if not section:
        return ""
    return "".join(
        [
            "<h2>Line comments</h2>",
            f"<p>{escape(critique_tables.summary_line(section))}</p>",
            _table(critique_tables.AGREEMENT_HEADER, critique_tables.agreement_rows(section)),
            "<h3>Most-rejected scanner rules</h3>",
            _table(critique_tables.REJECTED_HEADER, critique_tables.rejected_rows(section)),
        ]
    )
