"""Importing task files: validate every record completely, then store atomically.

A task file is untrusted input. Each record is checked field by field against
docs/formats.md (unknown keys are errors, so a typo never vanishes) and a problem is reported
as ``file:line: field: message``. A file is stored in one transaction: with any error
nothing from it is kept, unless the caller asks to skip invalid records. Records are
validated and inserted as they stream in, so a 100,000-task file needs little memory. A
JSONL line is first decoded in C (``task_decode``); only a line that fast path refuses is
parsed and checked field by field here, which is what names the problem.

Why one thread: validation ran in a read-ahead thread while SQLite stored the chunk
before, but once decoding cost a few microseconds per task the two threads mostly traded
the GIL (SQLite releases it at every row): more CPU and more memory for no wall time
gained under load (BENCHMARKS.md, issue 18 part 4).
"""

from __future__ import annotations

import gc
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from coderlhf_tui.clock import utc_now
from coderlhf_tui.domain import (
    MAX_RESPONSES,
    Gold,
    IoCase,
    Language,
    Response,
    Task,
    TestKind,
    TestSpec,
)
from coderlhf_tui.record_files import (
    FieldError,
    Fields,
    RawRecord,
    RecordError,
    iter_jsonl_lines,
    iter_records,
    parse_line,
)
from coderlhf_tui.store import Store
from coderlhf_tui.task_decode import (
    COMPARE,
    CONTROL,
    LANGUAGES,
    MAX_ID_LENGTH,
    MAX_MEMORY_MB,
    MAX_TIMEOUT_S,
    PREFERENCES,
    TASK_TYPES,
    TEST_KINDS,
    decode_rows,
    decode_task,
)
from coderlhf_tui.task_rows import NewTask, rows_of_task

TASK_KEYS = {"id", "language", "prompt", "task_type", "responses", "tests", "gold", "metadata"}
RESPONSE_KEYS = {"id", "code", "model"}
TEST_KEYS = {
    "kind",
    "code",
    "cases",
    "entry_point",
    "compare",
    "setup",
    "expected_rows",
    "ordered",
    "timeout_s",
    "memory_mb",
}
CASE_KEYS = {"stdin", "stdout"}
GOLD_KEYS = {"preference", "note"}
T = TypeVar("T")

READ_CHUNK = 1000
"""Records validated per chunk before it is stored: a few MB in memory at a time."""


class _Abort(Exception):
    """Rolls back a file's transaction when it holds an error."""


@dataclass(slots=True)
class FileReport:
    """What importing one file did."""

    file: str
    imported: int = 0
    errors: list[RecordError] = field(default_factory=list)
    aborted: bool = False

    @property
    def ok(self) -> bool:
        """True when every record was valid."""
        return not self.errors


def task_from_record(value: Any) -> Task:
    """Validate one task record; raises FieldError naming the field."""
    record = Fields(value, "", TASK_KEYS, {"id", "language", "prompt", "responses"})
    task_id = record.string("id", non_empty=True)
    if len(task_id) > MAX_ID_LENGTH or CONTROL.search(task_id):
        raise FieldError("id", f"must be at most {MAX_ID_LENGTH} printable characters")
    language = LANGUAGES[record.choice("language", list(LANGUAGES))]
    prompt = record.string("prompt", non_empty=True)
    task_type = (
        TASK_TYPES[record.choice("task_type", list(TASK_TYPES))]
        if record.has("task_type")
        else None
    )
    responses = _responses(record)
    tests = (
        _tests(Fields(record.obj("tests"), "tests", TEST_KEYS, {"kind"}), language)
        if record.has("tests")
        else None
    )
    gold = _gold(record) if record.has("gold") else None
    if gold is not None and len(responses) > 2:
        raise FieldError("gold", "a ranked task (more than two responses) cannot be a gold task")
    metadata = record.obj("metadata") if record.has("metadata") else {}
    return Task(
        id=task_id,
        language=language,
        prompt=prompt,
        responses=responses,
        tests=tests,
        task_type=task_type,
        gold=gold,
        metadata=metadata,
    )


