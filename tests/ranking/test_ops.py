"""Ranking edits the screen makes: move up/down, tie with the one above, untie."""

from __future__ import annotations

from coderlhf_tui.ranking import move_down, move_up, parse_ranking, tie_with_above, untie


def test_moves_ties_and_unties() -> None:
    r = parse_ranking("a>b=c>d")
    assert move_up(r, "d") == parse_ranking("a>d>b=c")
    assert move_up(r, "c") == parse_ranking("a>c>b>d")  # out of its group, just above
    assert move_up(r, "a") == r  # already first
    assert move_down(r, "a") == parse_ranking("b=c>a>d")
    assert move_down(r, "b") == parse_ranking("a>c>b>d")
    assert move_down(r, "d") == r
    assert tie_with_above(r, "d") == parse_ranking("a>b=c=d")
    assert tie_with_above(r, "a") == r
    assert tie_with_above(parse_ranking("a>b"), "b") == parse_ranking("a=b")
    assert untie(r, "b") == parse_ranking("a>c>b>d")
    assert untie(r, "d") == r
