"""Importing SWE-bench-style instances and predictions as repository tasks.

An instance has ``instance_id``, ``repo``, ``base_commit``, ``patch`` (the reference fix),
``test_patch``, ``FAIL_TO_PASS`` and ``PASS_TO_PASS`` (JSON lists, or strings holding one,
as the published dataset has them) and usually ``problem_statement``. A prediction has
``instance_id``, ``model_name_or_path`` and ``model_patch``. Both files may be a JSON list
or JSON lines; predictions may also be an object keyed by instance id (the harness accepts
that too). SWE-bench has no environment fields of its own (its harness keeps a table per
repository), so the requirements and test command come from the command line unless an
instance carries ``requirements`` / ``test_command``.

The repositories are not fetched: each instance's snapshot is looked up locally as
``<instance_id>`` or ``<owner>__<name>`` with ``.bundle``, ``.tar.gz`` or ``.tgz``.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coderlhf_tui.repotasks.snapshots import file_sha256
from coderlhf_tui.repotasks.task_format import (
    Environment,
    PatchResponse,
    RepoTask,
    RepoTaskError,
    Snapshot,
    task_json,
)

INSTANCE_FIELDS = ("instance_id", "repo", "base_commit", "patch", "test_patch")
PREDICTION_FIELDS = ("instance_id", "model_name_or_path", "model_patch")
SNAPSHOT_SUFFIXES = ((".bundle", "bundle"), (".tar.gz", "tarball"), (".tgz", "tarball"))


@dataclass(frozen=True, slots=True)
class Record:
    """One object of an input file and where it was (1-based line of its start)."""

    data: dict[str, Any]
    file: str
    line: int


def read_records(path: Path) -> list[Record]:
    """The objects of a JSON list, a JSON-lines file or an object keyed by instance id."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RepoTaskError(file, f"cannot read: {exc.strerror}") from exc
    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        try:
            whole = json.loads(text)
        except json.JSONDecodeError:
            whole = None  # JSON lines start with "{" too
        if isinstance(whole, list):
            return [_record(item, file, _line_of_item(text, item), None) for item in whole]
        if isinstance(whole, dict) and "instance_id" not in whole:
            return [_record(item, file, 1, key) for key, item in whole.items()]
        if isinstance(whole, dict):
            return [_record(whole, file, 1, None)]
    records = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RepoTaskError(file, f"not JSON: {exc.msg}", line=number) from exc
        records.append(_record(item, file, number, None))
    return records


def _line_of_item(text: str, item: Any) -> int:
    if isinstance(item, dict) and isinstance(item.get("instance_id"), str):
        at = text.find(json.dumps(item["instance_id"]))
        if at >= 0:
            return text.count("\n", 0, at) + 1
    return 1


def _record(item: Any, file: str, line: int, key: str | None) -> Record:
    if not isinstance(item, dict):
        raise RepoTaskError(file, "expected an object", line=line)
    if key is not None:
        item = {"instance_id": key, **item}
    return Record(item, file, line)


def _require(record: Record, names: tuple[str, ...]) -> None:
    for name in names:
        if not isinstance(record.data.get(name), str):
            raise RepoTaskError(
                record.file, "missing or not a string", field=name, line=record.line
            )


def _test_list(record: Record, name: str) -> tuple[str, ...]:
    value = record.data.get(name, [])
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise RepoTaskError(
                record.file, "not a JSON list", field=name, line=record.line
            ) from exc
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RepoTaskError(
            record.file, "expected a list of test ids", field=name, line=record.line
        )
    return tuple(value)


def find_snapshot(record: Record, folder: Path) -> Snapshot:
    """The instance's local snapshot (RepoTaskError naming every name that was tried)."""
    stems = [record.data["instance_id"], record.data["repo"].replace("/", "__")]
    tried = []
    for stem in stems:
        for suffix, kind in SNAPSHOT_SUFFIXES:
            path = folder / f"{stem}{suffix}"
            tried.append(path.name)
            if path.is_file():
                return Snapshot(path.resolve(), file_sha256(path), kind)
    raise RepoTaskError(
        record.file,
        f"no snapshot for {record.data['instance_id']} in {folder} (tried {', '.join(tried)})",
        field="instance_id",
        line=record.line,
    )


def import_instances(
    instances: Path,
    predictions: list[Path],
    snapshots: Path,
    *,
    requirements: tuple[str, ...] = (),
    test_command: str = "",
    include_gold: bool = False,
) -> list[RepoTask]:
    """Repository tasks for every instance that has 2 or more responses."""
    by_instance: dict[str, list[PatchResponse]] = {}
    for path in predictions:
        for record in read_records(path):
            _require(record, PREDICTION_FIELDS)
            data = record.data
            answers = by_instance.setdefault(data["instance_id"], [])
            name = data["model_name_or_path"]
            if any(answer.name == name for answer in answers):
                raise RepoTaskError(
                    record.file, f"a second prediction by {name}", field="model_name_or_path",
                    line=record.line,
                )  # fmt: skip
            answers.append(PatchResponse(name, data["model_patch"]))
    tasks = []
    for record in read_records(instances):
        _require(record, INSTANCE_FIELDS)
        data = record.data
        responses = list(by_instance.get(data["instance_id"], []))
        if include_gold:
            responses.insert(0, PatchResponse("gold", data["patch"]))
        if len(responses) < 2:
            continue
        command = data.get("test_command") or test_command
        if not command:
            raise RepoTaskError(
                record.file, "no test command: pass --test-command", field="test_command",
                line=record.line,
            )  # fmt: skip
        tasks.append(
            RepoTask(
                instance_id=data["instance_id"],
                repo=data["repo"],
                problem=str(data.get("problem_statement", "")),
                snapshot=find_snapshot(record, snapshots),
                base_commit=data["base_commit"],
                environment=Environment(
                    "python", tuple(data.get("requirements") or requirements), command
                ),
                fail_to_pass=_test_list(record, "FAIL_TO_PASS"),
                pass_to_pass=_test_list(record, "PASS_TO_PASS"),
                responses=tuple(responses),
                test_patch=data["test_patch"],
                source=f"{record.file}:{record.line}",
            )
        )
    return tasks


def write_tasks(tasks: list[RepoTask], out: Path) -> list[Path]:
    """Each task as ``<instance_id>.json`` in ``out``, its snapshot beside it (linked or
    copied when it lives elsewhere)."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for task in tasks:
        snapshot = out / task.snapshot.path.name
        if not snapshot.exists():
            try:
                os.link(task.snapshot.path, snapshot)
            except OSError:
                shutil.copyfile(task.snapshot.path, snapshot)
        path = out / f"{task.instance_id}.json"
        text = json.dumps(task_json(task, snapshot.name), indent=1) + "\n"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
