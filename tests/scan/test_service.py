"""Scanning tasks through the store: misses batched, hits answered from SQLite."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from coderlhf_tui.domain import Language, Response, Task
from coderlhf_tui.scan.service import scan_hash, scan_tasks
from coderlhf_tui.store import Store


def task(task_id: str, a: str, b: str, language: Language = Language.PYTHON) -> Task:
    return Task(task_id, language, "prompt", (Response("a", a), Response("b", b)))


SQLI = "def f(cur, n):\n    cur.execute(\"SELECT * FROM t WHERE n = '%s'\" % n)\n"
SAFE = "def f(cur, n):\n    cur.execute('SELECT * FROM t WHERE n = ?', (n,))\n"


def test_results_are_stored_and_reused(semgrep: str, tmp_path: Path) -> None:
    tasks = [task("t1", SQLI, SAFE), task("t2", SAFE, SQLI)]
    with Store.open(tmp_path / "w.db") as store:
        store.insert_tasks(tasks)
        first = scan_tasks(tasks, store)
        assert [s.cached for s in first] == [False] * 4
        by_key = {(s.task_id, s.response_key): s for s in first}
        assert [f.cwe_id for f in by_key[("t1", "a")].findings] == ["CWE-89"]
        assert by_key[("t1", "b")].findings == []
        assert store.latest_findings("t2", "b")[0].rule_id == "python-sql-built-from-strings"
        assert store.is_scanned("t1", "b") and store.latest_findings("t1", "b") == []
        second = scan_tasks(tasks, store)
        assert all(s.cached for s in second)
        assert [s.findings for s in second] == [s.findings for s in first]
        changed = replace(tasks[0], responses=(Response("a", SAFE), tasks[0].responses[1]))
        third = scan_tasks([changed], store)
        assert [s.cached for s in third] == [True, True]  # SAFE was scanned before as t1/b
        assert store.latest_findings("t1", "a") == []


def test_hash_depends_on_code_language_and_pack_version() -> None:
    base = scan_hash(Language.PYTHON, SAFE, "v1")
    assert base == scan_hash(Language.PYTHON, SAFE, "v1")
    assert base != scan_hash(Language.PYTHON, SAFE + " ", "v1")
    assert base != scan_hash(Language.JAVASCRIPT, SAFE, "v1")
    assert base != scan_hash(Language.PYTHON, SAFE, "v2")
