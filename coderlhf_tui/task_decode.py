"""The fast path of a task import: one JSONL line decoded and type-checked in C (msgspec).

Why: parsing a line into dicts with ``json`` and then checking it field by field in Python
(``ingest.task_from_record``) cost about 28 us of an import's CPU per task, as much as
storing it; msgspec decodes the line straight into typed structures, refusing unknown keys
and wrong types as it goes, in about 5 us (BENCHMARKS.md, issue 18 part 4). The rules
msgspec's types cannot say (non-empty text, ranges, the test kinds' needs) are checked here
in a few comparisons.

It is only a fast path. A line it does not accept completely returns ``None`` and goes to
``ingest.task_from_record``, the one validator that names what is wrong, so every error
message is exactly the field-by-field one. It never accepts a record that validator would
reject, and what it accepts becomes the same ``Task`` (tests/core/test_task_decode.py checks
both on every tricky input we know of). Lines msgspec parses differently from ``json``
(NaN, 1e400, lone surrogates) are ones it refuses, so they take the slow path too.
"""

from __future__ import annotations

import math
import re
from typing import Any

import msgspec

from coderlhf_tui.domain import (
    MAX_RESPONSES,
    Gold,
    IoCase,
    Language,
    Preference,
    Response,
    Task,
    TaskType,
    TestKind,
    TestSpec,
)
from coderlhf_tui.task_rows import NewTask, encode_json, new_task_rows

MAX_TIMEOUT_S = 600.0
MAX_MEMORY_MB = 16384
MAX_ID_LENGTH = 200
COMPARE = re.compile(r"^(exact|whitespace|float:[0-9.eE+-]+)$")
CONTROL = re.compile(r"[\x00-\x1f]")
LANGUAGES = {lang.value: lang for lang in Language}
TASK_TYPES = {kind.value: kind for kind in TaskType}
TEST_KINDS = {kind.value: kind for kind in TestKind}
PREFERENCES = {pref.value: pref for pref in Preference}
"""Each enum's values, made once: listing an enum per record was a tenth of validating it."""

Cell = str | int | float | bool | None


class _Response(msgspec.Struct, forbid_unknown_fields=True):
    id: str
    code: str
    model: str | None = None


class _Case(msgspec.Struct, forbid_unknown_fields=True):
    stdout: str
    stdin: str | None = None


class _Tests(msgspec.Struct, forbid_unknown_fields=True):
    kind: str
    code: str | None = None
    cases: list[_Case] | None = None
    entry_point: str | None = None
    compare: str | None = None
    setup: str | None = None
    expected_rows: list[list[Cell]] | None = None
    ordered: bool | None = None
    timeout_s: float | None = None
    memory_mb: int | None = None


class _Gold(msgspec.Struct, forbid_unknown_fields=True):
    preference: str
    note: str | None = None


class _Task(msgspec.Struct, forbid_unknown_fields=True):
    id: str
    language: str
    prompt: str
    responses: list[_Response]
    task_type: str | None = None
    tests: _Tests | None = None
    gold: _Gold | None = None
    metadata: dict[str, Any] | None = None


_DECODER = msgspec.json.Decoder(_Task)


class _Refused(Exception):
    """The record breaks a rule: the field-by-field validator will say which."""


def decode_task(line: bytes) -> Task | None:
    """The task on ``line`` when it is valid as it stands, else ``None`` (take the slow path)."""
    record = _valid(line)
    return None if record is None else _task(record)


def decode_rows(line: bytes, now: str) -> NewTask | None:
    """The rows of the task on ``line`` (imported at ``now``) when it is valid as it
    stands, else ``None``: what ``task_rows.rows_of_task`` makes of ``decode_task``'s task,
    built without making the ``Task``."""
    record = _valid(line)
    return None if record is None else _rows(record, now)


def _valid(line: bytes) -> _Task | None:
    try:
        record = _DECODER.decode(line)
        _check(record)
    except (msgspec.DecodeError, _Refused, KeyError):
        return None
    return record


