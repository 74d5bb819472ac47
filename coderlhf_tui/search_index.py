"""Full-text search over a workspace: prompts, every response's code, annotations, findings.

One SQLite FTS5 table, ``search_fts``, indexes *documents*: a task's prompt, one
response's code (any key, "a".."h"), one annotation's rationale, tags or line comments,
one response's finding messages. Each document fills exactly one of the FTS columns, so
the column a hit matched says which part of the task matched (and a column filter such
as ``code:subprocess`` is plain FTS5 syntax), and a task with a hundred annotations does
not make its code heavier to re-index when one rationale changes.

Why external content: the prompts and code are already stored once (``tasks``,
``responses``); copying 4 KB of code per task into a second table doubled import's
writes, so ``search_fts`` reads its text through the ``search_content`` view instead.
``search_docs`` maps each document to its source and keeps copies only of the small
texts derived from JSON (rationale, tags, comments, findings), which is what makes
deleting a document's old tokens exact when its source changes.

Why triggers: every write path (import, autosave, sync merges, scans) keeps the index
current without knowing about it. They are SQLite triggers on the source tables, the
same mechanism ``sqlite-utils enable_fts --create-triggers`` uses, spelled out because
the content is a view (sqlite-utils creates triggers on a content *table*). New tasks
and responses are the exception: ``Store.insert_tasks`` indexes them (``index_new_tasks``).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only annotations here: sqlite-utils imports pandas when present
    import sqlite_utils

FIELDS: tuple[str, ...] = ("prompt", "code", "rationale", "tags", "comments", "findings")
"""The FTS columns, each a kind of document; also the column filters a query may use."""

FIELD_ORDER = {field: rank for rank, field in enumerate(FIELDS)}
"""When several documents of one task match, the row shows the first kind in this order."""

OPERATORS = frozenset({"AND", "OR", "NOT"})

SNIPPET_OPEN = "«"
SNIPPET_CLOSE = "»"
SNIPPET_TOKENS = 12
SNIPPET_LIMIT = 100
"""Snippets are made for this many hits (in order), the rows a queue shows first: each
re-tokenizes its document (about 50 us for 40 lines of code)."""

_NOT_AN_ID = re.compile(r"[\s:\"(){}*^]")
"""A query with one of these (spaces or FTS5 syntax) is not looked for in task ids."""

_ANNOTATION_TEXT = {
    "rationale": "json_extract({body}, '$.rationale')",
    "tags": "(SELECT group_concat(value, ' ') FROM json_each({body}, '$.tags'))",
    "comments": (
        "(SELECT group_concat(json_extract(value, '$.text'), char(10))"
        " FROM json_each({body}, '$.comments'))"
    ),
}
"""SQL for each annotation-derived text, from the annotation's JSON body."""

_FINDINGS_TEXT = (
    "(SELECT group_concat(f.rule_id || ' ' || f.cwe_id || ' '"
    " || coalesce(json_extract(f.body, '$.message'), ''), char(10))"
    " FROM findings f WHERE f.scan_hash = {scan_hash})"
)
"""One line per finding of a scan: rule id, CWE id and message."""

_CONTENT_VIEW = """
SELECT d.id,
       CASE WHEN d.field = 'prompt'
            THEN (SELECT t.prompt FROM tasks t WHERE t.id = d.task_id) END AS prompt,
       CASE WHEN d.field = 'code'
            THEN (SELECT r.code FROM responses r WHERE r.task_id = d.task_id AND r.key = d.ref)
            END AS code,
       CASE WHEN d.field = 'rationale' THEN d.body END AS rationale,
       CASE WHEN d.field = 'tags' THEN d.body END AS tags,
       CASE WHEN d.field = 'comments' THEN d.body END AS comments,
       CASE WHEN d.field = 'findings' THEN d.body END AS findings
  FROM search_docs d
"""

_COLUMNS = ", ".join(FIELDS)
_DOC = "search_docs WHERE task_id = {task} AND field = '{field}' AND ref = {ref}"


PENDING_BYTES = 32 * 1024 * 1024
"""FTS5 keeps this many bytes of new terms in memory before it writes a segment (its
default is 1 MB), so an import writes a few large segments and merges little; an
autosave's few terms never come near it."""

BULK_CACHE_KIB = 65536
"""The page cache (KiB) of a connection that imports: FTS5 merges its segments while
the transaction grows, and with SQLite's default 2 MB cache every merge re-read its
pages through the WAL (a third of the index's import cost, measured)."""


