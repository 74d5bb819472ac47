"""The export formats by ``--format`` name, loaded only when one is used.

Why a catalog instead of importing every format: the CLI lists the formats' names and
summaries in ``--help`` and ``choices`` for every command it builds, and the formats
themselves pull in pyarrow and scipy (the HF card's agreement figures), about 0.2 s of
start-up that ``coderlhf import`` or ``coderlhf tasks`` would pay for nothing. The names
and summaries live here, once; each format module takes its summary from ``SUMMARIES``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coderlhf_tui.export.base import ExportFormat

_MODULES: dict[str, str] = {
    "jsonl": "jsonl",
    "parquet": "parquet",
    "hf": "hf",
    "trl": "trl",
    "openrlhf": "openrlhf",
    "axolotl-dpo": "axolotl_dpo",
    "axolotl-rm": "axolotl_rm",
    "critiques": "critiques",
    "trl-stepwise": "stepwise",
}
"""Each format's module under ``coderlhf_tui.export``, in the order ``--help`` lists them."""

SUMMARIES: dict[str, str] = {
    "jsonl": "canonical records (docs/formats.md), JSON Lines, one file",
    "parquet": "canonical records (docs/formats.md), one Parquet file, explicit schema",
    "hf": "Hugging Face dataset folder: data/<split>-*.parquet + README.md card",
    "trl": "TRL DPO/Reward rows: conversational chosen/rejected (+prompt), float margin",
    "openrlhf": "OpenRLHF reward/DPO rows: chosen/rejected conversations, margin",
    "axolotl-dpo": "Axolotl DPO chatml.prompt_pairs: system, prompt, chosen, rejected strings",
    "axolotl-rm": (
        "Axolotl reward model bradley_terry.chat_template: system, input, chosen, rejected"
    ),
    "critiques": "one record per line comment: prompt, response, GitHub anchor, category, text",
    "trl-stepwise": (
        "stepwise supervision: prompt, completions (code lines), labels (False = critiqued)"
    ),
}
"""One line per format, for ``--help``; the format's own ``summary``."""

FORMAT_NAMES: tuple[str, ...] = tuple(_MODULES)

RANKING_PAIR_FORMATS = ("trl", "openrlhf", "axolotl-dpo", "axolotl-rm")
"""``export-rankings`` formats that expand each ranking into chosen/rejected pairs."""
RANKING_FORMATS = (*RANKING_PAIR_FORMATS, "trl-kto", "jsonl", "parquet", "hf")
"""Every ``export-rankings --format``."""
RANKING_FOLDER_FORMATS = frozenset({*RANKING_PAIR_FORMATS, "trl-kto", "hf"})
"""The ``export-rankings`` formats that write a folder rather than one file."""


def get_format(name: str) -> ExportFormat:
    """The format called ``name``, imported now; KeyError names the known ones."""
    try:
        module = _MODULES[name]
    except KeyError:
        known = ", ".join(FORMAT_NAMES)
        raise KeyError(f"unknown format {name!r} (expected one of {known})") from None
    fmt: ExportFormat = importlib.import_module(f"coderlhf_tui.export.{module}").FORMAT
    return fmt
