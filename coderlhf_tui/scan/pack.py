"""The rule pack shipped in ``rules/``: where it lives, its version, and each rule's metadata.

The pack version is a hash of every rule file plus the semgrep version, so a cached scan
result (keyed by code and pack version) is reused only while both are unchanged: editing a
rule or upgrading semgrep invalidates the cache without anyone having to remember to.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from coderlhf_tui.domain import (
    FINDING_SECURITY,
    FINDING_TEST_TAMPERING,
    Confidence,
    Language,
    Severity,
)

RULES_DIR = Path(__file__).resolve().parent / "rules"
"""Rule files: ``rules/<language>/*.yaml`` plus ``rules/fallback/<language>.yaml``."""

FALLBACK_DIR = "fallback"
"""Regex rules applied only to the regions semgrep could not parse (see fallback.py)."""

EXTENSIONS: dict[Language, str] = {
    Language.PYTHON: ".py",
    Language.JAVASCRIPT: ".js",
    Language.TYPESCRIPT: ".ts",
    Language.JAVA: ".java",
    Language.GO: ".go",
    Language.RUST: ".rs",
    Language.C: ".c",
    Language.CPP: ".cpp",
    Language.SQL: ".sql",
    Language.PHP: ".php",
}
"""The file extension a response gets in the scan tree; rules select files by it."""

SECURITY_SEVERITY: dict[Severity, float] = {
    Severity.CRITICAL: 9.5,
    Severity.HIGH: 8.0,
    Severity.MEDIUM: 5.5,
    Severity.LOW: 3.0,
    Severity.INFO: 1.0,
}
"""The CVSS-like number SARIF consumers (GitHub code scanning) read as ``security-severity``."""


CATEGORIES = frozenset({FINDING_SECURITY, FINDING_TEST_TAMPERING})
"""``metadata.category`` of a rule: security (the default) or test-tampering (reward hacks)."""


class PackError(ValueError):
    """A rule file is malformed: the message names the file and the rule."""


@dataclass(frozen=True, slots=True)
class RuleMeta:
    """What the pack says about one rule, independent of any match."""

    id: str
    languages: tuple[str, ...]
    cwe_id: str
    cwe_title: str
    owasp: str
    severity: Severity
    confidence: Confidence
    message: str
    fix_hint: str
    fallback: bool
    path: Path
    category: str = FINDING_SECURITY
    taint: bool = False
    related_cwes: tuple[str, ...] = ()
    """Further CWE ids naming the same weakness at another level of the CWE tree."""


def rule_files() -> list[Path]:
    """Every rule file of the pack, in a stable order."""
    return sorted(RULES_DIR.glob("*/*.yaml"))


def _semgrep_version() -> str:
    try:
        from importlib.metadata import version

        return version("semgrep")
    except Exception:  # not installed as a distribution: the hash still covers the rules
        return "unknown"