def _unindex(where: str) -> str:
    """Remove the documents selected by ``where`` (over search_docs) from the index."""
    return (
        f"INSERT INTO search_fts(search_fts, rowid, {_COLUMNS})"
        f" SELECT 'delete', id, {_COLUMNS} FROM search_content"
        f" WHERE id IN (SELECT id FROM search_docs WHERE {where});"
    )


def _index(where: str) -> str:
    """Add the documents selected by ``where`` (over search_docs) to the index."""
    return (
        f"INSERT INTO search_fts(rowid, {_COLUMNS})"
        f" SELECT id, {_COLUMNS} FROM search_content"
        f" WHERE id IN (SELECT id FROM search_docs WHERE {where});"
    )


def _annotation_docs(row: str) -> str:
    return (
        f"task_id = {row}.task_id AND ref = {row}.id AND field IN ('rationale','tags','comments')"
    )


def _insert_annotation_docs(row: str) -> str:
    return "".join(
        f"INSERT INTO search_docs(task_id, field, ref, body) VALUES"
        f" ({row}.task_id, '{field}', {row}.id, {sql.format(body=row + '.body')});"
        for field, sql in _ANNOTATION_TEXT.items()
    )


def _source_triggers(table: str, column: str, task: str, ref: str) -> dict[str, str]:
    """The triggers of a table whose rows are documents themselves (tasks' prompts,
    responses' code): ``column`` is the text (and its FTS column), ``task`` and ``ref``
    the row's columns that name its document. There is no insert trigger: rows are only
    inserted by ``Store.insert_tasks``, which indexes them itself (``index_new_tasks``)."""
    doc = _DOC.format(task=f"old.{task}", field=column, ref=f"old.{ref}" if ref else "''")
    unindex = (
        f"INSERT INTO search_fts(search_fts, rowid, {column})"
        f" SELECT 'delete', id, old.{column} FROM {doc};"
    )
    return {
        f"search_{table}_au AFTER UPDATE OF {column} ON {table}": (
            unindex + f"INSERT INTO search_fts(rowid, {column}) SELECT id, new.{column} FROM {doc};"
        ),
        f"search_{table}_ad AFTER DELETE ON {table}": unindex + f"DELETE FROM {doc};",
    }


def _triggers() -> dict[str, str]:
    """Trigger name -> body, keeping search_docs and search_fts in step with the sources."""
    scan_docs = "task_id = {r}.task_id AND field = 'findings' AND ref = {r}.key"
    return {
        **_source_triggers("tasks", "prompt", "id", ""),
        **_source_triggers("responses", "code", "task_id", "key"),
        "search_annotations_ai AFTER INSERT ON annotations": (
            _insert_annotation_docs("new") + _index(_annotation_docs("new"))
        ),
        "search_annotations_au AFTER UPDATE OF body, task_id ON annotations": (
            _unindex(_annotation_docs("old"))
            + f"DELETE FROM search_docs WHERE {_annotation_docs('old')};"
            + _insert_annotation_docs("new")
            + _index(_annotation_docs("new"))
        ),
        "search_annotations_ad AFTER DELETE ON annotations": (
            _unindex(_annotation_docs("old"))
            + f"DELETE FROM search_docs WHERE {_annotation_docs('old')};"
        ),
        "search_scans_ai AFTER INSERT ON response_scans": (
            "INSERT INTO search_docs(task_id, field, ref, body) VALUES (new.task_id, 'findings',"
            f" new.key, {_FINDINGS_TEXT.format(scan_hash='new.scan_hash')});"
            + _index(scan_docs.format(r="new"))
        ),
        "search_scans_au AFTER UPDATE ON response_scans": (
            _unindex(scan_docs.format(r="old"))
            + f"UPDATE search_docs SET body = {_FINDINGS_TEXT.format(scan_hash='new.scan_hash')}"
            f" WHERE {scan_docs.format(r='old')};" + _index(scan_docs.format(r="old"))
        ),
        "search_scans_ad AFTER DELETE ON response_scans": (
            _unindex(scan_docs.format(r="old"))
            + f"DELETE FROM search_docs WHERE {scan_docs.format(r='old')};"
        ),
    }


