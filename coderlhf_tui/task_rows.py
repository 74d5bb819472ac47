"""A new task as the rows the store inserts: one ``tasks`` row and one ``responses`` row
per response.

Why rows are a type of their own: an import's fast path (``task_decode.decode_rows``)
builds them straight from the decoded record, without making the domain ``Task`` first
and taking it apart again, which cost more CPU than decoding the line (issue 18 part 4);
every other caller builds them from a ``Task`` here. ``Store.insert_task_rows`` stores
both alike, so the two builders must agree column for column; tests/core/test_task_decode.py
compares them on every record shape of docs/formats.md.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Protocol

from coderlhf_tui.domain import RANKED_KEYS, Task
from coderlhf_tui.serialize import test_spec_to_dict

TaskRow = tuple[str, str, str | None, str, str | None, str | None, str | None, int, str, int]
"""id, language, task_type, prompt, tests (JSON), gold (JSON), metadata (JSON), is_gold,
imported_at, n_responses: the ``tasks`` columns in ``Store``'s insert order."""

ResponseRow = tuple[str, str, str, str | None, str]
"""task id, key ("a".."h"), response id, model, code."""

NewTask = tuple[TaskRow, list[ResponseRow]]
"""One task's rows."""

encode_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode
"""The JSON columns' form (the store's own encoder settings), made once: ``json.dumps``
with options builds an encoder per call."""


class ResponseFields(Protocol):
    """What a response row is made of: a domain ``Response`` or a decoded record's."""

    @property
    def id(self) -> str: ...
    @property
    def model(self) -> str | None: ...
    @property
    def code(self) -> str: ...


def rows_of_task(task: Task, now: str) -> NewTask:
    """The rows of ``task``, imported at ``now``."""
    gold = task.gold
    return new_task_rows(
        task.id,
        task.language._value_,
        None if task.task_type is None else task.task_type._value_,
        task.prompt,
        None if task.tests is None else encode_json(test_spec_to_dict(task.tests)),
        None if gold is None else (gold.preference._value_, gold.note),
        task.metadata,
        now,
        task.responses,
    )


def new_task_rows(
    task_id: str,
    language: str,
    task_type: str | None,
    prompt: str,
    tests_json: str | None,
    gold: tuple[str, str] | None,
    metadata: dict[str, Any] | None,
    now: str,
    responses: Sequence[ResponseFields],
) -> NewTask:
    """The rows of one task from its parts (``gold`` as preference and note): the one place
    that knows the columns' order and the JSON columns' form."""
    return (
        (
            task_id,
            language,
            task_type,
            prompt,
            tests_json,
            None if gold is None else encode_json({"preference": gold[0], "note": gold[1]}),
            encode_json(metadata) if metadata else None,
            0 if gold is None else 1,
            now,
            len(responses),
        ),
        [
            (task_id, key, response.id, response.model, response.code)
            for key, response in zip(RANKED_KEYS, responses, strict=False)
        ],
    )
