"""The Arrow JSON Lines encoder writes what ``json`` reads back unchanged."""

from __future__ import annotations

import json

import pyarrow as pa

from coderlhf_tui.export.arrow_json import jsonl_bytes


def decode(data: bytes) -> list[object]:
    return [json.loads(line) for line in data.decode("utf-8").split("\n")[:-1]]


def test_round_trip_of_awkward_values() -> None:
    table = pa.table(
        {
            "s": pa.array(['q"b\\s\n\t\r\x01\x1f é \u2028 😀', None, ""]),
            "i": pa.array([1, None, -7], pa.int8()),
            "f": pa.array([1.0, None, 0.1]),
            "b": pa.array([True, None, False]),
            "l": pa.array([[1, 2], None, []]),
            "st": pa.array([{"x": 1.5, "y": "z"}, None, {"x": None, "y": None}]),
            "nested": pa.array([[{"k": ["a"]}], [], None]),
        }
    )
    assert decode(jsonl_bytes(table)) == table.to_pylist()


def test_floats_stay_floats_and_keys_keep_schema_order() -> None:
    data = jsonl_bytes(pa.table({"margin": pa.array([2.0]), "a": pa.array([1])}))
    assert data == b'{"margin":2.0,"a":1}\n'


def test_sliced_tables_encode_only_their_rows() -> None:
    table = pa.table({"x": pa.array(["a", "b", "c"])})
    assert jsonl_bytes(table.slice(1, 1)) == b'{"x":"b"}\n'
    assert jsonl_bytes(table.slice(0, 0)) == b""


def test_escapes_are_byte_stable() -> None:
    # Short escapes for \n \r \t, \u00XX (lower-case hex) for every other control
    # character, including backspace and form feed; UTF-8 and U+2028 kept as they are.
    table = pa.table({"s": pa.array(['q"b\\\n\r\t', "\x08\x0c\x01\x1f", "é\u2028\x7f"])})
    assert jsonl_bytes(table) == (
        b'{"s":"q\\"b\\\\\\n\\r\\t"}\n'
        b'{"s":"\\u0008\\u000c\\u0001\\u001f"}\n' + '{"s":"é\u2028\x7f"}\n'.encode()
    )
