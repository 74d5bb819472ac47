"""What the annotation guide and the data card say about line comments.

The guide teaches the keys and the categories (taken from the rubric in force, so a
team's own categories appear as they configured them); the data card tells a dataset's
users what the comments are, how they are anchored, which exports carry them and how
much annotators agreed on lines (figures from the QA report's ``critiques`` section,
``line_agreement``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from coderlhf_tui.rubric import Rubric


def guide_section(rubric: Rubric) -> list[str]:
    """The guide's "Line comments" section."""
    lines = [
        "",
        "## Line comments",
        "",
        "Mark the exact lines that are wrong and say why: a comment on lines 14-16 of one",
        "response is worth more than a sentence in the rationale. In a code pane (or the diff),",
        "move to the first line, press `m`, move to the last line (keys or a click), press `m`",
        "again; in the diff `M` marks the right side. Type the comment; `up`/`down` choose the",
        "category, `shift+up`/`shift+down` the severity, `ctrl+s` saves. `n`/`N` jump between",
        "commented lines, `i` opens the comments panel (`enter` jumps, `e` edits, `delete`",
        "removes).",
        "On a scanner finding's line, `+` accepts it as a comment and `-` disputes it as a",
        "false positive; both are recorded, and disputes tell the team which rules to tune.",
        "",
        "Comment every fault you find, in both responses: a pair you commented on is read line",
        "by line, so unmarked lines count as fine. Severity: CRITICAL breaks the task or opens",
        "an exploit, HIGH is a real bug, MEDIUM a likely one or a costly inefficiency, LOW a",
        "flaw worth fixing, INFO a note that is not a fault.",
        "",
        "| category | when to use it |",
        "|---|---|",
    ]
    lines += [f"| `{name}` | {text} |" for name, text in rubric.comment_categories.items()]
    return lines


def datacard_section(report: Mapping[str, Any]) -> list[str]:
    """The data card's "Line comments" section (empty when nobody commented)."""
    section = report.get("critiques") or {}
    if not section.get("comments") and not section.get("findings", {}).get("verdicts"):
        return []
    overall = section["agreement"]["overall"].get("all", {})
    findings = section["findings"]
    f1 = overall.get("line_f1")
    lines = [
        "",
        "## Line comments",
        "",
        f"{section['comments']} line comments in {section['annotations_with_comments']} "
        "annotations: each names a line range of one response, a category, a severity and a "
        "text, and quotes the lines it is on (re-anchor by the quote if your copy of the code "
        "differs). The canonical record carries them in `comments` (with `kept` = false for "
        "comments a lead dropped in adjudication); `--format critiques` writes one record per "
        "comment with GitHub review-comment fields (`path`, `line`, `start_line`, `side`), and "
        "`--format trl-stepwise` one row per response of a commented pair, a label per "
        "non-blank line (False where a comment of severity LOW or above covers it).",
        "",
        "Agreement on lines: line-level F1 between two annotators of a task who both "
        "commented, 2|L1∩L2| / (|L1|+|L2|) over the lines each marked, pooled over task, "
        "response and annotator pair"
        + (f": **{f1:.3f}** over {overall.get('units', 0)} units." if f1 is not None else "."),
    ]
    if findings["verdicts"]:
        rate = findings["acceptance_rate"]
        lines.append("")
        lines.append(
            f"Scanner findings judged by annotators: {findings['verdicts']}, accepted "
            f"{rate:.0%}."
            + (
                " Most disputed rules: "
                + ", ".join(
                    f"`{r['rule']}` ({r['dispute']})" for r in findings["most_rejected"][:5]
                )
                if findings["most_rejected"]
                else ""
            )
        )
    return lines
