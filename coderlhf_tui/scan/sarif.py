"""SARIF 2.1.0 output: findings in the format code-scanning tools and IDEs read.

One run, one tool (``coderlhf-scan``, versioned by the rule pack), the rules that fired as
reporting descriptors with CWE tags (``external/cwe/cwe-089``), a numeric
``security-severity`` and a ``precision``; one result per finding with a stable rule id, a
location in a per-response artifact (``<task>/<response>.<ext>``) and a partial fingerprint
that survives edits elsewhere in the file (it hashes the rule and the matched line's text,
not its number). A taint finding also carries its trace as a ``codeFlows`` entry: the
source, the lines the data went through and the sink, in order.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coderlhf_tui.domain import Confidence, Finding, Severity
from coderlhf_tui.scan.pack import SECURITY_SEVERITY, RuleMeta, pack_version, rules

SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_NAME = "coderlhf-scan"
FINGERPRINT_KEY = "coderlhfLineHash/v1"

LEVELS: dict[Severity, str] = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
PRECISION: dict[Confidence, str] = {
    Confidence.HIGH: "high",
    Confidence.MEDIUM: "medium",
    Confidence.LOW: "low",
}


@dataclass(frozen=True, slots=True)
class SarifTarget:
    """One scanned response: where it is (``uri``), its code, and its findings."""

    uri: str
    code: str
    findings: Sequence[Finding]
    properties: dict[str, Any] = field(default_factory=dict)


def cwe_tag(cwe_id: str) -> str:
    """``CWE-89`` -> ``external/cwe/cwe-089`` (the tag GitHub code scanning groups by)."""
    number = cwe_id.upper().removeprefix("CWE-")
    return f"external/cwe/cwe-{int(number):03d}" if number.isdigit() else cwe_id.lower()


def owasp_tag(owasp: str) -> str:
    """``A03:2021 - Injection`` -> ``external/owasp/a03-2021``."""
    code = owasp.split(" ", 1)[0].lower().replace(":", "-")
    return f"external/owasp/{code}"


def _descriptor(meta: RuleMeta) -> dict[str, Any]:
    tags = [
        meta.category,
        cwe_tag(meta.cwe_id),
        *(cwe_tag(cwe) for cwe in meta.related_cwes),
        *(owasp_tag(meta.owasp) for _ in [0] if meta.owasp),
    ]
    return {
        "id": meta.id,
        "name": "".join(part.capitalize() for part in meta.id.split("-")),
        "shortDescription": {"text": f"{meta.cwe_id}: {meta.cwe_title}"},
        "fullDescription": {"text": meta.message},
        "help": {
            "text": f"{meta.message}\nFix: {meta.fix_hint}",
            "markdown": f"{meta.message}\n\n**Fix:** {meta.fix_hint}\n\n{meta.cwe_id}: "
            f"{meta.cwe_title} · OWASP {meta.owasp}",
        },
        "defaultConfiguration": {"level": LEVELS[meta.severity]},
        "properties": {
            "tags": tags,
            "precision": PRECISION[meta.confidence],
            "security-severity": f"{SECURITY_SEVERITY[meta.severity]:.1f}",
            "problem.severity": LEVELS[meta.severity],
            "cwe": meta.cwe_id,
            **({"relatedCwes": list(meta.related_cwes)} if meta.related_cwes else {}),
            "owasp": meta.owasp,
            "languages": list(meta.languages),
            "category": meta.category,
        },
    }


def line_fingerprint(finding: Finding, uri: str, code: str) -> str:
    """A hash of (artifact, rule, the matched line's text without whitespace)."""
    lines = code.splitlines()
    index = finding.start_line - 1
    text = "".join(lines[index].split()) if 0 <= index < len(lines) else ""
    digest = hashlib.sha256(f"{uri}\0{finding.rule_id}\0{text}".encode()).hexdigest()
    return digest[:32]


def code_flows(finding: Finding, uri: str) -> list[dict[str, Any]]:
    """A taint finding's trace as one SARIF code flow (source first, sink last)."""
    if not finding.trace:
        return []
    locations = [
        {
            "location": {
                "physicalLocation": {
                    "artifactLocation": {"uri": uri, "uriBaseId": "RESPONSES"},
                    "region": {"startLine": step.line},
                },
                "message": {"text": f"{step.role}: {step.text}" if step.text else step.role},
            },
            "kinds": [step.role],
        }
        for step in finding.trace
    ]
    return [{"threadFlows": [{"locations": locations}]}]


def _result(finding: Finding, index: int, target: SarifTarget) -> dict[str, Any]:
    flows = code_flows(finding, target.uri)
    return {
        **({"codeFlows": flows} if flows else {}),
        "ruleId": finding.rule_id,
        "ruleIndex": index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": target.uri, "uriBaseId": "RESPONSES"},
                    "region": {
                        "startLine": finding.start_line,
                        "endLine": max(finding.end_line, finding.start_line),
                    },
                }
            }
        ],
        "partialFingerprints": {
            FINGERPRINT_KEY: line_fingerprint(finding, target.uri, target.code)
        },
        "properties": {
            "cwe": finding.cwe_id,
            **({"relatedCwes": list(finding.related_cwes)} if finding.related_cwes else {}),
            "severity": finding.severity.value,
            "confidence": finding.confidence.value,
            "fixHint": finding.fix_hint,
            "source": finding.source,
            "category": finding.category,
            **target.properties,
        },
    }


def to_sarif(targets: Iterable[SarifTarget]) -> dict[str, Any]:
    """A SARIF 2.1.0 log with one run holding every target's findings."""
    pack = rules()
    descriptors: list[dict[str, Any]] = []
    index_of: dict[str, int] = {}
    results: list[dict[str, Any]] = []
    for target in targets:
        for finding in target.findings:
            if finding.rule_id not in index_of:
                index_of[finding.rule_id] = len(descriptors)
                descriptors.append(_descriptor(pack[finding.rule_id]))
            results.append(_result(finding, index_of[finding.rule_id], target))
    return {
        "$schema": SARIF_SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "version": pack_version(),
                        "informationUri": "https://cwe.mitre.org/",
                        "rules": descriptors,
                    }
                },
                "originalUriBaseIds": {
                    "RESPONSES": {"description": {"text": "task id / response id"}}
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def write_sarif(targets: Iterable[SarifTarget], path: Path) -> Path:
    """Write the SARIF log to ``path`` (UTF-8, indented)."""
    path.write_text(json.dumps(to_sarif(targets), indent=2, ensure_ascii=False) + "\n")
    return path
