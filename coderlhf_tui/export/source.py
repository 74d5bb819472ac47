"""Read everything an export needs from a workspace, one page of tasks at a time, as columns.

An export must see one consistent picture of the workspace even while annotators keep
autosaving, and it must not hold the whole workspace in memory. So it opens its own
connection to the store's file (``query_only``, so it cannot write), reads inside one
read transaction (a WAL snapshot: later commits stay invisible to it), and walks the
tasks in rowid pages, fetching each page's responses, submitted annotations,
adjudications, test verdicts and findings with one query per table.

A page comes back as columns, not objects: the annotation bodies of a page are parsed
in one call by Arrow's JSON reader into typed columns, so that labelling and record
building (``labels``, ``records``) are array operations. Building a dict per annotation
in Python cost most of the time budget of a 100,000-pair export.

The SQL follows the schema in ``coderlhf_tui/migrations.py``; the tests in tests/export/
build their workspaces through ``Store``, so a schema change that breaks this reader
fails them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.json as pa_json
from numpy.typing import NDArray

PAGE_SIZE = 5000
"""Tasks read per page: large enough to amortise each query, small enough to stay flat."""

NOT_REPOSITORY = "coalesce(json_extract(metadata, '$.kind'), '') <> 'repository'"
"""Repository tasks (``repotasks.stored.KIND``) sit in the store as pairs of patches; their
dataset is `coderlhf repo export`'s, so the code-pair formats leave them out."""


def annotation_read_schema(dimensions: Sequence[str]) -> pa.Schema:
    """The fields of a stored annotation body that an export reads."""
    levels = pa.struct([pa.field(dim, pa.int64()) for dim in dimensions])
    return pa.schema(
        [
            pa.field("annotator", pa.string()),
            pa.field("preference", pa.string()),
            pa.field("scores", pa.struct([pa.field("a", levels), pa.field("b", levels)])),
            pa.field("rationale", pa.string()),
            pa.field("tags", pa.list_(pa.string())),
            pa.field("time_spent_s", pa.float64()),
            pa.field("shown_order", pa.string()),
            pa.field("comments", pa.list_(COMMENT_READ_TYPE)),
        ]
    )


COMMENT_READ_TYPE = pa.struct(
    [
        pa.field("id", pa.string()),
        pa.field("response", pa.string()),
        pa.field("start_line", pa.int64()),
        pa.field("end_line", pa.int64()),
        pa.field("category", pa.string()),
        pa.field("severity", pa.string()),
        pa.field("text", pa.string()),
        pa.field("quote", pa.string()),
        pa.field("rule_id", pa.string()),
        pa.field("verdict", pa.string()),
    ]
)
"""A stored line comment (``serialize.line_comment_to_dict``), as the export reads it."""


@dataclass(slots=True)
class TestColumns:
    """One response key's latest test run per task of a page (None where never run)."""

    __test__ = False  # not a pytest test class, despite the name

    verdict: list[str | None]
    passed: list[int | None]
    failed: list[int | None]
    duration_s: list[float | None]


@dataclass(slots=True)
class Page:
    """One page of tasks, as columns in import order.

    ``annotations`` holds the submitted annotations that have a preference, sorted by
    task (``task``: the row in this page) and then by annotator; ``findings`` holds, per
    response key, a table of findings sorted the same way. ``adjudications`` maps a row
    to the adjudication in force (the latest), as its docs/formats.md dict.
    """

    task_ids: list[str]
    languages: list[str]
    task_types: list[str | None]
    prompts: list[str]
    gold: list[str | None]
    response_ids: tuple[list[str], list[str]]
    codes: tuple[list[str], list[str]]
    models: tuple[list[str | None], list[str | None]]
    annotations: pa.Table
    adjudications: dict[int, dict[str, Any]] = field(default_factory=dict)
    tests: dict[str, TestColumns] = field(default_factory=dict)
    findings: dict[str, pa.Table] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.task_ids)

    @property
    def annotation_rows(self) -> NDArray[np.int64]:
        """For each annotation, its task's row in the page."""
        return np.asarray(self.annotations["task"].to_numpy(), dtype=np.int64)


