"""JSON Lines from Arrow tables, encoded column by column with Arrow's compute kernels.

Turning each row into a Python dict and calling ``json.dumps`` cost more than the rest
of a 100,000-pair export together. Here every column becomes an array of JSON text
fragments in one step (numbers cast, structs and lists assembled from their children's
fragments), the fragments of a row are joined with the keys, and the resulting string
array's data buffer already is the JSON Lines text. Strings are the bulk of the bytes
(the code): each is quoted by the standard library's C string encoder, one call per
string, which is three times cheaper than Arrow's substring replacement (one full copy
per escaped character); the rare string holding a backspace or form feed, which that
encoder writes as ``\\b``/``\\f``, goes through ``str.translate`` to keep the ``\\u``
form.

Output follows RFC 8259: strings escape ``"``, ``\\`` and control characters (UTF-8 is
kept as is); floats always carry a fraction or exponent (``1.0``, never ``1``), so a
reader infers a float column; nulls are ``null``. Keys appear in schema order.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_ESCAPES = {code: f"\\u{code:04x}" for code in range(0x20)} | {
    ord("\n"): "\\n",
    ord("\r"): "\\r",
    ord("\t"): "\\t",
    ord('"'): '\\"',
    ord("\\"): "\\\\",
}
"""``str.translate`` table: the escapes of RFC 8259 this module writes."""


def json_string(text: str) -> str:
    """One string as a JSON string literal, escaped exactly as these files escape it."""
    if "\x08" in text or "\x0c" in text:
        return '"' + text.translate(_ESCAPES) + '"'
    return str(encode_basestring(text))


def _quoted(strings: pa.Array) -> pa.Array:
    """Every string as a JSON string literal (``null`` for a null)."""
    return pa.array(
        ["null" if text is None else json_string(text) for text in strings.to_pylist()],
        pa.string(),
    )


def _join(*parts: pa.Array | str) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def _floats(values: pa.Array) -> pa.Array:
    text = pc.cast(values, pa.string())
    has_point = pc.match_substring_regex(text, r"[.eEn]")
    return pc.if_else(has_point, text, _join(text, ".0"))


def _struct(values: pa.Array) -> pa.Array:
    kind = values.type
    parts: list[pa.Array | str] = []
    for i in range(kind.num_fields):
        key = json.dumps(kind.field(i).name)
        parts.append(("{" if i == 0 else ",") + key + ":")
        parts.append(fragments(pc.struct_field(values, [i])))
    parts.append("}" if kind.num_fields else "{}")
    return _join(*parts)


def _list(values: pa.Array) -> pa.Array:
    lengths = pc.fill_null(pc.list_value_length(values), 0).to_numpy(zero_copy_only=False)
    offsets = pa.array(np.concatenate(([0], np.cumsum(lengths))).astype(np.int32))
    inner = fragments(pc.list_flatten(values))
    joined = pc.binary_join(pa.ListArray.from_arrays(offsets, inner), ",")
    return _join("[", joined, "]")


def fragments(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """The JSON text of every value of an array."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    kind = values.type
    if pa.types.is_dictionary(kind):  # each distinct value encoded once (repeated long texts)
        return pc.fill_null(fragments(values.dictionary).take(values.indices), "null")
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return _quoted(values)
    if pa.types.is_integer(kind):
        text = pc.cast(values, pa.string())
    elif pa.types.is_floating(kind):
        text = _floats(values)
    elif pa.types.is_boolean(kind):
        text = pc.if_else(values, "true", "false")
    elif pa.types.is_struct(kind):
        text = _struct(values)
    elif pa.types.is_list(kind) or pa.types.is_large_list(kind):
        text = _list(values)
    elif pa.types.is_null(kind):
        return pa.array(["null"] * len(values), pa.string())
    else:
        raise TypeError(f"no JSON encoding for Arrow type {kind}")
    if values.null_count:
        return pc.if_else(values.is_valid(), text, "null")
    return text


def jsonl_buffer(table: pa.Table) -> pa.Buffer:
    """The table as JSON Lines (one object per row, keys in column order), as an Arrow
    buffer that a file's ``write`` takes without another copy."""
    if table.num_rows == 0:
        return pa.py_buffer(b"")
    parts: list[pa.Array | str] = []
    for i, name in enumerate(table.column_names):
        parts.append(("{" if i == 0 else ",") + json.dumps(name, ensure_ascii=False) + ":")
        parts.append(fragments(table.column(i)))
    parts.append("}\n")
    lines = _join(*parts)
    if isinstance(lines, pa.ChunkedArray):
        lines = lines.combine_chunks()
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)
    start, end = offsets[lines.offset], offsets[lines.offset + len(lines)]
    return lines.buffers()[2].slice(start, end - start)


def jsonl_bytes(table: pa.Table) -> bytes:
    """The table as JSON Lines, as bytes."""
    data: bytes = jsonl_buffer(table).to_pybytes()
    return data
