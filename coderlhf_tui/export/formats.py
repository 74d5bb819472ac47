"""The export formats by ``--format`` name."""

from __future__ import annotations

from coderlhf_tui.export import (
    axolotl_dpo,
    axolotl_rm,
    critiques,
    hf,
    jsonl,
    openrlhf,
    parquet,
    stepwise,
    trl,
)
from coderlhf_tui.export.base import ExportFormat

FORMATS: dict[str, ExportFormat] = {
    fmt.name: fmt
    for fmt in (
        jsonl.FORMAT,
        parquet.FORMAT,
        hf.FORMAT,
        trl.FORMAT,
        openrlhf.FORMAT,
        axolotl_dpo.FORMAT,
        axolotl_rm.FORMAT,
        critiques.FORMAT,
        stepwise.FORMAT,
    )
}


def get_format(name: str) -> ExportFormat:
    """The format called ``name``; KeyError names the known ones."""
    try:
        return FORMATS[name]
    except KeyError:
        raise KeyError(f"unknown format {name!r} (expected one of {', '.join(FORMATS)})") from None
