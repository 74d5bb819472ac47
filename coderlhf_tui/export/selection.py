"""Which labelled pairs an export keeps (docs/export.md, "Selection").

Every rule is a reason a pair can be left out, so an export can report how many pairs
each rule removed: a dataset whose size halved should say why. The rules are checked in
the order of ``Exclusion`` and a pair is counted under the first one that applies. The
language filter is applied while reading (pairs of other languages are never read), and
repeats are found only once the whole selection is known (``dedup``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from coderlhf_tui.domain import Verdict
from coderlhf_tui.export.consensus import PageLabels
from coderlhf_tui.export.pair_agreement import PageAgreement
from coderlhf_tui.export.source import Page

FAILING_VERDICTS = frozenset(v.value for v in Verdict if v.is_failure)


class Exclusion(StrEnum):
    """Why a pair is not in an export."""

    UNLABELLED = "unlabelled"
    NOT_ADJUDICATED = "not_adjudicated"
    LOW_AGREEMENT = "low_agreement"
    TIE = "tie"
    BOTH_FAILING = "both_failing"
    IDENTICAL_RESPONSES = "identical_responses"
    DUPLICATE = "duplicate"


PAGE_RULES = tuple(Exclusion)[:-1]
"""The rules decided page by page, in order (DUPLICATE needs the whole selection)."""


@dataclass(frozen=True, slots=True)
class Selection:
    """The user's selection options plus what the format demands (``exclude_ties``).

    ``min_agreement`` compares against the pair's winner agreement; adjudicated pairs are
    exempt (the lead's decision settles the disagreement), and a pair with a single
    annotator has no agreement to show, so it is left out whenever a minimum is set.
    """

    adjudicated_only: bool = False
    min_agreement: float | None = None
    exclude_both_failing: bool = False
    languages: tuple[str, ...] = ()
    exclude_ties: bool = False


def both_failing(page: Page) -> NDArray[np.bool_]:
    """Per pair: both responses have a test run and both demonstrably fail."""
    a, b = (page.tests[key].verdict if key in page.tests else [None] * len(page) for key in "ab")
    return np.fromiter(
        (x in FAILING_VERDICTS and y in FAILING_VERDICTS for x, y in zip(a, b, strict=True)),
        np.bool_,
        len(page),
    )


def exclusions(
    page: Page,
    labels: PageLabels,
    agreement: PageAgreement,
    identical: NDArray[np.bool_],
    selection: Selection,
) -> NDArray[np.int64]:
    """Per pair, 0 to keep it or 1 + the index in ``PAGE_RULES`` of the first rule that
    leaves it out."""
    n = len(page)
    off = np.zeros(n, dtype=np.bool_)
    low = off
    if selection.min_agreement is not None:
        with np.errstate(invalid="ignore"):
            low = ~labels.adjudicated & ~(agreement.winner >= selection.min_agreement)
    conditions = {
        Exclusion.UNLABELLED: ~labels.labelled,
        Exclusion.NOT_ADJUDICATED: ~labels.adjudicated if selection.adjudicated_only else off,
        Exclusion.LOW_AGREEMENT: low,
        Exclusion.TIE: (labels.ordinal == 0) if selection.exclude_ties else off,
        Exclusion.BOTH_FAILING: both_failing(page) if selection.exclude_both_failing else off,
        Exclusion.IDENTICAL_RESPONSES: identical,
    }
    return np.asarray(
        np.select(
            [conditions[rule] for rule in PAGE_RULES],
            list(range(1, len(PAGE_RULES) + 1)),
            default=0,
        ),
        dtype=np.int64,
    )