def _responses(record: Fields) -> tuple[Response, ...]:
    """Two responses (a pairwise task) or up to eight (a ranked task), distinct ids."""
    items = record.array("responses")
    if not 2 <= len(items) <= MAX_RESPONSES:
        raise FieldError("responses", f"expected 2 to {MAX_RESPONSES} responses, got {len(items)}")
    out: list[Response] = []
    for index, item in enumerate(items):
        response = Fields(item, f"responses[{index}]", RESPONSE_KEYS, {"id", "code"})
        out.append(
            Response(
                id=response.string("id", non_empty=True),
                code=response.string("code"),
                model=response.optional_string("model"),
            )
        )
    first_of: dict[str, int] = {}
    for index, made in enumerate(out):
        if made.id in first_of:
            raise FieldError(f"responses[{index}].id", f"duplicate response id {made.id!r}")
        first_of[made.id] = index
    return tuple(out)


def _tests(tests: Fields, language: Language) -> TestSpec:
    kind = TEST_KINDS[tests.choice("kind", list(TEST_KINDS))]
    code = tests.string("code") if tests.has("code") else ""
    cases = tuple(_cases(tests)) if tests.has("cases") else ()
    compare = tests.string("compare") if tests.has("compare") else "exact"
    if not COMPARE.match(compare):
        raise FieldError("tests.compare", "expected exact, whitespace or float:<tolerance>")
    rows = _rows(tests) if tests.has("expected_rows") else None
    if language is Language.SQL:
        if rows is None and not code.strip() and not cases:
            raise FieldError("tests", "a SQL test needs expected_rows, code or cases")
    elif kind is TestKind.IO and not cases:
        raise FieldError("tests.cases", "an io test needs at least one case")
    elif kind in (TestKind.SCRIPT, TestKind.UNIT) and not code.strip():
        raise FieldError("tests.code", f"a {kind.value} test needs test code")
    return TestSpec(
        kind=kind,
        code=code,
        cases=cases,
        entry_point=tests.optional_string("entry_point"),
        compare=compare,
        setup=tests.optional_string("setup"),
        expected_rows=rows,
        ordered=tests.boolean("ordered") if tests.has("ordered") else False,
        timeout_s=(
            tests.number("timeout_s", minimum=0.1, maximum=MAX_TIMEOUT_S)
            if tests.has("timeout_s")
            else None
        ),
        memory_mb=(
            tests.integer("memory_mb", minimum=16, maximum=MAX_MEMORY_MB)
            if tests.has("memory_mb")
            else None
        ),
    )


def _cases(tests: Fields) -> Iterator[IoCase]:
    for index, item in enumerate(tests.array("cases")):
        case = Fields(item, f"tests.cases[{index}]", CASE_KEYS, {"stdout"})
        stdin = case.string("stdin") if case.has("stdin") else ""
        yield IoCase(stdin=stdin, stdout=case.string("stdout"))


def _rows(tests: Fields) -> tuple[tuple[Any, ...], ...]:
    rows = []
    for index, row in enumerate(tests.array("expected_rows")):
        if not isinstance(row, list):
            raise FieldError(f"tests.expected_rows[{index}]", "expected an array (one row)")
        for column, cell in enumerate(row):
            if isinstance(cell, dict | list) or (
                isinstance(cell, float) and not math.isfinite(cell)
            ):
                raise FieldError(
                    f"tests.expected_rows[{index}][{column}]",
                    "expected a string, number, boolean or null",
                )
        rows.append(tuple(row))
    return tuple(rows)


def _gold(record: Fields) -> Gold:
    gold = Fields(record.obj("gold"), "gold", GOLD_KEYS, {"preference"})
    preference = PREFERENCES[gold.choice("preference", list(PREFERENCES))]
    note = gold.string("note") if gold.has("note") else ""
    return Gold(preference=preference, note=note)


def validated_tasks(path: Path) -> Iterator[tuple[int, Task] | RecordError]:
    """Each record of a task file as (line, Task) or as the error that rejects it.

    Duplicate ids within the file are errors here; ids already in a store are checked
    by the importer, which knows the store.
    """
    records = _checked_records(path, decode_task, _same_task)
    return _first_of_each_id(path, records, _id_of_task)


def validated_rows(path: Path, now: str) -> Iterator[tuple[int, NewTask] | RecordError]:
    """``validated_tasks``, each task as the rows the store inserts (imported at ``now``);
    a line the fast path takes becomes rows without a ``Task`` made in between."""
    records = _checked_records(
        path, lambda line: decode_rows(line, now), lambda task: rows_of_task(task, now)
    )
    return _first_of_each_id(path, records, _id_of_rows)


def _same_task(task: Task) -> Task:
    return task