@cache
def pack_version() -> str:
    """``<semgrep version>+<12 hex digits of the rule files' hash>``."""
    digest = hashlib.sha256()
    for path in rule_files():
        digest.update(path.relative_to(RULES_DIR).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return f"{_semgrep_version()}+{digest.hexdigest()[:12]}"


def split_cwe(text: str) -> tuple[str, str]:
    """``"CWE-89: Improper ..."`` -> ``("CWE-89", "Improper ...")``."""
    cwe_id, _, title = text.partition(":")
    return cwe_id.strip(), title.strip()


CWE_PARENTS: dict[str, frozenset[str]] = {
    "CWE-95": frozenset({"CWE-94"}),  # Eval Injection is a kind of Code Injection
    "CWE-328": frozenset({"CWE-327"}),  # a weak hash (MD5, SHA-1) is a broken algorithm
}
"""The only second CWEs a rule may name beside its first: that CWE's parents in MITRE's
CWE tree (research view). A second CWE is another level of the same description, never a
label added because a benchmark uses it; the loader rejects any other pair."""


def _cwe_entries(raw: Any, where: str) -> list[tuple[str, str]]:
    """``metadata.cwe`` as (id, title) pairs, the primary first.

    A rule names one CWE, or a list when the finding is accurately described at two
    levels of the CWE tree (eval of data is CWE-95, a child of CWE-94; an MD5 digest is a
    weak hash, CWE-328, and a broken algorithm, CWE-327). Never a list of guesses.
    """
    texts = [str(x) for x in raw] if isinstance(raw, list) else [str(raw)]
    entries = [split_cwe(text) for text in texts]
    if not entries or any(not i.startswith("CWE-") or not t for i, t in entries):
        raise PackError(f"{where}: metadata.cwe must read 'CWE-<n>: <title>' (or a list of them)")
    unrelated = {i for i, _ in entries[1:]} - CWE_PARENTS.get(entries[0][0], frozenset())
    if unrelated:
        raise PackError(
            f"{where}: {sorted(unrelated)} not a parent of {entries[0][0]} (CWE_PARENTS)"
        )
    return entries


def _languages(raw: dict[str, Any], path: Path) -> tuple[str, ...]:
    """The coderlhf languages a rule applies to.

    Semgrep-parsed rules name them (``[javascript, typescript]``); generic and regex rules
    take the language of their folder, or for fallback rules the languages whose file
    extensions their ``paths.include`` lists.
    """
    named = [str(x) for x in raw.get("languages", [])]
    ours = {lang.value for lang in Language}
    if any(n in ours for n in named):
        return tuple(n for n in named if n in ours)
    if path.parent.name != FALLBACK_DIR:
        return (path.parent.name,)
    by_ext = {ext: lang.value for lang, ext in EXTENSIONS.items()}
    includes = (raw.get("paths") or {}).get("include", [])
    return tuple(by_ext[e] for e in (str(i).lstrip("*") for i in includes) if e in by_ext)


def _rule_meta(raw: dict[str, Any], path: Path) -> RuleMeta:
    rule_id = str(raw.get("id", ""))
    meta = raw.get("metadata") or {}
    where = f"{path.relative_to(RULES_DIR)}: {rule_id or '<no id>'}"
    missing = [
        k for k in ("cwe", "owasp", "confidence", "fix_hint") if not str(meta.get(k, "")).strip()
    ]
    if not rule_id or "." in rule_id or missing or not raw.get("message"):
        raise PackError(f"{where}: needs an id without dots, a message and metadata {missing}")
    (cwe_id, cwe_title), *related = _cwe_entries(meta["cwe"], where)
    try:
        severity = Severity(str(raw.get("severity", "")).upper())
        confidence = Confidence(str(meta["confidence"]).upper())
    except ValueError as exc:
        raise PackError(f"{where}: {exc}") from exc
    category = str(meta.get("category", FINDING_SECURITY))
    if category not in CATEGORIES:
        raise PackError(f"{where}: metadata.category must be one of {sorted(CATEGORIES)}")
    return RuleMeta(
        id=rule_id,
        languages=_languages(raw, path),
        cwe_id=cwe_id,
        cwe_title=cwe_title,
        owasp=str(meta["owasp"]),
        severity=severity,
        confidence=confidence,
        message=" ".join(str(raw["message"]).split()),
        fix_hint=str(meta["fix_hint"]),
        fallback=path.parent.name == FALLBACK_DIR,
        path=path,
        category=category,
        taint=raw.get("mode") == "taint",
        related_cwes=tuple(i for i, _ in related),
    )


@cache
def rules() -> dict[str, RuleMeta]:
    """Every rule of the pack by id; ids are unique across the whole pack."""
    out: dict[str, RuleMeta] = {}
    for path in rule_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for raw in data.get("rules", []):
            meta = _rule_meta(raw, path)
            if meta.id in out:
                raise PackError(f"{path.name}: rule id {meta.id} is also in {out[meta.id].path}")
            out[meta.id] = meta
    return out


def merged_config(cache_dir: Path | None = None) -> Path:
    """The whole pack as one YAML file (written once per pack version, atomically).

    Semgrep loads every config file through its own parser round trip, which costs a
    noticeable fraction of a second per file; one merged file makes start-up independent
    of how the pack is split into files.
    """
    return config_file(f"pack-{pack_version()}", lambda rule_id: True, cache_dir)


def config_file(name: str, wanted: Callable[[str], bool], cache_dir: Path | None = None) -> Path:
    """The pack's rules whose id is ``wanted``, as one YAML file ``<name>.yaml`` in the
    cache folder (written once, atomically; ``name`` must change when the choice does)."""
    folder = cache_dir or Path(tempfile.gettempdir()) / f"coderlhf-rules-{os.getuid()}"
    target = folder / f"{name}.yaml"
    if target.exists():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    merged = [raw for rule_id, raw in raw_rules().items() if wanted(rule_id)]
    write_config(merged, target)
    return target


@cache
def raw_rules() -> dict[str, dict[str, Any]]:
    """Every rule of the pack as written in its YAML file, by id, in pack order (read once
    per process; callers copy before changing one)."""
    out: dict[str, dict[str, Any]] = {}
    for path in rule_files():
        for raw in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("rules", []):
            out[str(raw.get("id", ""))] = raw
    return out


def write_config(raw: list[dict[str, Any]], target: Path) -> Path:
    """Rules as one semgrep config file at ``target``, written atomically."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".yaml")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        yaml.safe_dump({"rules": raw}, handle, sort_keys=False, allow_unicode=True)
    os.replace(tmp, target)
    return target


def covered_cwes(language: str | None = None, category: str = FINDING_SECURITY) -> set[str]:
    """The CWE ids the pack's (non-fallback) rules of ``category`` report, for one language
    or all."""
    return {
        cwe
        for r in rules().values()
        for cwe in (r.cwe_id, *r.related_cwes)
        if not r.fallback
        and r.category == category
        and (language is None or language in r.languages)
    }