def install(db: sqlite_utils.Database) -> None:
    """Create the index for a workspace and fill it from what the workspace holds.

    Run once, by the migration that introduces search (the caller holds the transaction).
    """
    db.create_table(
        "search_docs",
        {"id": int, "task_id": str, "field": str, "ref": str, "body": str},
        pk="id",
        not_null={"task_id", "field", "ref"},
        defaults={"ref": ""},
    )
    db["search_docs"].create_index(  # type: ignore[union-attr]
        ["task_id", "field", "ref"], index_name="search_docs_source", unique=True
    )
    db.create_view("search_content", _CONTENT_VIEW)
    db.execute(
        f"CREATE VIRTUAL TABLE search_fts USING fts5({_COLUMNS},"
        " content='search_content', content_rowid='id', columnsize=0)"
    )
    db.execute(f"INSERT INTO search_fts(search_fts, rank) VALUES ('hashsize', {PENDING_BYTES})")
    _backfill(db)
    for head, body in _triggers().items():
        db.execute(f"CREATE TRIGGER {head} BEGIN {body} END")


def create_triggers(db: sqlite_utils.Database, table: str) -> None:
    """Make the index's triggers on ``table`` again: a migration that rebuilds a source
    table drops them with the old table."""
    for head, body in _triggers().items():
        if head.endswith(f" ON {table}"):
            db.execute(f"CREATE TRIGGER {head} BEGIN {body} END")


def index_new_tasks(
    conn: sqlite3.Connection,
    prompts: Sequence[tuple[str, str]],
    codes: Sequence[tuple[str, str, str]],
) -> None:
    """Index tasks just inserted: ``prompts`` are (task id, prompt), ``codes`` (task id,
    response key, code), the texts the inserting caller holds. The caller holds the
    transaction.

    Why not insert triggers on tasks and responses, as for everything else: a statement
    on a table whose triggers write ``search_fts`` opens a savepoint on it, and FTS5
    flushes its pending terms to a new segment at every savepoint, so an import wrote a
    segment per chunk and spent more on merging them than on tokenizing; reading the
    text back at the end of the import instead cost as much again (measured,
    BENCHMARKS.md). Indexed here from memory, FTS5 keeps ``PENDING_BYTES`` of terms and
    writes few, large segments.
    """
    if int(conn.execute("PRAGMA cache_size").fetchone()[0]) > -BULK_CACHE_KIB:
        conn.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    first = int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM search_docs").fetchone()[0])
    code_first = first + len(prompts)
    conn.executemany(
        "INSERT INTO search_docs(id, task_id, field, ref) VALUES (?, ?, ?, ?)",
        [(first + i, task_id, "prompt", "") for i, (task_id, _) in enumerate(prompts)]
        + [(code_first + i, task_id, "code", key) for i, (task_id, key, _) in enumerate(codes)],
    )
    conn.executemany(
        "INSERT INTO search_fts(rowid, prompt) VALUES (?, ?)",
        [(first + i, prompt) for i, (_, prompt) in enumerate(prompts)],
    )
    conn.executemany(
        "INSERT INTO search_fts(rowid, code) VALUES (?, ?)",
        [(code_first + i, code) for i, (_, _, code) in enumerate(codes)],
    )


def _backfill(db: sqlite_utils.Database) -> None:
    """Documents for everything stored before the index existed, then one rebuild."""
    db.execute(
        "INSERT INTO search_docs(task_id, field, ref) SELECT id, 'prompt', '' FROM tasks"
        " ORDER BY rowid"
    )
    db.execute(
        "INSERT INTO search_docs(task_id, field, ref) SELECT task_id, 'code', key FROM responses"
    )
    for field, sql in _ANNOTATION_TEXT.items():
        db.execute(
            f"INSERT INTO search_docs(task_id, field, ref, body)"
            f" SELECT task_id, '{field}', id, {sql.format(body='body')} FROM annotations"
        )
    db.execute(
        "INSERT INTO search_docs(task_id, field, ref, body) SELECT s.task_id, 'findings', s.key,"
        f" {_FINDINGS_TEXT.format(scan_hash='s.scan_hash')} FROM response_scans s"
    )
    db.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")


# -- querying -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SearchHit:
    """Why a task matched: the part of it that did and a snippet of the match."""

    task_id: str
    field: str
    """One of FIELDS, or "id" when the query is part of the task's id."""
    ref: str
    """The response key ("code", "findings"), the annotator ("rationale", ...), or ""."""
    snippet: str

    @property
    def label(self) -> str:
        """'code B', 'rationale (ak)', 'prompt': what the queue and the CLI show."""
        if self.field in ("code", "findings"):
            return f"{self.field} {self.ref.upper()}"
        if self.ref:
            return f"{self.field} ({self.ref})"
        return self.field


class SearchSyntaxError(ValueError):
    """The query is not FTS5 syntax even after quoting its words."""


