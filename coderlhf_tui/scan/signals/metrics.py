"""Size and complexity of one response, from lizard (cyclomatic complexity, function
length in lines of code, maximum nesting depth)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import lizard

from coderlhf_tui.domain import Language
from coderlhf_tui.scan.pack import EXTENSIONS

LIZARD_LANGUAGES = {lang for lang in Language if lang is not Language.SQL}
"""lizard reads every language of ours except SQL."""


@dataclass(frozen=True, slots=True)
class CodeMetrics:
    """Per-response metrics; the max values are over functions (or the whole file)."""

    nloc: int
    functions: int
    max_ccn: int
    avg_ccn: float
    max_function_nloc: int
    max_nesting: int

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready copy."""
        return asdict(self)


def code_metrics(language: Language, code: str) -> CodeMetrics | None:
    """lizard's view of the code; None for languages lizard does not read."""
    if language not in LIZARD_LANGUAGES:
        return None
    analyzer = lizard.FileAnalyzer(lizard.get_extensions(["nd"]))
    info = analyzer.analyze_source_code(f"response{EXTENSIONS[language]}", code)
    functions = list(info.function_list)
    if not functions:
        return CodeMetrics(info.nloc, 0, 1, 1.0, info.nloc, 0)
    ccns = [f.cyclomatic_complexity for f in functions]
    return CodeMetrics(
        nloc=info.nloc,
        functions=len(functions),
        max_ccn=max(ccns),
        avg_ccn=round(sum(ccns) / len(ccns), 2),
        max_function_nloc=max(f.nloc for f in functions),
        max_nesting=max(int(getattr(f, "max_nesting_depth", 0) or 0) for f in functions),
    )
