"""Blind presentation: which response the screen shows on the left, and the mapping back.

The order is random per (annotator, task) so position bias averages out across a team,
yet deterministic (a hash, no stored seed) so a reopened task shows the same sides. The
stored annotation is always in the task's A/B terms; only the screen speaks left/right.
"""

from __future__ import annotations

import hashlib
from typing import Literal

from coderlhf_tui.domain import Preference, ResponseKey

Side = Literal["left", "right"]
"""A position on the screen."""

SIDES: tuple[Side, Side] = ("left", "right")


def blind_order(annotator: str, task_id: str) -> str:
    """'ab' (A shown left) or 'ba' (B shown left), fixed for this annotator and task."""
    digest = hashlib.sha256(f"{annotator}\x00{task_id}".encode()).digest()
    return "ab" if digest[0] % 2 == 0 else "ba"


class SideMap:
    """Translates between screen sides and task response keys for one shown order."""

    def __init__(self, shown_order: str) -> None:
        if shown_order not in ("ab", "ba"):
            raise ValueError(f"shown_order must be 'ab' or 'ba', not {shown_order!r}")
        self.shown_order = shown_order

    def key(self, side: Side) -> ResponseKey:
        """The task response shown on ``side``."""
        first: ResponseKey = "a" if self.shown_order == "ab" else "b"
        second: ResponseKey = "b" if first == "a" else "a"
        return first if side == "left" else second

    def side(self, key: ResponseKey) -> Side:
        """The screen side showing response ``key``."""
        return "left" if self.key("left") == key else "right"

    def to_task(self, screen_ordinal: int) -> Preference:
        """A screen preference (-2 left much better .. +2 right much better) in task terms."""
        preference = Preference.from_ordinal(screen_ordinal)
        return preference if self.shown_order == "ab" else preference.mirrored()

    def to_screen(self, preference: Preference) -> int:
        """The screen ordinal (-2 .. +2, negative = left better) of a task preference."""
        return preference.ordinal if self.shown_order == "ab" else -preference.ordinal
