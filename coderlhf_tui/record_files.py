"""Reading untrusted record files (JSONL or Parquet) one record at a time.

Every problem becomes a ``RecordError`` that names the file, the line (the row, for
Parquet) and the field, e.g. ``tasks.jsonl:17: responses[1].code: expected a string``,
never a traceback. Lines are read with a length cap so a 50 MB line costs a bounded
amount of memory and gets its own message instead of exhausting the machine.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_LINE_BYTES = 16 * 1024 * 1024
"""The longest record line accepted; longer lines are rejected, not loaded."""

_SKIP_CHUNK = 1024 * 1024


@dataclass(frozen=True, slots=True)
class RecordError:
    """One problem in one record: where it is and what is wrong."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class FieldError(ValueError):
    """Raised by validators; the reader adds the file and line."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class RawRecord:
    """A parsed record with its line number, or the error that kept it from parsing."""

    line: int
    value: Any = None
    error: RecordError | None = None


def iter_records(path: Path) -> Iterator[RawRecord]:
    """The records of a .jsonl/.json-lines or .parquet file, in order.

    Blank lines are skipped. A file with no records yields one error (an empty file is
    a mistake worth saying, not a silent no-op).
    """
    if path.suffix.lower() == ".parquet":
        yield from _iter_parquet(path)
    else:
        yield from _iter_jsonl(path)


def _iter_jsonl(path: Path) -> Iterator[RawRecord]:
    name = str(path)
    for item in iter_jsonl_lines(path):
        yield item if isinstance(item, RawRecord) else parse_line(name, *item)


def iter_jsonl_lines(path: Path) -> Iterator[tuple[int, bytes] | RawRecord]:
    """Each non-blank line of a JSONL file as (line number, its bytes), unparsed, or the
    error of a line too long to read; a file with no records yields one error.

    Unparsed so that a caller with a faster decoder for the usual record (ingest's task
    import) can try it first and hand ``parse_line`` only the lines it refuses.
    """
    name = str(path)
    seen_any = False
    with path.open("rb") as handle:
        line_no = 0
        while True:
            raw = handle.readline(MAX_LINE_BYTES + 1)
            if not raw:
                break
            line_no += 1
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                size = len(raw) + _skip_rest_of_line(handle)
                seen_any = True
                yield RawRecord(
                    line_no,
                    error=RecordError(
                        name,
                        line_no,
                        "",
                        f"line is {size / 1048576:.1f} MB, longer than the "
                        f"{MAX_LINE_BYTES // 1048576} MB limit for one record",
                    ),
                )
                continue
            if not raw.strip():
                continue
            seen_any = True
            yield line_no, raw
    if not seen_any:
        yield RawRecord(0, error=RecordError(name, 0, "", "the file is empty (no records)"))


def parse_line(name: str, line_no: int, raw: bytes) -> RawRecord:
    """One JSONL line parsed, or the error naming why it is not JSON (or not UTF-8)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return RawRecord(
            line_no,
            error=RecordError(name, line_no, "", f"invalid UTF-8 at byte {exc.start} of the line"),
        )
    try:
        return RawRecord(line_no, json.loads(text))
    except json.JSONDecodeError as exc:
        return RawRecord(
            line_no,
            error=RecordError(name, line_no, "", f"invalid JSON: {exc.msg} at column {exc.colno}"),
        )


def _skip_rest_of_line(handle: Any) -> int:
    skipped = 0
    while True:
        chunk = handle.readline(_SKIP_CHUNK)
        skipped += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return skipped


def _iter_parquet(path: Path) -> Iterator[RawRecord]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    name = str(path)
    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        yield RawRecord(0, error=RecordError(name, 0, "", f"not a readable Parquet file: {exc}"))
        return
    row = 0
    for batch in parquet.iter_batches(batch_size=1024):
        for record in batch.to_pylist():
            row += 1
            yield RawRecord(row, _drop_nulls(record))
    if row == 0:
        yield RawRecord(0, error=RecordError(name, 0, "", "the file is empty (no rows)"))


def _drop_nulls(value: Any) -> Any:
    """Parquet has a column for every key; a null there means the key was absent."""
    if isinstance(value, dict):
        return {k: _drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_nulls(v) for v in value]
    return value


class Fields:
    """Typed access to one JSON object, raising FieldError with the field's path."""

    def __init__(self, value: Any, path: str, allowed: set[str], required: set[str]) -> None:
        if type(value) is not dict and not isinstance(value, Mapping):
            raise FieldError(path or "(record)", f"expected an object, got {_kind(value)}")
        self.value = value
        self.path = path
        if allowed.issuperset(value) and all(value.get(key) is not None for key in required):
            return  # the usual case, checked in C; the loops below name what is wrong
        for key in value:
            if key not in allowed:
                hint = difflib.get_close_matches(str(key), sorted(allowed), n=1)
                suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
                raise FieldError(
                    self.at(str(key)),
                    f"unknown key{suggestion}; allowed: {', '.join(sorted(allowed))}",
                )
        for key in sorted(required):
            if key not in value or value[key] is None:
                raise FieldError(self.at(key), "required field is missing")

    def at(self, key: str) -> str:
        """The dotted path of ``key`` inside this object."""
        return f"{self.path}.{key}" if self.path else key

    def has(self, key: str) -> bool:
        """Whether the key is present and not null."""
        return self.value.get(key) is not None

    def string(self, key: str, *, non_empty: bool = False) -> str:
        """A string field."""
        value = self.value.get(key)
        if not isinstance(value, str):
            raise FieldError(self.at(key), f"expected a string, got {_kind(value)}")
        if non_empty and not value.strip():
            raise FieldError(self.at(key), "must not be empty")
        return value

    def optional_string(self, key: str) -> str | None:
        """A string field that may be absent or null."""
        return self.string(key) if self.has(key) else None

    def choice(self, key: str, options: list[str]) -> str:
        """A string that must be one of ``options``."""
        value = self.string(key)
        if value not in options:
            hint = difflib.get_close_matches(value, options, n=1)
            suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
            raise FieldError(
                self.at(key), f"unknown value {value!r}{suggestion}; expected one of {options}"
            )
        return value

    def number(self, key: str, *, minimum: float, maximum: float) -> float:
        """A number within [minimum, maximum]."""
        value = self.value.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise FieldError(self.at(key), f"expected a number, got {_kind(value)}")
        if not minimum <= value <= maximum:
            raise FieldError(self.at(key), f"{value} is outside {minimum:g}..{maximum:g}")
        return float(value)

    def integer(self, key: str, *, minimum: int, maximum: int) -> int:
        """A whole number within [minimum, maximum]."""
        value = self.value.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise FieldError(self.at(key), f"expected an integer, got {_kind(value)}")
        if not minimum <= value <= maximum:
            raise FieldError(self.at(key), f"{value} is outside {minimum}..{maximum}")
        return value

    def boolean(self, key: str) -> bool:
        """true or false."""
        value = self.value.get(key)
        if not isinstance(value, bool):
            raise FieldError(self.at(key), f"expected true or false, got {_kind(value)}")
        return value

    def array(self, key: str) -> list[Any]:
        """A JSON array."""
        value = self.value.get(key)
        if not isinstance(value, list):
            raise FieldError(self.at(key), f"expected an array, got {_kind(value)}")
        return value

    def obj(self, key: str) -> dict[str, Any]:
        """A JSON object (its own keys are checked by the caller)."""
        value = self.value.get(key)
        if not isinstance(value, Mapping):
            raise FieldError(self.at(key), f"expected an object, got {_kind(value)}")
        return dict(value)


def _kind(value: Any) -> str:
    """The JSON name of a value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__
