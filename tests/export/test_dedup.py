"""Comparison keys: the same comparison gives the same key, a different one does not."""

from __future__ import annotations

import numpy as np

from coderlhf_tui.export.dedup import pair_keys, remember, unseen_first


def test_swapped_and_reformatted_pairs_share_a_key() -> None:
    keys = pair_keys(
        ["p", " p\n", "p", "q"],
        ["x = 1\n", "y = 2\r\n", "x = 1", "x = 1\n"],
        ["y = 2\n", "  x = 1  ", "y = 3", "y = 2\n"],
    )
    assert keys.pair[0] == keys.pair[1]  # B/A swapped, CRLF and surrounding whitespace
    assert keys.pair[0] != keys.pair[2]  # another response
    assert keys.pair[0] != keys.pair[3]  # another prompt
    assert keys.group[0] == keys.group[1] == keys.group[2] != keys.group[3]
    assert not keys.identical.any()
    assert pair_keys(["p"], ["a\r\n"], [" a"]).identical.tolist() == [True]


def test_seen_keys_stay_sorted_and_are_found() -> None:
    seen = remember(np.empty(0, np.uint64), np.array([9, 3], np.uint64))
    seen = remember(seen, np.array([5, 1], np.uint64))
    assert seen.tolist() == [1, 3, 5, 9]
    fresh = unseen_first(np.array([5, 7, 7, 10, 0], np.uint64), seen)
    assert fresh.tolist() == [False, True, False, True, True]
