"""Which labelled pairs an export keeps (docs/export.md, "Selection").

Every rule is a reason a pair can be left out, so an export can report how many pairs
each rule removed: a dataset whose size halved should say why.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from coderlhf_tui.domain import Verdict
from coderlhf_tui.export.consensus import Label
from coderlhf_tui.export.pair_agreement import PairAgreement
from coderlhf_tui.export.source import PairSource


class Exclusion(StrEnum):
    """Why a pair is not in an export."""

    UNLABELLED = "unlabelled"
    LANGUAGE = "language"
    NOT_ADJUDICATED = "not_adjudicated"
    LOW_AGREEMENT = "low_agreement"
    TIE = "tie"
    BOTH_FAILING = "both_failing"
    IDENTICAL_RESPONSES = "identical_responses"
    DUPLICATE = "duplicate"


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


def both_failing(source: PairSource) -> bool:
    """True when both responses have a test run and both demonstrably fail."""
    runs = [source.tests.get(key) for key in ("a", "b")]
    return all(run is not None and Verdict(run.verdict).is_failure for run in runs)


def exclusion(
    source: PairSource,
    label: Label | None,
    agreement: PairAgreement,
    selection: Selection,
) -> Exclusion | None:
    """The first rule that leaves this pair out, or None to keep it."""
    if label is None:
        return Exclusion.UNLABELLED
    if selection.languages and source.language not in selection.languages:
        return Exclusion.LANGUAGE
    adjudicated = label.source == "adjudication"
    if selection.adjudicated_only and not adjudicated:
        return Exclusion.NOT_ADJUDICATED
    if (
        selection.min_agreement is not None
        and not adjudicated
        and (agreement.winner is None or agreement.winner < selection.min_agreement)
    ):
        return Exclusion.LOW_AGREEMENT
    if selection.exclude_ties and label.preference.strength == 0:
        return Exclusion.TIE
    if selection.exclude_both_failing and both_failing(source):
        return Exclusion.BOTH_FAILING
    return None
