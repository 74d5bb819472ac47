"""Rankings with ties: checking them, reading them as ranks, and turning them into pairs.

A ranking is a list of tie groups of response keys, best first (``[["c"], ["a", "d"],
["b"]]`` reads C > A = D > B). It is plain JSON, so no parser is needed to store or sync
it; the short text form ``c>a=d>b`` is only for people (the CLI and the screens).

Everything that consumes rankings - agreement, the leaderboard, export, the consistency
checks, the ranking screen - goes through these functions, so "rank", "gap" and "derived
pair" mean the same thing everywhere (docs/formats.md, docs/export.md). Pure: imports
only the domain.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from coderlhf_tui.domain import RANKED_KEYS, Annotation, Preference, Ranking


class PairMode(StrEnum):
    """Which pairs a ranking yields for the pairwise trainers."""

    ALL = "all"
    """Every two responses in different tie groups."""
    BEST_VS_REST = "best-vs-rest"
    """Each response of the top group against every response below it."""


@dataclass(frozen=True, slots=True)
class DerivedPair:
    """One comparison a ranking implies: ``better`` is ranked above ``worse``.

    ``gap`` is how many tie groups apart they are (1 for neighbours); ``strength`` is the
    gap on the pairwise scale, 1 ("better") or 2 ("much better", two groups or more).
    """

    better: str
    worse: str
    gap: int

    @property
    def strength(self) -> int:
        """1 for neighbouring groups, 2 for two groups apart or more."""
        return min(self.gap, 2)


def ranking_problems(
    ranking: object, keys: Sequence[str], *, complete: bool = True
) -> list[tuple[str, str]]:
    """What is wrong with ``ranking`` as a ranking of ``keys``: (where, message) pairs.

    ``where`` is "" or a group's index as ``[i]``; with ``complete`` every key must be
    ranked. An empty list means the ranking is right.
    """
    if not isinstance(ranking, list) or not ranking:
        return [("", 'expected a non-empty array of tie groups, e.g. [["c"], ["a", "d"]]')]
    seen: set[str] = set()
    problems: list[tuple[str, str]] = []
    for index, group in enumerate(ranking):
        where = f"[{index}]"
        if not isinstance(group, list) or not group:
            problems.append((where, "expected a non-empty array of response keys"))
            continue
        for key in group:
            if not isinstance(key, str) or key not in keys:
                problems.append((where, f"unknown response {key!r} (expected {', '.join(keys)})"))
            elif key in seen:
                problems.append((where, f"response {key!r} appears twice"))
            else:
                seen.add(key)
    missing = [key for key in keys if key not in seen]
    if complete and missing and not problems:
        problems.append(("", f"responses not ranked: {', '.join(missing)}"))
    return problems


def group_of(ranking: Ranking) -> dict[str, int]:
    """Each key's tie group, 0 for the best."""
    return {key: index for index, group in enumerate(ranking) for key in group}


def mid_ranks(ranking: Ranking) -> dict[str, float]:
    """Each key's rank, 1 for the best, ties sharing the mean of the places they take.

    C > A = D > B gives C 1, A 2.5, D 2.5, B 4: the usual convention for rank statistics
    (Kendall's W, Spearman), so a tie costs no rank mass.
    """
    out: dict[str, float] = {}
    place = 1
    for group in ranking:
        shared = place + (len(group) - 1) / 2
        for key in group:
            out[key] = shared
        place += len(group)
    return out


def derived_pairs(ranking: Ranking, mode: PairMode = PairMode.ALL) -> Iterator[DerivedPair]:
    """The comparisons a ranking implies, better first; tied responses make no pair."""
    last = 1 if mode is PairMode.BEST_VS_REST else len(ranking)
    for upper in range(min(last, len(ranking))):
        for lower in range(upper + 1, len(ranking)):
            for better in sorted(ranking[upper]):
                for worse in sorted(ranking[lower]):
                    yield DerivedPair(better, worse, lower - upper)


def relation(ranking: Ranking, first: str, second: str) -> int:
    """-1 when ``first`` is ranked above ``second``, 1 when below, 0 when tied."""
    groups = group_of(ranking)
    difference = groups[first] - groups[second]
    return (difference > 0) - (difference < 0)


def pair_preference(ranking: Ranking, first: str = "a", second: str = "b") -> Preference:
    """How the ranking orders two responses, on the five-level preference scale.

    Used where a pairwise field must be filled for a ranked task (an adjudication's
    ``preference`` says how the final ranking orders A and B).
    """
    groups = group_of(ranking)
    gap = groups[second] - groups[first]
    sign = -1 if gap > 0 else 1 if gap < 0 else 0
    return Preference.from_ordinal(sign * min(abs(gap), 2))


def format_ranking(ranking: Ranking) -> str:
    """The short text form, ``c>a=d>b``."""
    return ">".join("=".join(group) for group in ranking)


