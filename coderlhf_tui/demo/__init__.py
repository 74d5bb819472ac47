"""The bundled demo tasks: the first thing a new user annotates."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def demo_tasks_path() -> Path:
    """The demo task file inside the installed package."""
    return Path(str(resources.files("coderlhf_tui.demo").joinpath("tasks.jsonl")))


def demo_ranked_tasks_path() -> Path:
    """The demo's ranked tasks (four responses each, docs/formats.md), a file of their own
    so that everything reading the pairwise demo keeps reading exactly two responses."""
    return Path(str(resources.files("coderlhf_tui.demo").joinpath("ranked_tasks.jsonl")))
