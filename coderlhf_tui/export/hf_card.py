"""The README.md dataset card of a Hugging Face dataset folder.

Its YAML front matter is what ``datasets.load_dataset(folder)`` and the Hub read:
``configs`` maps each split to its Parquet files, and ``license``, ``task_categories``,
``tags`` and ``size_categories`` describe the dataset. The body is the quality data card
(``quality.datacard``) when the caller passes one, and a short description of the
columns and rules otherwise. The data card's own front matter is merged in: this module
owns ``configs``, ``size_categories`` (of the rows exported, not of the workspace) and
``license``; ``tags`` and ``task_categories`` are the union of both; the card's other
keys are kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from coderlhf_tui.export.base import ExportContext

SIZE_BOUNDS: tuple[tuple[int, str], ...] = (
    (1_000, "n<1K"),
    (10_000, "1K<n<10K"),
    (100_000, "10K<n<100K"),
    (1_000_000, "100K<n<1M"),
    (10_000_000, "1M<n<10M"),
    (100_000_000, "10M<n<100M"),
    (1_000_000_000, "100M<n<1B"),
)


UNION_KEYS = ("task_categories", "tags")
"""Front-matter lists merged with the data card's instead of replacing them."""


def size_category(rows: int) -> str:
    """The Hub's size bucket for a row count."""
    for bound, name in SIZE_BOUNDS:
        if rows < bound:
            return name
    return "n>1T" if rows >= 10**12 else "1B<n<10B"


def front_matter(context: ExportContext, counts: Mapping[str, int]) -> dict[str, Any]:
    """The card's YAML keys."""
    splits = [split for split in ("train", "test") if counts.get(split)]
    return {
        "license": context.license,
        "task_categories": ["text-generation", "text-classification"],
        "tags": ["code", "rlhf", "preference", "dpo", "reward-modeling", "coderlhf"],
        "size_categories": [size_category(sum(counts.values()))],
        "pretty_name": "coderlhf code preference pairs",
        "configs": [
            {
                "config_name": "default",
                "data_files": [{"split": split, "path": f"data/{split}-*"} for split in splits],
            }
        ],
    }


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """A markdown document's YAML front matter (or {}) and its body."""
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            data = yaml.safe_load(text[4:end]) or {}
            body = text[end + 4 :].lstrip("\n")
            if isinstance(data, dict):
                return data, body
    return {}, text


def default_body(context: ExportContext, counts: Mapping[str, int]) -> str:
    """A short card body for when no quality data card exists yet."""
    notes = "".join(f"- {note}\n" for note in context.selection_notes) or "- none\n"
    split_lines = "".join(f"- {split}: {n} pairs\n" for split, n in counts.items() if n)
    dims = ", ".join(context.dimensions)
    return f"""\
# coderlhf code preference pairs

Pairs of AI-written code responses to one prompt, judged by senior engineers: a
five-level preference (A>>B, A>B, tie, B>A, B>>A), per-response scores on {dims},
a written rationale, and the automatic evidence (test verdicts, security findings).

## Splits

{split_lines}
Grouped by prompt (no prompt is in both splits) and stratified by language.

## Labels

`chosen` (a, b or tie), `preference`, `strength` (0..2) and `margin` come from the
lead's adjudication where there is one, otherwise from the median of the annotators'
preferences (halves rounded toward tie). Every annotator's own judgement is kept in
`annotations`; `agreement` gives the pair's inter-annotator agreement. `comments` holds
the annotators' line comments (a line range of one response, category, severity, text,
the quoted lines; `kept` is false for comments the lead dropped).

## Selection

{notes}"""


def card_text(context: ExportContext, counts: Mapping[str, int]) -> str:
    """The whole README.md."""
    keys = front_matter(context, counts)
    body = default_body(context, counts)
    if context.card:
        theirs, body = split_front_matter(context.card)
        for name in UNION_KEYS:
            merged = [*theirs.get(name, []), *keys[name]]
            keys[name] = list(dict.fromkeys(merged))
        keys = {**theirs, **keys}
    header = yaml.safe_dump(keys, sort_keys=False, allow_unicode=True)
    return f"---\n{header}---\n\n{body.rstrip()}\n"