def _id_of_task(task: Task) -> str:
    return task.id


def _id_of_rows(rows: NewTask) -> str:
    return rows[0][0]


def _first_of_each_id(
    path: Path, records: Iterator[tuple[int, T] | RecordError], id_of: Callable[[T], str]
) -> Iterator[tuple[int, T] | RecordError]:
    """The records with a repeated id turned into errors naming the first one's line."""
    seen: dict[str, int] = {}
    for item in records:
        if isinstance(item, RecordError):
            yield item
            continue
        line, made = item
        task_id = id_of(made)
        if task_id in seen:
            first = seen[task_id]
            yield RecordError(
                str(path), line, "id", f"duplicate id {task_id!r} (first on line {first})"
            )
            continue
        seen[task_id] = line
        yield item


def _checked_records(
    path: Path, fast: Callable[[bytes], T | None], of_task: Callable[[Task], T]
) -> Iterator[tuple[int, T] | RecordError]:
    """Each record as (line, what ``fast`` or ``of_task`` makes of it) or its error. A JSONL
    line goes through the C decoder (``fast``, from ``task_decode``) first, and only a line
    it refuses through ``json`` and ``task_from_record``, which name the problem."""
    if path.suffix.lower() == ".parquet":
        yield from (_checked(raw, path, of_task) for raw in iter_records(path))
        return
    name = str(path)
    for item in iter_jsonl_lines(path):
        if isinstance(item, RawRecord):
            yield _checked(item, path, of_task)
            continue
        made = fast(item[1])
        if made is None:
            yield _checked(parse_line(name, *item), path, of_task)
        else:
            yield item[0], made


def _checked(
    raw: RawRecord, path: Path, of_task: Callable[[Task], T]
) -> tuple[int, T] | RecordError:
    """The field-by-field validation of one parsed record."""
    if raw.error is not None:
        return raw.error
    try:
        return raw.line, of_task(task_from_record(raw.value))
    except FieldError as exc:
        return RecordError(str(path), raw.line, exc.field, exc.message)


def load_task_file(path: Path) -> tuple[list[Task], list[RecordError]]:
    """Validate a whole task file without a store: (valid tasks, errors)."""
    tasks: list[Task] = []
    errors: list[RecordError] = []
    for item in validated_tasks(path):
        if isinstance(item, RecordError):
            errors.append(item)
        else:
            tasks.append(item[1])
    return tasks, errors


def import_task_file(store: Store, path: Path, *, skip_invalid: bool = False) -> FileReport:
    """Validate and store one task file atomically.

    Without ``skip_invalid`` a single error stores nothing from the file; with it, the
    valid records are stored and the invalid ones reported.
    """
    report = FileReport(file=str(path))
    if not path.is_file():
        report.errors.append(RecordError(str(path), 0, "", "no such file"))
        return report
    try:
        with _collection_paused(), store.foreign_keys_unchecked(), store.transaction():
            _stream_into(store, path, report, skip_invalid)
            if report.errors and not skip_invalid:
                raise _Abort
    except _Abort:
        report.imported = 0
        report.aborted = True
    return report


@contextmanager
def _collection_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a file is imported.

    Why: an import allocates a few objects per field of every record, none of them in a
    cycle, so reference counting frees them all; but the allocations kept triggering
    automatic collections, and every full one walked the whole heap of the command
    (numpy, pyarrow, the CLI's modules): 10-15 % of an import's CPU (perf, issue 18).
    Collection is restored as it was, even when the import fails.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _stream_into(store: Store, path: Path, report: FileReport, skip_invalid: bool) -> None:
    """Store the file's valid records chunk by chunk."""
    records = validated_rows(path, utc_now())
    while chunk := list(islice(records, READ_CHUNK)):
        pending: list[tuple[int, NewTask]] = []
        for item in chunk:
            if isinstance(item, RecordError):
                report.errors.append(item)
            else:
                pending.append(item)
        if not pending:
            continue
        existing = store.existing_task_ids(rows[0][0] for _, rows in pending)
        valid = []
        for line, rows in pending:
            if rows[0][0] in existing:
                message = f"task {rows[0][0]!r} is already in the workspace"
                report.errors.append(RecordError(str(path), line, "id", message))
            else:
                valid.append(rows)
        if valid and (skip_invalid or not report.errors):
            report.imported += store.insert_task_rows(valid)
