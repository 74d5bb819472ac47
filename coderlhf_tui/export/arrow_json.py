"""JSON Lines from Arrow tables, encoded column by column with Arrow's compute kernels.

Turning each row into a Python dict and calling ``json.dumps`` cost more than the rest
of a 100,000-pair export together. Here every column becomes an array of JSON text
fragments in one vectorised step (strings escaped with substring replacement, numbers
cast, structs and lists assembled from their children's fragments), the fragments of a
row are joined with the keys, and the resulting string array's data buffer already is
the JSON Lines text.

Output follows RFC 8259: strings escape ``"``, ``\\`` and control characters (UTF-8 is
kept as is); floats always carry a fraction or exponent (``1.0``, never ``1``), so a
reader infers a float column; nulls are ``null``. Keys appear in schema order.
"""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_ALWAYS = (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"))
_WHEN_PRESENT = (("\r", "\\r"), ("\t", "\\t"))
_OTHER_CONTROLS = [chr(c) for c in range(0x20) if chr(c) not in "\n\r\t"]


def _escaped(strings: pa.Array) -> pa.Array:
    for old, new in _ALWAYS:
        strings = pc.replace_substring(strings, old, new)
    for old, new in _WHEN_PRESENT:  # rare in code: a scan is cheaper than a copy
        if pc.any(pc.match_substring(strings, old)).as_py():
            strings = pc.replace_substring(strings, old, new)
    if pc.any(pc.match_substring_regex(strings, r"[\x00-\x1f]")).as_py():
        for char in _OTHER_CONTROLS:
            strings = pc.replace_substring(strings, char, f"\\u{ord(char):04x}")
    return strings


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
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        text = _join('"', _escaped(values), '"')
    elif pa.types.is_integer(kind):
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


def jsonl_bytes(table: pa.Table) -> bytes:
    """The table as JSON Lines (one object per row, keys in column order)."""
    if table.num_rows == 0:
        return b""
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
    data: bytes = lines.buffers()[2].slice(start, end - start).to_pybytes()
    return data
