"""``--format jsonl``: the canonical record, one JSON object a line, in one file.

Every column of docs/formats.md is kept, ties included; ``split`` says which side of the
train/test split each row is on.
"""

from __future__ import annotations

from coderlhf_tui.export.base import ExportContext, ExportFormat
from coderlhf_tui.export.files import JsonlFile, OneFileSink, reading_snippet
from coderlhf_tui.export.formats import SUMMARIES


def open_sink(context: ExportContext) -> OneFileSink:
    """A sink writing one JSON Lines file of canonical records."""
    return OneFileSink(JsonlFile(context.out))


def snippet(context: ExportContext) -> str:
    """How to read the file back."""
    return reading_snippet(context, "json", f"read_json_auto('{context.out}')")


FORMAT = ExportFormat(
    name="jsonl",
    summary=SUMMARIES["jsonl"],
    pairwise=False,
    open=open_sink,
    snippet=snippet,
)
