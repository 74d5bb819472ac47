"""Which two responses the lead screen's panes show, as keys pick them.

A pairwise task shows A and B. On a ranked task the lead presses ``1``..``8``: the
response picked joins the one picked just before it (picking one already in view keeps
it and makes it the latest), and the two are shown in key order, the earlier letter on
the left, so the panes never swap sides as picks alternate and any two of up to eight
responses are at most two keys away.
"""

from __future__ import annotations

from coderlhf_tui.domain import ResponseKey

PANES = ("left", "right")
"""The panes' names in widget ids (``lead-code-left`` ...)."""

Picks = tuple[ResponseKey, ResponseKey]
"""The two responses in view, the one picked last second."""


def picked(picks: Picks, key: ResponseKey) -> Picks:
    """The picks after pressing ``key``."""
    return picks if key == picks[1] else (picks[1], key)


def in_panes(picks: Picks) -> Picks:
    """The picked responses as the panes show them, left to right."""
    first, second = sorted(picks)
    return first, second
