"""Spot-check samples: annotations drawn at random, stratified by language and annotator.

Every (language, annotator) stratum gets a share of the sample proportional to its size
(largest remainders), and at least one when the sample is large enough to give every
stratum one, so a quiet annotator in a small language is still looked at. The draw is
reproducible from the seed the lead chooses.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from coderlhf_tui.quality.frame import AnnotationFrame


@dataclass(frozen=True, slots=True)
class SpotCheckItem:
    """One sampled annotation."""

    task_id: str
    annotator: str
    language: str


def allocate(sizes: list[int], total: int) -> list[int]:
    """How many to draw from each stratum: proportional, largest remainder, >= 1 if possible."""
    available = sum(sizes)
    total = min(total, available)
    if total <= 0:
        return [0] * len(sizes)
    exact = [total * size / available for size in sizes]
    share = [int(e) for e in exact]
    by_remainder = sorted(range(len(sizes)), key=lambda i: (share[i] - exact[i], i))
    for i in by_remainder[: total - sum(share)]:
        share[i] += 1
    if total >= sum(1 for size in sizes if size):
        for i, size in enumerate(sizes):
            if size and not share[i]:
                donor = max(range(len(sizes)), key=lambda j: (share[j], -j))
                share[donor] -= 1
                share[i] = 1
    return share


def spot_check(
    frame: AnnotationFrame, size: int, seed: int, *, language: str | None = None
) -> list[SpotCheckItem]:
    """A stratified random sample of ``size`` counted annotations (fewer if there are fewer)."""
    rng = np.random.default_rng(seed)
    rows = np.arange(frame.size)
    if language is not None:
        code = frame.languages.index(language) if language in frame.languages else -1
        rows = rows[frame.language == code]
    strata = frame.language[rows] * max(len(frame.annotators), 1) + frame.annotator[rows]
    keys, inverse = np.unique(strata, return_inverse=True)
    members = [rows[inverse == i] for i in range(keys.size)]
    counts = allocate([m.size for m in members], size)
    picked: list[int] = []
    for group, take in zip(members, counts, strict=True):
        if take:
            picked.extend(int(r) for r in rng.choice(np.sort(group), size=take, replace=False))
    picked.sort(
        key=lambda r: (
            frame.languages[frame.language[r]],
            frame.annotators[frame.annotator[r]],
            frame.tasks[frame.task[r]],
        )
    )
    return [
        SpotCheckItem(
            task_id=frame.tasks[frame.task[r]],
            annotator=frame.annotators[frame.annotator[r]],
            language=frame.languages[frame.language[r]],
        )
        for r in picked
    ]
