"""The audit report as one self-contained HTML page: inline CSS, no scripts, no external
resources (it is opened from disk, offline, and may be mailed around). Every value from a
task file is escaped: prompts and code are untrusted text."""

from __future__ import annotations

from html import escape
from typing import Any

from coderlhf_tui.audit.markdown import _findings, _verdict
from coderlhf_tui.scan.signals.compute import DIMENSIONS

CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1200px;color:#1b1f24}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}.num{text-align:right}
.sev-CRITICAL,.sev-HIGH{color:#a40e26;font-weight:600}.sev-MEDIUM{color:#9a6700}
.PASSED{color:#1a7f37}.FAILED,.COMPILE_ERROR,.RUNTIME_ERROR,.TIME_LIMIT{color:#a40e26}
details{margin:.3rem 0}summary{cursor:pointer}.muted{color:#656d76}
"""


def _c(value: Any) -> str:
    if value is None:
        return '<span class="muted">–</span>'
    if isinstance(value, float):
        return f"{value:.2f}"
    return escape(str(value))


def _table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _response_detail(key: str, r: dict[str, Any]) -> str:
    findings = "".join(
        f'<li><span class="sev-{escape(f["severity"])}">{escape(f["severity"])}</span> '
        f"{escape(f['cwe'])} line {f['line']}: {escape(f['message'])} "
        f'<span class="muted">({escape(f["rule"])})</span></li>'
        for f in r["findings"]
    )
    signals = _table(
        ["dimension", "level", "score", "inputs"],
        [
            [escape(d), _c(r["signals"][d]["level"]), _c(r["signals"][d]["score"]),
             escape(str(r["signals"][d]["inputs"]))]
            for d in DIMENSIONS
        ],
    )  # fmt: skip
    verdict = escape(_verdict(r))
    return (
        f"<h4>{escape(key.upper())}: {escape(r['id'])} {_c(r['model'])} · "
        f'tests <span class="{escape(verdict.split()[0])}">{verdict}</span></h4>'
        f"<ul>{findings or '<li>no findings</li>'}</ul>{signals}"
    )


def render_html(report: dict[str, Any]) -> str:
    """The whole report as one HTML document."""
    t = report["totals"]
    summary = "".join(
        f"<li>{escape(line)}</li>"
        for line in [
            f"tasks: {t['pairs']} ({t['ranked_tasks']} ranked), responses: {t['responses']}",
            "test verdicts: " + ", ".join(f"{k} {v}" for k, v in sorted(t["tests"].items())),
            f"findings: {t['findings']} in {t['responses_flagged']} responses",
            *(f"note: {n}" for n in report["notes"]),
        ]
    )
    languages = _table(
        ["language", "tasks", "tested", "pass rate", "findings", "flagged", *DIMENSIONS],
        [
            [_c(r["language"]), _c(r["pairs"]), _c(r["tested"]), _c(r["pass_rate"]),
             _c(r["findings"]), _c(r["responses_flagged"]),
             *(_c(r["mean_scores"][d]) for d in DIMENSIONS)]
            for r in report["by_language"]
        ],
    )  # fmt: skip
    cwes = _table(
        ["CWE", "title", "findings", "responses", "max severity", "languages"],
        [
            [_c(r["cwe"]), _c(r["title"]), _c(r["findings"]), _c(r["responses"]),
             f'<span class="sev-{escape(r["max_severity"])}">{escape(r["max_severity"])}</span>',
             _c(", ".join(r["languages"]))]
            for r in report["by_cwe"]
        ],
    )  # fmt: skip
    pairs = "".join(
        f"<details><summary><b>{escape(p['task_id'])}</b> ({escape(p['language'])}) · "
        + "".join(
            f"{escape(key.upper())} {escape(_verdict(r))}, {escape(_findings(r))} · "
            for key, r in p["responses"].items()
        )
        + (
            f"auto {_c(p['automatic_preference'])} · gold {_c(p['gold'])}"
            if len(p["responses"]) == 2
            else f"ranked · auto {_c(p['automatic_ranking'])}"
        )
        + f"</summary><p class=muted>{escape(p['prompt_head'])}</p>"
        + "".join(_response_detail(key, r) for key, r in p["responses"].items())
        + "</details>"
        for p in report["pairs"]
    )
    return (
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
        f"<title>{escape(report['title'])}</title><style>{CSS}</style></head><body>"
        f"<h1>{escape(report['title'])}</h1>"
        f"<p class=muted>source {escape(report['source'])} · rule pack "
        f"{escape(report['rule_pack'])} · generated {escape(report['generated_at'])}</p>"
        "<p>Automatic signals inform the human scores; they do not replace them.</p>"
        f"<h2>Summary</h2><ul>{summary}</ul><h2>Per language</h2>{languages}"
        f"<h2>Per CWE</h2>{cwes}<h2>Tasks</h2>{pairs}</body></html>\n"
    )