def _check(record: _Task) -> None:
    """Raise _Refused (KeyError for an unknown language or test kind) unless every rule
    of ``ingest.task_from_record`` holds."""
    task_id = record.id
    if not task_id.strip() or len(task_id) > MAX_ID_LENGTH or CONTROL.search(task_id):
        raise _Refused
    if not record.prompt.strip():
        raise _Refused
    language = LANGUAGES[record.language]
    if record.task_type is not None and record.task_type not in TASK_TYPES:
        raise _Refused
    items = record.responses
    if not 2 <= len(items) <= MAX_RESPONSES:
        raise _Refused
    ids = {item.id for item in items}
    if len(ids) != len(items) or not all(item_id.strip() for item_id in ids):
        raise _Refused
    if record.gold is not None and (record.gold.preference not in PREFERENCES or len(items) > 2):
        raise _Refused
    if record.tests is not None:
        _check_tests(record.tests, language)


def _check_tests(tests: _Tests, language: Language) -> None:
    kind = TEST_KINDS[tests.kind]
    code = tests.code or ""
    if tests.compare is not None and not COMPARE.match(tests.compare):
        raise _Refused
    rows = tests.expected_rows
    if rows is not None and not all(
        type(cell) is not float or math.isfinite(cell) for row in rows for cell in row
    ):
        raise _Refused
    if language is Language.SQL:
        if rows is None and not code.strip() and not tests.cases:
            raise _Refused
    elif (kind is TestKind.IO and not tests.cases) or (
        kind is not TestKind.IO and not code.strip()
    ):
        raise _Refused
    timeout_s = tests.timeout_s
    if timeout_s is not None and not 0.1 <= timeout_s <= MAX_TIMEOUT_S:
        raise _Refused
    memory_mb = tests.memory_mb
    if memory_mb is not None and not 16 <= memory_mb <= MAX_MEMORY_MB:
        raise _Refused


def _task(record: _Task) -> Task:
    gold = record.gold
    tests = record.tests
    return Task(
        id=record.id,
        language=LANGUAGES[record.language],
        prompt=record.prompt,
        responses=tuple(Response(item.id, item.code, item.model) for item in record.responses),
        tests=None if tests is None else _tests(tests),
        task_type=None if record.task_type is None else TASK_TYPES[record.task_type],
        gold=None if gold is None else Gold(PREFERENCES[gold.preference], gold.note or ""),
        metadata={} if record.metadata is None else record.metadata,
    )


def _tests(tests: _Tests) -> TestSpec:
    rows = tests.expected_rows
    return TestSpec(
        kind=TEST_KINDS[tests.kind],
        code=tests.code or "",
        cases=()
        if not tests.cases
        else tuple(IoCase(case.stdin or "", case.stdout) for case in tests.cases),
        entry_point=tests.entry_point,
        compare="exact" if tests.compare is None else tests.compare,
        setup=tests.setup,
        expected_rows=None if rows is None else tuple(tuple(row) for row in rows),
        ordered=bool(tests.ordered),
        timeout_s=tests.timeout_s,
        memory_mb=tests.memory_mb,
    )


def _rows(record: _Task, now: str) -> NewTask:
    gold = record.gold
    return new_task_rows(
        record.id,
        record.language,
        record.task_type,
        record.prompt,
        None if record.tests is None else encode_json(_tests_dict(record.tests)),
        None if gold is None else (gold.preference, gold.note or ""),
        record.metadata,
        now,
        record.responses,
    )


def _tests_dict(tests: _Tests) -> dict[str, Any]:
    """What ``serialize.test_spec_to_dict`` writes for the TestSpec ``_tests`` would make."""
    out: dict[str, Any] = {"kind": tests.kind}
    if tests.code:
        out["code"] = tests.code
    if tests.cases:
        out["cases"] = [{"stdin": case.stdin or "", "stdout": case.stdout} for case in tests.cases]
    if tests.entry_point is not None:
        out["entry_point"] = tests.entry_point
    if tests.compare is not None and tests.compare != "exact":
        out["compare"] = tests.compare
    if tests.setup is not None:
        out["setup"] = tests.setup
    if tests.expected_rows is not None:
        out["expected_rows"] = tests.expected_rows
    if tests.ordered:
        out["ordered"] = True
    if tests.timeout_s is not None:
        out["timeout_s"] = tests.timeout_s
    if tests.memory_mb is not None:
        out["memory_mb"] = tests.memory_mb
    return out
