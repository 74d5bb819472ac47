"""Read the ranked tasks of a workspace snapshot a page at a time, as plain objects.

The pairwise export reads columns because a page of pairs is labelled with array
operations; a ranked task's label is a ranking of up to eight responses from a handful
of annotators, so a ranked page is read as small objects instead, one query per table
and page. It reads through a ``WorkspaceReader`` (``export/source.py``): the same
read-only connection and the same snapshot, so autosaves during an export stay
invisible to it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from coderlhf_tui.domain import RANKED_KEYS, Ranking
from coderlhf_tui.export.source import WorkspaceReader

PAGE_SIZE = 2000
"""Ranked tasks per page (each carries up to eight responses)."""


@dataclass(slots=True)
class RankedJudgement:
    """One submitted ranked annotation, as an export reads it."""

    annotator: str
    ranking: Ranking
    scores: dict[str, dict[str, int]]
    rationale: str
    tags: list[str]
    time_spent_s: float
    shown_order: str


@dataclass(slots=True)
class RankedTask:
    """A ranked task with its judgements and the latest evidence of each response."""

    task_id: str
    language: str
    task_type: str | None
    prompt: str
    response_ids: list[str]
    codes: list[str]
    models: list[str | None]
    judgements: list[RankedJudgement] = field(default_factory=list)
    adjudication: dict[str, Any] | None = None
    tests: dict[str, dict[str, Any]] = field(default_factory=dict)
    findings: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def keys(self) -> tuple[str, ...]:
        """The task's response keys, a.. in order."""
        return RANKED_KEYS[: len(self.codes)]


def ranked_pages(
    reader: WorkspaceReader,
    languages: Sequence[str] = (),
    page_size: int = PAGE_SIZE,
    *,
    full: bool = True,
) -> Iterator[list[RankedTask]]:
    """Every ranked task (of ``languages``) in import order, a page at a time.

    Without ``full`` a judgement carries only its annotator and ranking (SQLite extracts
    them from the stored body): what the pair formats read.
    """
    conn = reader.conn
    clause = ""
    if languages:
        clause = f" AND language IN ({','.join('?' * len(languages))})"
    last = 0
    while True:
        rows = conn.execute(
            "SELECT rowid, id, language, task_type, prompt, n_responses FROM tasks"
            f" WHERE rowid > ? AND n_responses > 2{clause} ORDER BY rowid LIMIT ?",
            (last, *languages, page_size),
        ).fetchall()
        if not rows:
            return
        yield _page(reader, rows, full)
        last = rows[-1][0]


def _page(reader: WorkspaceReader, rows: list[Any], full: bool) -> list[RankedTask]:
    conn = reader.conn
    tasks = {
        row[1]: RankedTask(
            task_id=row[1],
            language=row[2],
            task_type=row[3],
            prompt=row[4],
            response_ids=[""] * row[5],
            codes=[""] * row[5],
            models=[None] * row[5],
        )
        for row in rows
    }
    ids = list(tasks)
    marks = ",".join("?" * len(ids))
    for task_id, key, response_id, model, code in conn.execute(
        f"SELECT task_id, key, response_id, model, code FROM responses WHERE task_id IN ({marks})",
        ids,
    ):
        task, index = tasks[task_id], RANKED_KEYS.index(key)
        task.response_ids[index], task.models[index], task.codes[index] = response_id, model, code
    body = (
        "body"
        if full
        else "json_object('annotator', annotator, 'ranking', json(json_extract(body, '$.ranking')))"
    )
    for task_id, text in conn.execute(
        f"SELECT task_id, {body} FROM annotations WHERE status = 'submitted'"
        f" AND task_id IN ({marks}) ORDER BY task_id, annotator, id",
        ids,
    ):
        judgement = _judgement(json.loads(text))
        if judgement is not None:
            tasks[task_id].judgements.append(judgement)
    for task_id, body in conn.execute(
        f"SELECT task_id, body FROM adjudications WHERE task_id IN ({marks})"
        " ORDER BY task_id, created_at, rowid",
        ids,
    ):
        adjudication = json.loads(body)
        if adjudication.get("ranking"):
            tasks[task_id].adjudication = adjudication  # the last one is in force
    for task_id, key, verdict, passed, failed, duration in conn.execute(
        "SELECT x.task_id, x.key, r.verdict, coalesce(json_extract(r.body, '$.passed'), 0),"
        " coalesce(json_extract(r.body, '$.failed'), 0),"
        " coalesce(json_extract(r.body, '$.duration_s'), 0)"
        " FROM response_test_runs x JOIN test_runs r ON r.content_hash = x.content_hash"
        f" WHERE x.task_id IN ({marks})",
        ids,
    ):
        tasks[task_id].tests[key] = {
            "verdict": verdict,
            "passed": int(passed),
            "failed": int(failed),
            "duration_s": float(duration),
        }
    for task_id, key, rule, cwe, severity, line in conn.execute(
        "SELECT s.task_id, s.key, f.rule_id, f.cwe_id, f.severity, f.start_line"
        " FROM response_scans s JOIN findings f ON f.scan_hash = s.scan_hash"
        f" WHERE s.task_id IN ({marks}) ORDER BY s.task_id, s.key, f.idx",
        ids,
    ):
        tasks[task_id].findings.setdefault(key, []).append(
            {"rule": rule, "cwe": cwe, "severity": severity, "line": int(line)}
        )
    return list(tasks.values())


def _judgement(body: dict[str, Any]) -> RankedJudgement | None:
    ranking = body.get("ranking")
    if not ranking:
        return None
    return RankedJudgement(
        annotator=body["annotator"],
        ranking=ranking,
        scores=body.get("scores") or {},
        rationale=body.get("rationale") or "",
        tags=list(body.get("tags") or ()),
        time_spent_s=float(body.get("time_spent_s") or 0.0),
        shown_order=body.get("shown_order") or "",
    )