def parse_ranking(text: str) -> Ranking:
    """The inverse of ``format_ranking``; raises ValueError on an empty group."""
    groups = [[key.strip() for key in part.split("=")] for part in text.strip().split(">")]
    if any(not key for group in groups for key in group):
        raise ValueError(f"empty response key in ranking {text!r}")
    return groups


def from_order(order: Sequence[str], tied_with_above: Sequence[bool]) -> Ranking:
    """A ranking from a list order and, per position, whether it ties with the one above.

    The ranking screen keeps its state this way: moving and tying are list operations,
    and this turns the list back into tie groups.
    """
    ranking: Ranking = []
    for key, tied in zip(order, tied_with_above, strict=True):
        if tied and ranking:
            ranking[-1].append(key)
        else:
            ranking.append([key])
    return ranking


def judgement_problem(annotation: Annotation, n_responses: int) -> str | None:
    """Why an annotation does not fit its task's kind (``field: message``), or None.

    A pairwise task takes a preference, a ranked task (more than two responses) a full
    ranking of its responses; scores only for responses the task has.
    """
    keys = RANKED_KEYS[:n_responses]
    if n_responses <= 2 and annotation.ranking is not None:
        return "ranking: a pairwise task takes a preference, not a ranking"
    if n_responses > 2 and annotation.preference is not None:
        return "preference: a ranked task takes a ranking (tie groups of keys), not a preference"
    if len(annotation.shown_order) != n_responses:
        return f"shown_order: {annotation.shown_order!r} is not an order of {''.join(keys)}"
    for key in annotation.scores:
        if key not in keys:
            return f"scores.{key}: the task has responses {', '.join(keys)} only"
    if annotation.ranking is not None:
        problems = ranking_problems(annotation.ranking, keys)
        if problems:
            where, message = problems[0]
            return f"ranking{where}: {message}"
    return None


def consensus_ranking(rankings: Sequence[Ranking], keys: Sequence[str]) -> Ranking:
    """Several annotators' rankings as one: responses ordered by their mean mid-rank.

    Responses with the same mean rank share a tie group, so annotators who disagree
    about two responses leave them tied (disagreement weakens a label, as the pairwise
    label rule in docs/export.md does).
    """
    totals = dict.fromkeys(keys, 0.0)
    for judged in rankings:
        for key, rank in mid_ranks(judged).items():
            totals[key] += rank
    ordered = sorted(keys, key=lambda key: (totals[key], key))
    ranking: Ranking = []
    previous: float | None = None
    for key in ordered:
        if previous is not None and abs(totals[key] - previous) < 1e-9:
            ranking[-1].append(key)
        else:
            ranking.append([key])
        previous = totals[key]
    return ranking


def move_up(ranking: Ranking, key: str) -> Ranking:
    """One place up: out of its tie group to just above it, or above the group above."""
    group = group_of(ranking)[key]
    if len(ranking[group]) > 1:
        rest = [[k for k in g if k != key] for g in ranking]
        return [*rest[:group], [key], *rest[group:]]
    if group == 0:
        return [list(g) for g in ranking]
    out = [list(g) for g in ranking]
    out[group - 1], out[group] = out[group], out[group - 1]
    return out


def move_down(ranking: Ranking, key: str) -> Ranking:
    """One place down: out of its tie group to just below it, or below the group below."""
    group = group_of(ranking)[key]
    if len(ranking[group]) > 1:
        rest = [[k for k in g if k != key] for g in ranking]
        return [*rest[: group + 1], [key], *rest[group + 1 :]]
    if group == len(ranking) - 1:
        return [list(g) for g in ranking]
    out = [list(g) for g in ranking]
    out[group], out[group + 1] = out[group + 1], out[group]
    return out


def tie_with_above(ranking: Ranking, key: str) -> Ranking:
    """Join the tie group above (nothing changes for a response in the top group)."""
    group = group_of(ranking)[key]
    if group == 0:
        return [list(g) for g in ranking]
    out = [list(g) for g in ranking]
    out[group].remove(key)
    out[group - 1].append(key)
    return [g for g in out if g]


def untie(ranking: Ranking, key: str) -> Ranking:
    """Leave a tie group, to just below it (nothing changes for a response on its own)."""
    return move_down(ranking, key) if len(ranking[group_of(ranking)[key]]) > 1 else ranking


@lru_cache(maxsize=4096)
def _ranks_of_shape(
    shape: tuple[tuple[str, ...], ...],
) -> tuple[tuple[str, ...], tuple[float, ...]]:
    ranks = mid_ranks([list(group) for group in shape])
    keys = tuple(sorted(ranks))
    return keys, tuple(ranks[key] for key in keys)


def ranks_by_key(ranking: Ranking) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """The ranked keys in key order and their mid-ranks, cached by the ranking's shape:
    a workspace repeats a few dozen rankings of four responses many thousand times."""
    return _ranks_of_shape(tuple(map(tuple, ranking)))
