"""Read everything an export needs from a workspace, one page of tasks at a time.

An export must see one consistent picture of the workspace even while annotators keep
autosaving, and it must not hold the whole workspace in memory. So it opens its own
connection to the store's file (``query_only``, so it cannot write), reads inside one
read transaction (a WAL snapshot: later commits stay invisible to it), and walks the
tasks in rowid pages, fetching each page's responses, submitted annotations,
adjudications, test verdicts and findings with one query per table. Rows come back as
plain values rather than domain objects: building 100,000 dataclasses only to flatten
them again would cost most of the export's time budget.

The SQL here follows the schema in ``coderlhf_tui/migrations.py``; tests in
tests/export/ build their workspaces through ``Store`` so a schema change that breaks
this reader fails them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PAGE_SIZE = 1000
"""Tasks read per page: large enough to amortise the queries, small enough to stay flat."""


@dataclass(frozen=True, slots=True)
class TestSummary:
    """The part of a response's latest test run that an export carries."""

    __test__ = False  # not a pytest test class, despite the name

    verdict: str
    passed: int
    failed: int
    duration_s: float


@dataclass(frozen=True, slots=True)
class FindingSummary:
    """The part of a finding that an export carries."""

    rule: str
    cwe: str
    severity: str
    line: int


@dataclass(slots=True)
class PairSource:
    """One task with everything the export reads about it.

    ``annotations`` are the submitted annotations with a preference, as the JSON dicts
    of FORMATS.md, in annotator order; ``adjudication`` is the one in force (the latest).
    """

    task_id: str
    language: str
    task_type: str | None
    prompt: str
    gold: str | None
    response_ids: tuple[str, str] = ("a", "b")
    codes: tuple[str, str] = ("", "")
    models: tuple[str | None, str | None] = (None, None)
    annotations: list[dict[str, Any]] = field(default_factory=list)
    adjudication: dict[str, Any] | None = None
    tests: dict[str, TestSummary] = field(default_factory=dict)
    findings: dict[str, list[FindingSummary]] = field(default_factory=dict)


class WorkspaceReader:
    """A read-only snapshot of one workspace file; use as a context manager."""

    def __init__(self, path: Path) -> None:
        if not path.exists():
            raise FileNotFoundError(path)
        self.conn = sqlite3.connect(str(path), isolation_level=None, timeout=30.0)
        self.conn.execute("PRAGMA query_only = ON")
        self.conn.execute("BEGIN")

    def __enter__(self) -> WorkspaceReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """End the snapshot and close the connection."""
        if self.conn.in_transaction:
            self.conn.execute("COMMIT")
        self.conn.close()

    def pairs(
        self, languages: Sequence[str] = (), page_size: int = PAGE_SIZE
    ) -> Iterator[PairSource]:
        """Every task (of ``languages``, when given) in import order, with its evidence."""
        last = 0
        lang_clause = ""
        if languages:
            lang_clause = f" AND language IN ({','.join('?' * len(languages))})"
        while True:
            rows = self.conn.execute(
                "SELECT rowid, id, language, task_type, prompt, gold FROM tasks"
                f" WHERE rowid > ?{lang_clause} ORDER BY rowid LIMIT ?",
                (last, *languages, page_size),
            ).fetchall()
            if not rows:
                return
            page = {
                row[1]: PairSource(
                    task_id=row[1],
                    language=row[2],
                    task_type=row[3],
                    prompt=row[4],
                    gold=json.loads(row[5])["preference"] if row[5] else None,
                )
                for row in rows
            }
            self._fill(page)
            yield from page.values()
            last = rows[-1][0]

    def _fill(self, page: dict[str, PairSource]) -> None:
        ids = list(page)
        marks = ",".join("?" * len(ids))
        pieces: dict[str, dict[str, tuple[str, str, str | None]]] = {}
        for task_id, key, response_id, model, code in self.conn.execute(
            "SELECT task_id, key, response_id, model, code FROM responses"
            f" WHERE task_id IN ({marks})",
            ids,
        ):
            pieces.setdefault(task_id, {})[key] = (response_id, code, model)
        for task_id, by_key in pieces.items():
            source = page[task_id]
            a, b = by_key["a"], by_key["b"]
            source.response_ids = (a[0], b[0])
            source.codes = (a[1], b[1])
            source.models = (a[2], b[2])
        for task_id, body in self.conn.execute(
            f"SELECT task_id, body FROM annotations WHERE status = 'submitted'"
            f" AND task_id IN ({marks}) ORDER BY task_id, annotator, id",
            ids,
        ):
            data = json.loads(body)
            if data.get("preference"):
                page[task_id].annotations.append(data)
        for task_id, body in self.conn.execute(
            f"SELECT task_id, body FROM adjudications WHERE task_id IN ({marks})"
            " ORDER BY task_id, created_at, rowid",
            ids,
        ):
            page[task_id].adjudication = json.loads(body)  # the last one is in force
        for task_id, key, verdict, passed, failed, duration in self.conn.execute(
            "SELECT x.task_id, x.key, r.verdict, json_extract(r.body, '$.passed'),"
            " json_extract(r.body, '$.failed'), json_extract(r.body, '$.duration_s')"
            " FROM response_test_runs x JOIN test_runs r ON r.content_hash = x.content_hash"
            f" WHERE x.task_id IN ({marks})",
            ids,
        ):
            page[task_id].tests[key] = TestSummary(
                verdict, int(passed or 0), int(failed or 0), float(duration or 0.0)
            )
        for task_id, key, rule, cwe, severity, line in self.conn.execute(
            "SELECT s.task_id, s.key, f.rule_id, f.cwe_id, f.severity, f.start_line"
            " FROM response_scans s JOIN findings f ON f.scan_hash = s.scan_hash"
            f" WHERE s.task_id IN ({marks}) ORDER BY s.task_id, s.key, f.idx",
            ids,
        ):
            page[task_id].findings.setdefault(key, []).append(
                FindingSummary(rule, cwe, severity, int(line))
            )