def parse_json_lines(bodies: Sequence[str], schema: pa.Schema) -> pa.Table:
    """Parse JSON documents (one per string) into a table of ``schema``'s columns."""
    if not bodies:
        return schema.empty_table()
    data = "\n".join(bodies).encode("utf-8")
    return pa_json.read_json(
        pa.BufferReader(data),  # one block holds every line, whatever their lengths
        read_options=pa_json.ReadOptions(block_size=max(1 << 22, len(data) + 1)),
        parse_options=pa_json.ParseOptions(
            explicit_schema=schema, unexpected_field_behavior="ignore"
        ),
    )


class WorkspaceReader:
    """A read-only snapshot of one workspace file; use as a context manager."""

    def __init__(self, path: Path, dimensions: Sequence[str]) -> None:
        if not path.is_file():
            raise FileNotFoundError(path)
        self.annotation_schema = annotation_read_schema(dimensions)
        # check_same_thread off: the export reads pages ahead in one thread (``prefetch``),
        # never two at once.
        self.conn = sqlite3.connect(
            str(path), isolation_level=None, timeout=30.0, check_same_thread=False
        )
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

    def pages(self, languages: Sequence[str] = (), page_size: int = PAGE_SIZE) -> Iterator[Page]:
        """Every task (of ``languages``, when given) in import order, a page at a time."""
        last = 0
        lang_clause = ""
        if languages:
            lang_clause = f" AND language IN ({','.join('?' * len(languages))})"
        while True:
            rows = self.conn.execute(
                "SELECT rowid, id, language, task_type, prompt, gold FROM tasks"
                f" WHERE rowid > ?{lang_clause} AND {NOT_REPOSITORY} ORDER BY rowid LIMIT ?",
                (last, *languages, page_size),
            ).fetchall()
            if not rows:
                return
            yield self._page(rows)
            last = rows[-1][0]

    def labelled_prompts(
        self,
        languages: Sequence[str] = (),
        adjudicated_only: bool = False,
        page_size: int = PAGE_SIZE,
    ) -> Iterator[tuple[list[str], list[str]]]:
        """(languages, prompts) of the pairs that have a label, a page at a time.

        A pair has a label when it has an adjudication or (unless ``adjudicated_only``)
        a submitted annotation with a preference; this is what the split is planned on.
        """
        judged = "EXISTS (SELECT 1 FROM adjudications d WHERE d.task_id = t.id)"
        if not adjudicated_only:
            judged += (
                " OR EXISTS (SELECT 1 FROM annotations a WHERE a.task_id = t.id"
                " AND a.status = 'submitted' AND json_extract(a.body, '$.preference') IS NOT NULL)"
            )
        lang_clause = ""
        if languages:
            lang_clause = f" AND t.language IN ({','.join('?' * len(languages))})"
        last = 0
        while True:
            rows = self.conn.execute(
                "SELECT t.rowid, t.language, t.prompt FROM tasks t"
                f" WHERE t.rowid > ?{lang_clause} AND {NOT_REPOSITORY} AND ({judged})"
                " ORDER BY t.rowid LIMIT ?",
                (last, *languages, page_size),
            ).fetchall()
            if not rows:
                return
            yield [row[1] for row in rows], [row[2] for row in rows]
            last = rows[-1][0]

    def _page(self, rows: list[Any]) -> Page:
        ids = [row[1] for row in rows]
        index = {task_id: i for i, task_id in enumerate(ids)}
        marks = ",".join("?" * len(ids))
        n = len(ids)
        rids: tuple[list[str], list[str]] = (["a"] * n, ["b"] * n)
        codes: tuple[list[str], list[str]] = ([""] * n, [""] * n)
        models: tuple[list[str | None], list[str | None]] = ([None] * n, [None] * n)
        for task_id, key, response_id, model, code in self.conn.execute(
            "SELECT task_id, key, response_id, model, code FROM responses"
            f" WHERE task_id IN ({marks})",
            ids,
        ):
            side = 0 if key == "a" else 1
            row = index[task_id]
            rids[side][row], codes[side][row], models[side][row] = response_id, code, model
        return Page(
            task_ids=ids,
            languages=[row[2] for row in rows],
            task_types=[row[3] for row in rows],
            prompts=[row[4] for row in rows],
            gold=[json.loads(row[5])["preference"] if row[5] else None for row in rows],
            response_ids=rids,
            codes=codes,
            models=models,
            annotations=self._annotations(ids, index, marks),
            adjudications=self._adjudications(ids, index, marks),
            tests=self._tests(ids, index, marks),
            findings=self._findings(ids, index, marks),
        )

    def _annotations(self, ids: list[str], index: dict[str, int], marks: str) -> pa.Table:
        fetched = self.conn.execute(
            "SELECT task_id, body FROM annotations WHERE status = 'submitted'"
            f" AND task_id IN ({marks}) ORDER BY task_id, annotator, id",
            ids,
        ).fetchall()
        task_ids, bodies = zip(*fetched, strict=True) if fetched else ((), ())
        table = parse_json_lines(bodies, self.annotation_schema)
        rows = pa.array(list(map(index.__getitem__, task_ids)), pa.int32())
        table = table.append_column("task", rows)
        if table["preference"].null_count:
            table = table.filter(table["preference"].is_valid())
        task = table["task"].to_numpy()
        if np.all(task[1:] >= task[:-1]):  # ids sort like rowids: already in page order
            return table
        return table.take(pa.array(np.argsort(task, kind="stable")))

    def _adjudications(
        self, ids: list[str], index: dict[str, int], marks: str
    ) -> dict[int, dict[str, Any]]:
        out: dict[int, dict[str, Any]] = {}
        for task_id, body in self.conn.execute(
            f"SELECT task_id, body FROM adjudications WHERE task_id IN ({marks})"
            " ORDER BY task_id, created_at, rowid",
            ids,
        ):
            out[index[task_id]] = json.loads(body)  # the last one is in force
        return out

    def _tests(self, ids: list[str], index: dict[str, int], marks: str) -> dict[str, TestColumns]:
        n = len(ids)
        out = {key: TestColumns([None] * n, [None] * n, [None] * n, [None] * n) for key in "ab"}
        for task_id, key, verdict, passed, failed, duration in self.conn.execute(
            "SELECT x.task_id, x.key, r.verdict, coalesce(json_extract(r.body, '$.passed'), 0),"
            " coalesce(json_extract(r.body, '$.failed'), 0),"
            " coalesce(json_extract(r.body, '$.duration_s'), 0)"
            " FROM response_test_runs x JOIN test_runs r ON r.content_hash = x.content_hash"
            f" WHERE x.task_id IN ({marks})",
            ids,
        ):
            columns, row = out[key], index[task_id]
            columns.verdict[row] = verdict
            columns.passed[row] = int(passed)
            columns.failed[row] = int(failed)
            columns.duration_s[row] = float(duration)
        return out

    def _findings(self, ids: list[str], index: dict[str, int], marks: str) -> dict[str, pa.Table]:
        rows: dict[str, list[tuple[int, str, str, str, int]]] = {"a": [], "b": []}
        for task_id, key, rule, cwe, severity, line in self.conn.execute(
            "SELECT s.task_id, s.key, f.rule_id, f.cwe_id, f.severity, f.start_line"
            " FROM response_scans s JOIN findings f ON f.scan_hash = s.scan_hash"
            f" WHERE s.task_id IN ({marks}) ORDER BY s.task_id, s.key, f.idx",
            ids,
        ):
            rows[key].append((index[task_id], rule, cwe, severity, int(line)))
        out = {}
        for key, found in rows.items():
            found.sort(key=lambda item: item[0])  # stable: keeps each task's finding order
            columns = list(zip(*found, strict=True)) if found else [(), (), (), (), ()]
            out[key] = pa.table(
                {
                    "task": pa.array(columns[0], pa.int32()),
                    "rule": pa.array(columns[1], pa.string()),
                    "cwe": pa.array(columns[2], pa.string()),
                    "severity": pa.array(columns[3], pa.string()),
                    "line": pa.array(columns[4], pa.int32()),
                }
            )
        return out
