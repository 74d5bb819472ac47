"""Syntax tokens per line for the ten task languages, via Pygments, cached.

Lexing is the costly part of showing a file, so it happens once per (language, code) and
is cached; the widgets turn the token types into styles for whatever theme is active.
Lexing a whole file (not line by line) keeps multi-line strings and comments right.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from pygments.lexer import Lexer
from pygments.lexers import (
    CLexer,
    CppLexer,
    DiffLexer,
    GoLexer,
    JavaLexer,
    JavascriptLexer,
    PhpLexer,
    PythonLexer,
    RustLexer,
    SqlLexer,
    TextLexer,
    TypeScriptLexer,
)
from pygments.token import _TokenType

TokenLine = tuple[tuple[_TokenType, str], ...]
"""One source line as (Pygments token type, text) pairs, without the newline."""

_LEXERS: dict[str, tuple[type[Lexer], dict[str, Any]]] = {
    "python": (PythonLexer, {}),
    "javascript": (JavascriptLexer, {}),
    "typescript": (TypeScriptLexer, {}),
    "java": (JavaLexer, {}),
    "go": (GoLexer, {}),
    "rust": (RustLexer, {}),
    "c": (CLexer, {}),
    "cpp": (CppLexer, {}),
    "sql": (SqlLexer, {}),
    "php": (PhpLexer, {"startinline": True}),
    "diff": (DiffLexer, {}),  # a repository task's patch (screens/repo_pair.py)
}

CACHE_SIZE = 32
"""Highlighted files kept (a pair, its neighbours and the prefetch fit easily)."""

_cache: OrderedDict[tuple[str, str], list[TokenLine]] = OrderedDict()
_lock = threading.Lock()


def lexer_for(language: str) -> Lexer:
    """A Pygments lexer for a task language (plain text for an unknown one)."""
    cls, options = _LEXERS.get(language, (TextLexer, {}))
    return cls(stripnl=False, ensurenl=False, **options)


def tokenize(language: str, code: str) -> list[TokenLine]:
    """The file's lines as token tuples (cached; safe to call from worker threads)."""
    key = (language, code)
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
            return cached
    lines = _split_lines(lexer_for(language).get_tokens(code))
    with _lock:
        _cache[key] = lines
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return lines


def is_cached(language: str, code: str) -> bool:
    """Whether ``tokenize`` would answer from the cache."""
    with _lock:
        return (language, code) in _cache


def _split_lines(tokens: Any) -> list[TokenLine]:
    lines: list[TokenLine] = []
    current: list[tuple[_TokenType, str]] = []
    for token_type, value in tokens:
        parts = value.split("\n")
        for index, part in enumerate(parts):
            if index:
                lines.append(tuple(current))
                current = []
            if part:
                current.append((token_type, part))
    lines.append(tuple(current))
    return lines


def tokenize_prefix(language: str, code: str, max_lines: int) -> list[TokenLine]:
    """Tokens of the first ``max_lines`` lines only: enough to paint the first screen now.

    Lexing runs left to right, so a prefix lexes the same as the start of the whole file
    (a construct cut at the boundary only affects the last line, which is repainted when
    the whole file's tokens arrive).
    """
    if is_cached(language, code):
        return tokenize(language, code)[:max_lines]
    end = -1
    for _ in range(max_lines):
        end = code.find("\n", end + 1)
        if end < 0:
            return tokenize(language, code)[:max_lines]
    return _split_lines(lexer_for(language).get_tokens(code[:end]))[:max_lines]
