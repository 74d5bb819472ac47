"""The app scans through the scanner's ``scan_tasks`` with the store as cache: a scan made
in the app is a cache hit for ``coderlhf scan`` and the audit, and the other way round."""

from __future__ import annotations

import pytest

from coderlhf_tui.scan.semgrep import semgrep_binary
from coderlhf_tui.scan.service import scan_tasks
from coderlhf_tui.store import Store
from coderlhf_tui.workbench.runs_and_findings import LiveChecks, load_runs_and_findings
from tests.conftest import require_part


@pytest.mark.xdist_group("semgrep")
def test_app_scan_shares_the_scanner_cache(store: Store) -> None:
    require_part("semgrep", semgrep_binary() is not None, "pip install semgrep")
    task = store.get_task("py-user-lookup")
    assert task is not None
    live = LiveChecks(store)
    try:
        found = live.scan(task)
    finally:
        live.close()
    assert set(found) == {"a", "b"}
    assert any(found.values()), "the sample's injectable response has a finding"
    evidence = load_runs_and_findings(store, task.id)
    assert all(evidence.scanned.values())
    assert evidence.findings == found
    again = scan_tasks([task], store)
    assert [scan.cached for scan in again] == [True, True]
    assert {scan.response_key: scan.findings for scan in again} == found
