"""Stored test runs and findings for app tests that must not depend on Docker timing (snapshots)."""

from __future__ import annotations

from coderlhf_tui.domain import Confidence, Finding, Severity, TestRun, Verdict
from coderlhf_tui.store import Store

INJECTION = Finding(
    rule_id="python-sql-built-from-strings",
    cwe_id="CWE-89",
    cwe_title="SQL Injection",
    severity=Severity.CRITICAL,
    start_line=5,
    end_line=5,
    message="SQL built by string formatting and passed to execute().",
    confidence=Confidence.HIGH,
    fix_hint="Pass values as parameters.",
)


def store_lookup_runs_and_findings(store: Store) -> None:
    """Runs and findings of py-user-lookup as the real runner and scanner report them."""
    store.save_test_run(
        "py-user-lookup",
        "a",
        TestRun(
            Verdict.FAILED,
            content_hash="snap-a",
            passed=1,
            failed=1,
            failing_tests=["test_solution.py::test_quote_in_name"],
            duration_s=0.71,
            exit_code=1,
            stdout="FAILED test_solution.py::test_quote_in_name - sqlite3.OperationalError",
            created_at="2026-01-01T00:00:00Z",
        ),
    )
    store.save_test_run(
        "py-user-lookup",
        "b",
        TestRun(
            Verdict.PASSED,
            content_hash="snap-b",
            passed=2,
            duration_s=0.64,
            exit_code=0,
            created_at="2026-01-01T00:00:00Z",
        ),
    )
    store.save_findings("py-user-lookup", "a", "scan-a", [INJECTION])
    store.save_findings("py-user-lookup", "b", "scan-b", [])
