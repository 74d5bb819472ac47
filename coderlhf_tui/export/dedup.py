"""Identical pairs: keys that recognise the same comparison twice, and degenerate pairs.

Two tasks compare the same thing when their prompts match (surrounding whitespace
stripped) and they hold the same two responses, in either order (A/B swapped is still the same
comparison); responses are compared with line endings unified and surrounding
whitespace stripped. Such a repeat is removed, keeping the first in import order,
because a duplicate weighs one judgement twice and can land on both sides of the
train/test split. A pair whose two responses are identical teaches a trainer nothing and
is removed too.

Keys are 64-bit BLAKE2b digests held in NumPy arrays, 8 bytes a pair, so remembering
every key of a large export costs little memory. The code, the bulk of the bytes, is
hashed once per response (SHA-1, which runs on the CPU's SHA instructions where BLAKE2b
has none, with nothing joined or copied first); the comparison key hashes the prompt
group and the two code digests in sorted order, so A/B swapped gives the same key. The
kept keys stay sorted, so a page is checked against them by binary search and merged in
by one linear merge.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


def normalized_code(text: str) -> str:
    """Code with line endings unified and surrounding whitespace stripped."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def normalized_prompt(text: str) -> str:
    """A prompt with surrounding whitespace stripped."""
    return text.strip()


def digest64(*parts: str) -> bytes:
    """An 8-byte BLAKE2b digest of the parts (NUL-separated, so ("ab","c") != ("a","bc"))."""
    data = "\x00".join(parts).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=8).digest()


def as_keys(digests: list[bytes]) -> NDArray[np.uint64]:
    """Digests as an array of unsigned 64-bit keys."""
    return np.frombuffer(b"".join(digests), dtype="<u8").astype(np.uint64)


@dataclass(slots=True)
class PairKeys:
    """Per pair of a page: its comparison key, its prompt group, whether A == B."""

    pair: NDArray[np.uint64]
    group: NDArray[np.uint64]
    identical: NDArray[np.bool_]


def pair_keys(prompts: Sequence[str], codes_a: Sequence[str], codes_b: Sequence[str]) -> PairKeys:
    """The keys of every pair of a page."""
    pairs: list[bytes] = []
    groups: list[bytes] = []
    identical: list[bool] = []
    for prompt, raw_a, raw_b in zip(prompts, codes_a, codes_b, strict=True):
        code_a, code_b = normalized_code(raw_a), normalized_code(raw_b)
        group = digest64(normalized_prompt(prompt))
        identical.append(code_a == code_b)
        low, high = sorted((_code_digest(code_a), _code_digest(code_b)))
        pairs.append(hashlib.blake2b(group + low + high, digest_size=8).digest())
        groups.append(group)
    return PairKeys(as_keys(pairs), as_keys(groups), np.array(identical, dtype=np.bool_))


def _code_digest(code: str) -> bytes:
    return hashlib.sha1(code.encode("utf-8", "surrogatepass"), usedforsecurity=False).digest()


def prompt_group_keys(prompts: Sequence[str]) -> NDArray[np.uint64]:
    """The group key of each prompt (the same key ``pair_keys`` gives its pairs)."""
    return as_keys([digest64(normalized_prompt(prompt)) for prompt in prompts])


def contains(sorted_keys: NDArray[np.uint64], keys: NDArray[np.uint64]) -> NDArray[np.bool_]:
    """Per key, whether it is in ``sorted_keys`` (binary search)."""
    if not len(sorted_keys):
        return np.zeros(len(keys), dtype=np.bool_)
    at = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return np.asarray(sorted_keys[at] == keys, dtype=np.bool_)


def unseen_first(keys: NDArray[np.uint64], seen: NDArray[np.uint64]) -> NDArray[np.bool_]:
    """True where a key is neither in ``seen`` (sorted) nor earlier in ``keys``."""
    mask = np.zeros(len(keys), dtype=np.bool_)
    if len(keys):
        _, first = np.unique(keys, return_index=True)
        mask[first] = True
        mask &= ~contains(seen, keys)
    return mask


def remember(seen: NDArray[np.uint64], keys: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """``seen`` (sorted) with ``keys`` (new, distinct) merged in, still sorted."""
    merged = np.concatenate((seen, np.sort(keys)))
    merged.sort(kind="stable")  # two sorted runs: one linear merge
    return merged
