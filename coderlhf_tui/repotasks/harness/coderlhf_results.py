"""A pytest plugin that runs INSIDE the sandbox: per-test outcomes plus proof of the end.

It is copied into the sandbox and loaded with ``PYTEST_PLUGINS`` (it imports nothing of
coderlhf). Every test's outcome is kept as pytest reports it; when pytest unconfigures,
after the whole session, it prints one ``coderlhf-results`` JSON line and then the
completion record, ``coderlhf-done`` and the nonce it reads from descriptor 9 (see
coderlhf_tui/runners/completion.py). A process that ends before that point (an exit
call in the code under test, a crash, a kill) prints neither: no report, no pass.
"""

import json
import os
from typing import Any

OUTCOMES: dict[str, str] = {}
COLLECT_ERRORS: list[str] = []
STATE: dict[str, int | None] = {"exitstatus": None}


def pytest_collectreport(report: Any) -> None:
    if report.failed:
        COLLECT_ERRORS.append(report.nodeid)


def pytest_runtest_logreport(report: Any) -> None:
    if report.when == "call":
        outcome = "xfailed" if hasattr(report, "wasxfail") and report.skipped else report.outcome
        OUTCOMES[report.nodeid] = outcome
    elif report.failed:
        OUTCOMES[report.nodeid] = "error"
    elif report.skipped and report.nodeid not in OUTCOMES:
        OUTCOMES[report.nodeid] = "skipped"


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    STATE["exitstatus"] = int(exitstatus)


def pytest_unconfigure(config: Any) -> None:
    try:
        nonce = os.read(9, 128).decode("ascii").strip()
    except OSError:
        nonce = ""
    capture = config.pluginmanager.getplugin("capturemanager")
    if capture is not None:  # fd capture may still hold descriptor 1: give it back
        capture.stop_global_capturing()
    payload = {
        "tests": OUTCOMES,
        "collect_errors": COLLECT_ERRORS,
        "exitstatus": STATE["exitstatus"],
    }
    text = "\ncoderlhf-results " + json.dumps(payload, sort_keys=True) + "\n"
    os.write(1, (text + "coderlhf-done " + nonce + "\n").encode("utf-8"))
