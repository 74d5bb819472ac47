"""``--format trl-stepwise``: per-line labels for process reward models (TRL's stepwise shape).

TRL's stepwise-supervision format is ``{prompt, completions: [step, ...], labels:
[bool, ...]}``, one label per step (Axolotl's ``stepwise_supervised`` reads the same).
Here a step is one non-blank line of a response (blank lines carry no judgement, and
the trainers join steps with a newline, which gives the code back), and its label is
False when a kept critique of severity LOW or above covers the line; INFO comments
are notes, not faults, and disputed findings say a line is fine.

Which responses: both responses of every pair on which at least one critique was
kept. A pair nobody commented on says nothing about its lines (the annotators may
not have looked line by line), so it is left out rather than labelled all-correct.
Each row also has ``id`` (pair id and response key), ``response_key`` and
``language``, which the trainers ignore.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pyarrow as pa

from coderlhf_tui.critiques import code_lines
from coderlhf_tui.domain import Severity
from coderlhf_tui.export.base import ExportContext, ExportFormat
from coderlhf_tui.export.comment_rows import SplitRowsSink, critique_comments
from coderlhf_tui.export.formats import SUMMARIES

FAULT_SEVERITIES = {s.value for s in Severity if s.rank >= Severity.LOW.rank}
"""Severities whose comments make the lines they cover wrong steps."""


def stepwise_rows(table: pa.Table) -> pa.Table:
    """Two stepwise rows (A and B) per commented pair of a table of canonical rows."""
    rows, comments = critique_comments(table)
    faults: dict[tuple[int, str], set[int]] = defaultdict(set)
    for row, comment in zip(rows.tolist(), comments.to_pylist(), strict=True):
        if comment["severity"] in FAULT_SEVERITIES:
            lines = range(comment["start_line"], comment["end_line"] + 1)
            faults[(row, comment["response"])].update(lines)
    out: dict[str, list[object]] = {
        name: [] for name in ("id", "prompt", "completions", "labels", "response_key", "language")
    }
    ids = table["id"].to_pylist()
    prompts = table["prompt"].to_pylist()
    languages = table["language"].to_pylist()
    codes = {"a": table["response_a"], "b": table["response_b"]}
    for row in np.unique(rows).tolist():
        for key in ("a", "b"):
            wrong = faults.get((row, key), set())
            steps, labels = [], []
            for number, line in enumerate(code_lines(codes[key][row].as_py()), start=1):
                if line.strip():
                    steps.append(line)
                    labels.append(number not in wrong)
            if not steps:
                continue
            out["id"].append(f"{ids[row]}:{key}")
            out["prompt"].append(prompts[row])
            out["completions"].append(steps)
            out["labels"].append(labels)
            out["response_key"].append(key)
            out["language"].append(languages[row])
    return pa.table(
        {
            "prompt": pa.array(out["prompt"], pa.string()),
            "completions": pa.array(out["completions"], pa.list_(pa.string())),
            "labels": pa.array(out["labels"], pa.list_(pa.bool_())),
            "id": pa.array(out["id"], pa.string()),
            "response_key": pa.array(out["response_key"], pa.string()),
            "language": pa.array(out["language"], pa.string()),
        }
    )


def open_sink(context: ExportContext) -> SplitRowsSink:
    """A sink writing stepwise rows."""
    return SplitRowsSink(context, stepwise_rows)


def snippet(context: ExportContext) -> str:
    """How a process reward model reads the folder."""
    return f"""\
from datasets import load_dataset
data = load_dataset("{context.out}")
# stepwise supervision: prompt (str), completions (one code line per step), labels (bool per step)
# TRL's PRMTrainer (up to TRL 0.x) and Axolotl `type: stepwise_supervised` read these columns;
# join steps with "\\n" (step_separator) to get the code back."""


FORMAT = ExportFormat(
    name="trl-stepwise",
    summary=SUMMARIES["trl-stepwise"],
    pairwise=False,
    open=open_sink,
    snippet=snippet,
)
