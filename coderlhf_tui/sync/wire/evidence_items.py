"""Evidence on the wire: test runs and scan findings, addressed by content hash.

A test run brings its own ``content_hash`` (code, tests, image, limits). A scan's
findings have no hash the store exposes, so the protocol hashes the canonical JSON of
the finding list; an empty list (a clean scan) is evidence too.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from coderlhf_tui.domain import Finding, TestRun
from coderlhf_tui.serialize import (
    finding_from_dict,
    finding_to_dict,
    test_run_from_dict,
    test_run_to_dict,
)


def canonical(value: Any) -> str:
    """The canonical JSON text of a value (sorted keys, no spaces, ASCII).

    ASCII escapes keep any string storable, even one a client sent with lone surrogates.
    """
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"), sort_keys=True)


def findings_hash(findings: list[dict[str, Any]]) -> str:
    """The content hash of a finding list."""
    return "f:" + hashlib.sha256(canonical(findings).encode("utf-8")).hexdigest()


def run_evidence(task_id: str, key: str, run: TestRun) -> dict[str, Any]:
    """A test run as a push/pull evidence item."""
    body = test_run_to_dict(run)
    return {
        "task_id": task_id,
        "response_key": key,
        "kind": "test_run",
        "hash": run.content_hash,
        "test_run": body,
    }


def scan_evidence(task_id: str, key: str, findings: list[Finding]) -> dict[str, Any]:
    """A scan's findings as a push/pull evidence item."""
    bodies = [finding_to_dict(f) for f in findings]
    return {
        "task_id": task_id,
        "response_key": key,
        "kind": "findings",
        "hash": findings_hash(bodies),
        "findings": bodies,
    }


def check_body(kind: str, hash_: str, test_run: Any, findings: Any) -> str | None:
    """Why an evidence body is unusable, or None when it parses and matches its hash."""
    try:
        if kind == "test_run":
            if not isinstance(test_run, dict):
                return "test_run evidence needs a test_run body"
            run = test_run_from_dict(test_run)
            if run.content_hash != hash_:
                return "test_run.content_hash differs from hash"
            return None
        if not isinstance(findings, list):
            return "findings evidence needs a findings list"
        for item in findings:
            finding_from_dict(item)
        if findings_hash(findings) != hash_:
            return "hash is not the hash of the findings list"
        return None
    except (KeyError, TypeError, ValueError) as exc:
        return f"{kind} body: {type(exc).__name__}: {exc}"


def body_of(kind: str, test_run: Any, findings: Any) -> Any:
    """The part of an evidence item that is stored under its hash."""
    return test_run if kind == "test_run" else findings