def literal_query(text: str) -> str:
    """``text`` with every word but AND/OR/NOT quoted: what a query that is not FTS5 syntax
    means.

    ``os.system OR popen`` becomes ``"os.system" OR "popen"`` (the phrase "os system" or
    popen), ``rate-limiter-001`` the phrase "rate limiter 001", so punctuation typed into
    the search box finds the text instead of failing.
    """
    return " ".join(
        word if word in OPERATORS else '"' + word.replace('"', '""') + '"' for word in text.split()
    )


_DOC_HITS = """
SELECT d.task_id, d.field, d.ref, d.id, t.rowid
  FROM search_fts
  JOIN search_docs d ON d.id = search_fts.rowid
  JOIN tasks t ON t.id = d.task_id
 WHERE search_fts MATCH ?
"""

_SNIPPETS = """
SELECT rowid, snippet(search_fts, -1, ?, ?, '…', ?)
  FROM search_fts WHERE search_fts MATCH ? AND rowid IN (SELECT value FROM json_each(?))
"""

Doc = tuple[str, str, str, int, int]
"""A matching document: task id, field, ref, document id, the task's rowid (its order)."""


def _matching_docs(conn: sqlite3.Connection, text: str) -> tuple[str, list[Doc]]:
    """(the FTS5 query used, its matching documents); plain words when not FTS5 syntax."""
    last: sqlite3.OperationalError | None = None
    for query in (text, literal_query(text)):
        try:
            rows = conn.execute(_DOC_HITS, (query,)).fetchall()
        except sqlite3.OperationalError as error:
            last = error
            continue
        return query, [(str(r[0]), str(r[1]), str(r[2]), int(r[3]), int(r[4])) for r in rows]
    raise SearchSyntaxError(str(last))


def search(
    conn: sqlite3.Connection, text: str, snippets: int = SNIPPET_LIMIT
) -> dict[str, SearchHit]:
    """Tasks matching ``text`` (FTS5 syntax, docs/data.md), in import order.

    A task matches when one of its documents does, or when ``text`` (one word, no FTS5
    syntax) is part of its id, so typing an id still finds the task. Each task gets one
    hit: the first matching document in FIELDS order; the first ``snippets`` hits get a
    snippet of the match (each re-tokenizes its document), the others an empty one.
    """
    text = text.strip()
    if not text:
        return {}
    query, docs = _matching_docs(conn, text)
    chosen: dict[str, Doc] = {}
    for doc in docs:
        best = chosen.get(doc[0])
        if best is None or (FIELD_ORDER[doc[1]], doc[2]) < (FIELD_ORDER[best[1]], best[2]):
            chosen[doc[0]] = doc
    if not _NOT_AN_ID.search(text):
        for task_id, rowid in conn.execute(
            "SELECT id, rowid FROM tasks WHERE id LIKE ? ESCAPE '\\'",
            (f"%{_like_escape(text)}%",),
        ):
            chosen.setdefault(task_id, (task_id, "id", "", 0, rowid))
    ordered = sorted(chosen.values(), key=lambda doc: doc[4])
    shown = [doc[3] for doc in ordered[:snippets] if doc[1] != "id"]
    texts = _snippets(conn, query, shown) if shown else {}
    annotators = _annotators(conn, [doc[2] for doc in ordered if doc[1] in _ANNOTATION_TEXT])
    return {
        task_id: SearchHit(
            task_id,
            field,
            annotators.get(ref, ref) if field in _ANNOTATION_TEXT else ref,
            task_id if field == "id" else texts.get(doc_id, ""),
        )
        for task_id, field, ref, doc_id, _ in ordered
    }


def _snippets(conn: sqlite3.Connection, query: str, doc_ids: list[int]) -> dict[int, str]:
    rows = conn.execute(
        _SNIPPETS, (SNIPPET_OPEN, SNIPPET_CLOSE, SNIPPET_TOKENS, query, json.dumps(doc_ids))
    )
    return {int(doc_id): " ".join(str(snippet or "").split()) for doc_id, snippet in rows}


def _annotators(conn: sqlite3.Connection, annotation_ids: Iterable[str]) -> dict[str, str]:
    ids = json.dumps(sorted(set(annotation_ids)))
    if ids == "[]":
        return {}
    rows = conn.execute(
        "SELECT id, annotator FROM annotations WHERE id IN (SELECT value FROM json_each(?))",
        (ids,),
    )
    return {str(row[0]): str(row[1]) for row in rows}


def _like_escape(text: str) -> str:
    return re.sub(r"([\\%_])", r"\\\1", text)
