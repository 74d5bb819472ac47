"""Python's cyclic garbage collector held off while a comment is marked and written.

Painting allocates heavily (every rendered line is a new strip with its own small
caches), so automatic collections fire many times a second while keys are pressed, and
now and then a full one: 50 to 100 ms of the main thread, landing on whichever key
happened to cross the threshold. The keys that open the comment editor and save the
comment paint the most, so they caught most of those pauses (BENCHMARKS.md, issue 15).
From the first ``m`` until the comment is saved or dropped, automatic collection is
paused; it resumes, with one young-generation collection, ``RESUME_AFTER_S`` after the
last key, when the app is idle. Reference counting still frees everything that is not a
cycle in between, and the hold ends by itself after ``LONGEST_HOLD_S`` whatever happens,
so an editor left open does not grow the heap without bound. If collection was already
off (a caller's own choice), it is left off.
"""

from __future__ import annotations

import gc
from collections.abc import Callable

RESUME_AFTER_S = 0.25
"""How long after the last release collection resumes (after the key's paint)."""

LONGEST_HOLD_S = 120.0
"""A hold ends by itself after this long."""

Schedule = Callable[[float, Callable[[], None]], object]
"""Runs a callback after a delay on the UI loop (an app's ``set_timer``)."""

_holders: set[str] = set()
_paused = False
"""Whether collection is off because of a hold (not because someone else turned it off)."""
_pause_number = 0
"""Counts pauses, so the expiry of an earlier pause leaves a later one alone."""


def hold(owner: str, schedule: Schedule) -> None:
    """Pause automatic collection until ``owner`` and every other holder released it."""
    global _paused, _pause_number
    _holders.add(owner)
    if not _paused and gc.isenabled():
        gc.disable()
        _paused = True
        _pause_number += 1
        number = _pause_number
        schedule(LONGEST_HOLD_S, lambda: _expire(number))


def release(owner: str, schedule: Schedule) -> None:
    """``owner`` is done; collection resumes shortly after the last holder is done."""
    if owner not in _holders:
        return
    _holders.discard(owner)
    if not _holders:
        schedule(RESUME_AFTER_S, _resume)


def release_now(owner: str) -> None:
    """``owner`` is going away: resume at once if it was the last holder."""
    _holders.discard(owner)
    _resume()


def holding() -> bool:
    """Whether collection is paused by a hold."""
    return _paused


def _resume() -> None:
    global _paused
    if _holders or not _paused:
        return
    _paused = False
    gc.enable()
    gc.collect(0)


def _expire(number: int) -> None:
    if number == _pause_number:
        _holders.clear()
        _resume()
