"""The ranking sections of the QA report as tables, shared by the Markdown and HTML views.

Rows only (header + cells as strings): each view draws tables its own way, and both show
the same figures (``ranking_agreement`` and ``leaderboard`` compute them).
"""

from __future__ import annotations

from typing import Any

AGREEMENT_HEADER = ["slice", "tasks (2+)", "Kendall's W", "α (ordinal)", "pair agreement"]
LEADERBOARD_HEADER = [
    "#",
    "model",
    "rating",
    "95% CI",
    "comparisons",
    "win rate",
    "pass rate",
    "finding rate",
]


def _figure(value: Any, ci: list[float] | None = None) -> str:
    text = "-" if value is None else f"{value:.3f}"
    if ci and value is not None:
        text += f" [{ci[0]:.2f}, {ci[1]:.2f}]"
    return text


def agreement_rows(section: dict[str, Any]) -> list[list[str]]:
    """Overall, then per language, then per task type."""
    slices = [("all", section["overall"])]
    slices += [(f"language {k}", v) for k, v in sorted(section["by_language"].items())]
    slices += [(f"task type {k}", v) for k, v in sorted(section["by_task_type"].items())]
    return [
        [
            name,
            str(figures["n_tasks"]),
            *(
                _figure(figures[stat], figures.get("ci95", {}).get(stat))
                for stat in ("kendall_w", "krippendorff_alpha_ordinal", "pair_agreement")
            ),
        ]
        for name, figures in slices
    ]


def leaderboard_rows(rows: list[dict[str, Any]]) -> list[list[str]]:
    """One leaderboard table (overall, one language or one dimension)."""
    return [
        [
            str(r["rank"]),
            r["model"],
            f"{r['rating']:.0f}",
            f"{r['ci95'][0]:.0f}..{r['ci95'][1]:.0f}" if "ci95" in r else "-",
            f"{r['comparisons']:g}",
            _figure(r["win_rate"]),
            _figure(r["pass_rate"]),
            _figure(r["finding_rate"]),
        ]
        for r in rows
    ]


def leaderboard_note(section: dict[str, Any]) -> str:
    """How the ratings were made, in one sentence."""
    settings = section["settings"]
    return (
        "Bradley-Terry ratings on the Elo scale (1000 = the geometric mean model) from every "
        "pairwise preference and every pair within a ranking, ties as half wins; intervals: "
        f"{settings['bootstrap']} bootstrap resamples of tasks within languages, seed "
        f"{settings['seed']}. Pass rate: responses whose tests pass, of those tested; "
        "finding rate: responses with a security finding, of those scanned."
    )
