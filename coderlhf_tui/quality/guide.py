"""The annotation guide, generated from the rubric with worked examples from the demo tasks.

Generating it (instead of writing it by hand) keeps the guide and the rubric the app
enforces from drifting apart: change an anchor in rubric.yaml and the next guide says so.
Worked examples are the demo's gold tasks, whose known answer and note explain the call.
"""

from __future__ import annotations

from collections.abc import Sequence

from coderlhf_tui.domain import Task
from coderlhf_tui.quality.critique_docs import guide_section
from coderlhf_tui.rubric import Rubric

FENCE = {"cpp": "cpp", "c": "c", "sql": "sql", "php": "php", "go": "go", "rust": "rust"}


def demo_examples(limit: int = 4) -> list[Task]:
    """Gold tasks from the bundled demo, one per language first (at most ``limit``)."""
    from coderlhf_tui.demo import demo_tasks_path
    from coderlhf_tui.ingest import load_task_file

    path = demo_tasks_path()
    if not path.is_file():
        return []
    tasks, _ = load_task_file(path)
    gold = [t for t in tasks if t.gold is not None]
    chosen: list[Task] = []
    for task in gold:
        if task.language not in {t.language for t in chosen}:
            chosen.append(task)
    chosen += [t for t in gold if t not in chosen]
    return chosen[:limit]


def build_guide(rubric: Rubric, examples: Sequence[Task] | None = None) -> str:
    """The guide as Markdown."""
    examples = demo_examples() if examples is None else examples
    lines = [
        "# Annotation guide",
        "",
        f"Generated from the rubric ({rubric.source}, version {rubric.version}). Every "
        "annotation records the rubric version it was made under.",
        "",
        "## How to annotate a task",
        "",
        "1. Read the prompt until you could write the answer yourself.",
        "2. Read both responses. The screen may show B on the left: the app randomises the order "
        "and records it, so judge the code, not the side.",
        "3. Run the tests (`t`) and read the security findings; they are evidence, not verdicts.",
        f"4. Score each response on every dimension ({rubric.scale_min}-{rubric.scale_max}), using "
        "the anchors below.",
        "5. Choose a preference and its strength, and write a rationale a colleague could check.",
        "",
        "## The preference",
        "",
        "| preference | label | strength | when |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| `{p.preference.value}` | {p.label} | {p.strength} | {p.description} |"
        for p in rubric.preferences
    ]
    lines += ["", "## Dimensions", ""]
    for dimension in rubric.dimensions:
        lines += [
            f"### {dimension.name}",
            "",
            dimension.description,
            "",
            "| level | anchor |",
            "|---|---|",
        ]
        lines += [f"| {level} | {dimension.anchor(level)} |" for level in rubric.levels]
        lines.append("")
    lines += ["## Rationale", ""]
    if rubric.rationale_required:
        lines.append(
            f"Required on submit, at least {rubric.rationale_min_length} characters. Name the "
            "decisive difference (a failing test, a weakness, a wrong algorithm), not a summary."
        )
    else:
        lines.append("Optional, but a short reason makes adjudication much faster.")
    lines += ["", "## Tags", "", "| tag | meaning |", "|---|---|"]
    lines += [f"| `{name}` | {text} |" for name, text in sorted(rubric.tags.items())]
    lines += guide_section(rubric)
    if rubric.style_guides:
        lines += ["", "## Style guides by language", ""]
        lines += [
            f"- {lang}: {', '.join(guides)}" for lang, guides in sorted(rubric.style_guides.items())
        ]
    if examples:
        lines += ["", "## Worked examples", ""]
        for task in examples:
            lines += _example(task)
    return "\n".join(lines) + "\n"


def _example(task: Task) -> list[str]:
    assert task.gold is not None
    fence = FENCE.get(task.language.value, task.language.value)
    out = [
        f"### {task.id} ({task.language.value})",
        "",
        "**Prompt.** " + task.prompt.strip(),
        "",
    ]
    for key, response in zip("AB", task.responses, strict=True):
        out += [f"**Response {key}**", "", f"```{fence}", response.code.rstrip(), "```", ""]
    tags = task.metadata.get("tags")
    verdicts = task.metadata.get("expected_verdicts")
    out.append(f"**Answer: `{task.gold.preference.value}`.** {task.gold.note}".rstrip())
    if isinstance(verdicts, dict):
        out.append(
            "Tests: " + ", ".join(f"{k.upper()} {v}" for k, v in sorted(verdicts.items())) + "."
        )
    if isinstance(tags, dict):
        named = [f"{k.upper()}: {', '.join(v)}" for k, v in sorted(tags.items()) if v]
        if named:
            out.append("Tags: " + "; ".join(named) + ".")
    out.append("")
    return out
