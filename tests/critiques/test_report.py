"""The QA report's line comments: line-level F1 per language and category, finding verdicts."""

from __future__ import annotations

from pathlib import Path

from coderlhf_tui.critiques import from_finding
from coderlhf_tui.domain import Finding, FindingVerdict, Severity
from coderlhf_tui.quality.datacard import build_datacard
from coderlhf_tui.quality.guide import build_guide
from coderlhf_tui.quality.report import build_report
from coderlhf_tui.quality.report_html import render_html
from coderlhf_tui.quality.report_md import render_markdown
from coderlhf_tui.quality.settings import QualitySettings
from coderlhf_tui.rubric import load_rubric
from tests.critiques.helpers import comment, demo_store, submit

JS = "js-calculator-eval"


def dice(one: set[int], two: set[int]) -> tuple[int, int]:
    return 2 * len(one & two), len(one) + len(two)


def test_line_f1_and_finding_acceptance(tmp_path: Path) -> None:
    rubric = load_rubric()
    store = demo_store(tmp_path / "ws.db")
    # rate limiter (python): ak marks A 3-5 (bug), bo marks A 4-6 (bug) and B 2 (style),
    # cy left no comment (not compared)
    submit(store, rubric, "ak", [comment(store, "a", 3, 5)])
    submit(store, rubric, "bo", [comment(store, "a", 4, 6), comment(store, "b", 2, 2, "style")])
    submit(store, rubric, "cy", [])
    # calculator (javascript): the same eval line, one as a bug and one as security
    task = store.get_task(JS)
    assert task is not None
    finding = Finding("js.eval", "CWE-95", "eval", Severity.HIGH, 2, 2, "eval()")
    code_a = task.response("a").code
    agreed = from_finding(code_a, "a", finding, FindingVerdict.AGREE, "security")
    disputed = from_finding(code_a, "a", finding, FindingVerdict.DISPUTE, "security")
    submit(store, rubric, "ak", [agreed], task_id=JS)
    submit(store, rubric, "bo", [disputed, comment(store, "a", 2, 2, task_id=JS)], task_id=JS)
    report = build_report(store, rubric, QualitySettings(bootstrap=0))
    section = report["critiques"]
    agreement = section["agreement"]
    python = agreement["by_language"]["python"]
    shared, total = dice({3, 4, 5}, {4, 5, 6})
    b_shared, b_total = dice(set(), {2})
    assert python["correctness_bug"]["line_f1"] == round(shared / total, 6)
    assert python["correctness_bug"]["units"] == 1
    assert python["style"] == {"line_f1": 0.0, "mean_unit_f1": 0.0, "units": 1, "lines_marked": 1}
    assert python["all"]["line_f1"] == round((shared + b_shared) / (total + b_total), 6)
    assert python["all"]["units"] == 2
    js = agreement["by_language"]["javascript"]
    assert js["all"]["line_f1"] == 1.0  # the same line marked (the dispute marks nothing for bo)
    assert js["security"]["line_f1"] == 0.0 and js["correctness_bug"]["line_f1"] == 0.0
    overall = agreement["overall"]["all"]
    js_shared, js_total = dice({2}, {2})
    assert overall["line_f1"] == round(
        (shared + b_shared + js_shared) / (total + b_total + js_total), 6
    )
    findings = section["findings"]
    assert findings["by_rule"]["js.eval"] == {"agree": 1, "dispute": 1, "acceptance_rate": 0.5}
    assert [r["rule"] for r in findings["most_rejected"]] == ["js.eval"]
    assert section["comments"] == 5 and section["by_category"]["correctness_bug"] == 3
    markdown = render_markdown(report)
    assert "## Line comments" in markdown and "| js.eval | 1 | 1 | 0.500 |" in markdown
    assert "Most-rejected scanner rules" in render_html(report)


def test_guide_and_datacard_explain_comments(tmp_path: Path) -> None:
    rubric = load_rubric()
    guide = build_guide(rubric, examples=[])
    assert "## Line comments" in guide
    for name in rubric.comment_categories:
        assert f"| `{name}` |" in guide
    store = demo_store(tmp_path / "ws.db")
    assert "## Line comments" not in build_datacard(
        store, rubric, settings=QualitySettings(bootstrap=0)
    )
    submit(store, rubric, "ak", [comment(store, "a", 3, 5)])
    submit(store, rubric, "bo", [comment(store, "a", 4, 5)])
    card = build_datacard(store, rubric, settings=QualitySettings(bootstrap=0))
    shared, total = dice({3, 4, 5}, {4, 5})
    assert "## Line comments" in card and f"**{shared / total:.3f}** over 1 units" in card
