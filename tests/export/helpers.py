"""Running an export in a test and reading its canonical rows back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from coderlhf_tui.export.formats import get_format
from coderlhf_tui.export.pipeline import ExportOptions, ExportSummary, run_export
from coderlhf_tui.rubric import Rubric


def export_rows(
    db: Path, out: Path, rubric: Rubric, options: ExportOptions | None = None
) -> tuple[ExportSummary, dict[str, dict[str, Any]]]:
    """Export canonical Parquet; its rows by task id."""
    summary = run_export(db, get_format("parquet"), out, rubric, options)
    rows = pq.read_table(out).to_pylist()
    return summary, {row["task_id"]: row for row in rows}
