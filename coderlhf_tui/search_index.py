"""Full-text search over a workspace: prompts, every response's code, annotations, findings.

SQLite FTS5 indexes *documents*: a task's prompt, one
response's code (any key, "a".."h"), one annotation's rationale, tags or line comments,
one response's finding messages. Each document fills exactly one of the FTS columns, so
the column a hit matched says which part of the task matched (and a column filter such
as ``code:subprocess`` is plain FTS5 syntax), and a task with a hundred annotations does
not make its code heavier to re-index when one rationale changes.

Why three FTS tables with external content: the prompts and code are already stored once
(``tasks``, ``responses``); copying 4 KB of code per task into a second table doubled
import's writes, so each FTS table reads its text through a view. Prompts
(``search_prompt``) and code (``search_code``) are indexed under their own row's rowid,
so an import writes no mapping row for them (a ``search_docs`` row and its unique index
entry per prompt and per response cost about 6 us of the index's ~35 us per task,
measured) and FTS5 reads a document back (snippets, checks) by a rowid lookup. The
other documents are derived from JSON (rationale, tags, comments, findings): for them
``search_fts`` keeps a ``search_docs`` row that maps the document to its source and
holds a copy of its text, which is what makes deleting its old tokens exact when the
source changes. Every table has all six columns, so a query (column filters included)
means the same in each and a search runs it on all three.

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

SOURCES: dict[str, tuple[str, str]] = {
    "prompt": ("tasks", "search_prompt"),
    "code": ("responses", "search_code"),
}
"""Fields whose document is a row of a source table: (that table, the FTS table that
indexes it under the row's rowid)."""

DERIVED_INDEX = "search_fts"
"""The FTS table of the documents derived from JSON, mapped through ``search_docs``."""

INDEXES: tuple[str, ...] = (*(index for _, index in SOURCES.values()), DERIVED_INDEX)


def index_of(field: str) -> str:
    """The FTS table that holds a document of ``field``."""
    return SOURCES[field][1] if field in SOURCES else DERIVED_INDEX


def _text_view(field: str) -> str:
    """The content of a source field's FTS table: its table's text under the row's rowid
    (a flattened view, so FTS5's ``WHERE id = ?`` is a rowid lookup)."""
    table = SOURCES[field][0]
    columns = ", ".join(name if name == field else f"NULL AS {name}" for name in FIELDS)
    return f"SELECT rowid AS id, {columns} FROM {table}"


_DERIVED_CONTENT = (
    "SELECT d.id, "
    + ", ".join(
        f"CASE WHEN d.field = '{name}' THEN d.body END AS {name}"
        if name not in SOURCES
        else f"NULL AS {name}"
        for name in FIELDS
    )
    + " FROM search_docs d"
)

_COLUMNS = ", ".join(FIELDS)


PENDING_BYTES = 32 * 1024 * 1024
"""FTS5 keeps this many bytes of new terms in memory before it writes a segment (its
default is 1 MB), so an import writes a few large segments and merges little; an
autosave's few terms never come near it."""

SOURCE_AUTOMERGE = 0
"""FTS5's ``automerge`` for the prompt and code indexes: no merging after each segment
written, only FTS5's crisis merge of a level's 16 segments. FTS5 also writes its pending
terms at every savepoint, and an import whose table inserts open savepoints (a
multi-row INSERT does) writes one segment per chunk: merging those four at a time cost
about 5 us per imported task; a search over 15 segments measured as fast as over 5."""

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


def _source_triggers(field: str) -> dict[str, str]:
    """The triggers of a table whose rows are documents themselves (tasks' prompts,
    responses' code): the row's rowid is its document's id in the field's FTS table.
    There is no insert trigger: rows are only inserted by ``Store.insert_tasks``, which
    indexes them itself (``index_new_tasks``)."""
    table, index = SOURCES[field]
    unindex = (
        f"INSERT INTO {index}({index}, rowid, {field}) VALUES ('delete', old.rowid, old.{field});"
    )
    return {
        f"search_{table}_au AFTER UPDATE OF {field} ON {table}": (
            unindex + f"INSERT INTO {index}(rowid, {field}) VALUES (new.rowid, new.{field});"
        ),
        f"search_{table}_ad AFTER DELETE ON {table}": unindex,
    }


def _triggers() -> dict[str, str]:
    """Trigger name -> body, keeping search_docs and search_fts in step with the sources."""
    scan_docs = "task_id = {r}.task_id AND field = 'findings' AND ref = {r}.key"
    return {
        **_source_triggers("prompt"),
        **_source_triggers("code"),
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

    Run by the migrations that introduce search or rebuild it (the caller holds the
    transaction).
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
    db.create_view("search_content", _DERIVED_CONTENT)
    contents = {DERIVED_INDEX: "search_content"}
    for field, (_, index) in SOURCES.items():
        contents[index] = f"{index}_text"
        db.create_view(contents[index], _text_view(field))
    for index, content in contents.items():
        db.execute(
            f"CREATE VIRTUAL TABLE {index} USING fts5({_COLUMNS},"
            f" content='{content}', content_rowid='id', columnsize=0)"
        )
        db.execute(f"INSERT INTO {index}({index}, rank) VALUES ('hashsize', {PENDING_BYTES})")
        if index != DERIVED_INDEX:
            db.execute(
                f"INSERT INTO {index}({index}, rank) VALUES ('automerge', {SOURCE_AUTOMERGE})"
            )
    _backfill(db)
    for head, body in _triggers().items():
        db.execute(f"CREATE TRIGGER {head} BEGIN {body} END")


def reinstall(db: sqlite_utils.Database) -> None:
    """Drop the index, whichever layout made it, and install it again from the sources.

    Migration 8: the layout of migration 3 (one FTS table, a ``search_docs`` row for every
    prompt and response) becomes the three tables of ``install``."""
    for head in _triggers():
        db.execute(f"DROP TRIGGER IF EXISTS {head.split()[0]}")
    for index in INDEXES:
        db.execute(f"DROP TABLE IF EXISTS {index}")
        db.execute(f"DROP VIEW IF EXISTS {index}_text")
    db.execute("DROP VIEW IF EXISTS search_content")
    db.execute("DROP TABLE IF EXISTS search_docs")
    install(db)


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
    response key, code), in the order they were inserted, the texts the inserting caller
    holds. The caller holds the transaction.

    Why not insert triggers on tasks and responses, as for everything else: a statement
    on a table whose triggers write an FTS table opens a savepoint on it, and FTS5
    flushes its pending terms to a new segment at every savepoint, so an import wrote a
    segment per chunk and spent more on merging them than on tokenizing; reading the
    text back at the end of the import instead cost as much again (measured,
    BENCHMARKS.md). Indexed here from memory, FTS5 keeps ``PENDING_BYTES`` of terms and
    writes few, large segments.
    """
    if int(conn.execute("PRAGMA cache_size").fetchone()[0]) > -BULK_CACHE_KIB:
        conn.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    for field, rows in (("prompt", prompts), ("code", codes)):
        if not rows:
            continue
        table, index = SOURCES[field]
        conn.executemany(
            f"INSERT INTO {index}(rowid, {field}) VALUES (?, ?)",
            [
                (rowid, row[-1])
                for rowid, row in zip(
                    _new_rowids(conn, table, [row[:-1] for row in rows]), rows, strict=True
                )
            ],
        )


_ROW_KEY = {"tasks": "id", "responses": "task_id, key"}
"""The columns that name a row of a source table, as the rows handed to index_new_tasks."""


def _new_rowids(conn: sqlite3.Connection, table: str, keys: list[tuple[str, ...]]) -> list[int]:
    """The rowids of the rows named by ``keys``, the last rows inserted into ``table``.

    SQLite gives a new row the largest rowid in use plus one, so rows just inserted in
    one go hold the last ``len(keys)`` rowids: found with two lookups, where asking for
    each row by its key would cost an index search per document. Checked at both ends;
    should SQLite ever have chosen otherwise (a table whose largest rowid was taken), each
    row is looked up.
    """
    last = conn.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0]
    first = int(last or 0) - len(keys) + 1
    ends = conn.execute(
        f"SELECT {_ROW_KEY[table]} FROM {table} WHERE rowid IN (?, ?) ORDER BY rowid",
        (first, last),
    ).fetchall()
    if [tuple(end) for end in ends] == list(dict.fromkeys([keys[0], keys[-1]])):
        return list(range(first, first + len(keys)))
    where = " AND ".join(f"{column.strip()} = ?" for column in _ROW_KEY[table].split(","))
    query = f"SELECT rowid FROM {table} WHERE {where}"
    return [int(conn.execute(query, key).fetchone()[0]) for key in keys]


def _backfill(db: sqlite_utils.Database) -> None:
    """Documents for everything stored before the index existed, then one rebuild each."""
    for field, sql in _ANNOTATION_TEXT.items():
        db.execute(
            f"INSERT INTO search_docs(task_id, field, ref, body)"
            f" SELECT task_id, '{field}', id, {sql.format(body='body')} FROM annotations"
        )
    db.execute(
        "INSERT INTO search_docs(task_id, field, ref, body) SELECT s.task_id, 'findings', s.key,"
        f" {_FINDINGS_TEXT.format(scan_hash='s.scan_hash')} FROM response_scans s"
    )
    for index in INDEXES:
        db.execute(f"INSERT INTO {index}({index}) VALUES ('rebuild')")


def check_integrity(conn: sqlite3.Connection) -> None:
    """FTS5's own check that each index holds exactly its content's tokens (raises
    sqlite3.DatabaseError when not)."""
    for index in INDEXES:
        conn.execute(f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)")


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
SELECT t.id, 'prompt', '', f.rowid, t.rowid
  FROM search_prompt f JOIN tasks t ON t.rowid = f.rowid
 WHERE search_prompt MATCH :query
UNION ALL
SELECT r.task_id, 'code', r.key, f.rowid, t.rowid
  FROM search_code f JOIN responses r ON r.rowid = f.rowid JOIN tasks t ON t.id = r.task_id
 WHERE search_code MATCH :query
UNION ALL
SELECT d.task_id, d.field, d.ref, d.id, t.rowid
  FROM search_fts f JOIN search_docs d ON d.id = f.rowid JOIN tasks t ON t.id = d.task_id
 WHERE search_fts MATCH :query
"""

_SNIPPETS = """
SELECT rowid, snippet({index}, -1, ?, ?, '…', ?)
  FROM {index} WHERE {index} MATCH ? AND +rowid IN (SELECT value FROM json_each(?))
"""
"""One pass over the query's matches, snippets for the listed documents: with a plain
``rowid IN`` FTS5 runs the query again for each listed rowid, and a prefix query
(``subproc*``) gathers its terms' documents each time (100 snippets: 330 ms, this 6 ms;
a word in every document, ``value``: 4 ms, this 20 ms)."""

Doc = tuple[str, str, str, int, int]
"""A matching document: task id, field, ref, document id (the rowid in its field's FTS
table, ``index_of``), the task's rowid (its order)."""


def _matching_docs(conn: sqlite3.Connection, text: str) -> tuple[str, list[Doc]]:
    """(the FTS5 query used, its matching documents); plain words when not FTS5 syntax."""
    last: sqlite3.OperationalError | None = None
    for query in (text, literal_query(text)):
        try:
            rows = conn.execute(_DOC_HITS, {"query": query}).fetchall()
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
    shown = [doc for doc in ordered[:snippets] if doc[1] != "id"]
    texts = _snippets(conn, query, shown)
    annotators = _annotators(conn, [doc[2] for doc in ordered if doc[1] in _ANNOTATION_TEXT])
    return {
        task_id: SearchHit(
            task_id,
            field,
            annotators.get(ref, ref) if field in _ANNOTATION_TEXT else ref,
            task_id if field == "id" else texts.get((index_of(field), doc_id), ""),
        )
        for task_id, field, ref, doc_id, _ in ordered
    }


def _snippets(conn: sqlite3.Connection, query: str, docs: list[Doc]) -> dict[tuple[str, int], str]:
    """(FTS table, document id) -> the snippet of the match in that document."""
    found: dict[tuple[str, int], str] = {}
    for index in INDEXES:
        doc_ids = [doc[3] for doc in docs if index_of(doc[1]) == index]
        if not doc_ids:
            continue
        rows = conn.execute(
            _SNIPPETS.format(index=index),
            (SNIPPET_OPEN, SNIPPET_CLOSE, SNIPPET_TOKENS, query, json.dumps(doc_ids)),
        )
        found.update(
            ((index, int(doc_id)), " ".join(str(snippet or "").split())) for doc_id, snippet in rows
        )
    return found


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
