"""Identical pairs: keys that recognise the same comparison twice, and degenerate pairs.

Two tasks compare the same thing when their prompts match and they hold the same two
responses, in either order (A/B swapped is still the same comparison). Trailing
whitespace, line endings and surrounding blank lines are not differences. Such a
repeat is removed, keeping the first in import order, because a duplicate weighs one
judgement twice and can land on both sides of the train/test split. A pair whose two
responses are identical teaches a trainer nothing and is removed too.

Keys are 64-bit BLAKE2b digests held in NumPy arrays, 8 bytes a pair, so remembering
every key of a large export costs little memory.
"""

from __future__ import annotations

import hashlib

import numpy as np
from numpy.typing import NDArray


def normalized_code(text: str) -> str:
    """Code with line endings unified, trailing spaces and surrounding blank lines dropped."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def normalized_prompt(text: str) -> str:
    """A prompt with every run of whitespace collapsed to one space."""
    return " ".join(text.split())


def digest64(*parts: str) -> int:
    """A 64-bit BLAKE2b digest of the parts (separated so that ("ab","c") != ("a","bc"))."""
    hasher = hashlib.blake2b(digest_size=8)
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogatepass"))
        hasher.update(b"\x00")
    return int.from_bytes(hasher.digest(), "little")


def identical_responses(code_a: str, code_b: str) -> bool:
    """True when the two responses are the same code."""
    return normalized_code(code_a) == normalized_code(code_b)


def pair_key(prompt: str, code_a: str, code_b: str) -> int:
    """The key of a comparison, the same whichever response is A."""
    first, second = sorted((normalized_code(code_a), normalized_code(code_b)))
    return digest64(normalized_prompt(prompt), first, second)


def prompt_key(prompt: str) -> int:
    """The key that groups pairs asking the same prompt (for the split)."""
    return digest64(normalized_prompt(prompt))


def first_occurrences(keys: NDArray[np.uint64]) -> NDArray[np.bool_]:
    """A mask that is True at the first position of every distinct key."""
    mask = np.zeros(len(keys), dtype=np.bool_)
    if len(keys):
        _, first = np.unique(keys, return_index=True)
        mask[first] = True
    return mask
