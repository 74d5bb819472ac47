"""The repository task file: what it holds and the errors that point at the bad field.

A task is one JSON object (see docs/repotasks.md). Loading checks every field and names
the file, the line the field is on and the field itself, because a task file is written
by hand or by an import and a bare ``KeyError`` tells neither author what to fix.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT = "coderlhf-repo-task/1"


class RepoTaskError(ValueError):
    """A task (or an import) that cannot be used, with where the problem is."""

    def __init__(self, file: str, message: str, *, field: str = "", line: int | None = None):
        where = file + (f":{line}" if line else "") + (f" [{field}]" if field else "")
        super().__init__(f"{where}: {message}")
        self.file = file
        self.field = field
        self.line = line


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The repository as a local file beside the task: a git bundle or a tarball."""

    path: Path
    sha256: str
    kind: str  # "bundle" | "tarball"
    strip: int = 1
    """Leading path components a tarball's members drop (an sdist has one)."""


@dataclass(frozen=True, slots=True)
class Environment:
    """How the repository's tests run: the setup decides the image, the command the run."""

    language: str
    requirements: tuple[str, ...]
    test_command: str
    python: str = "3.11"

    def setup_hash(self) -> str:
        """What the environment image is keyed by: tasks with the same setup share it."""
        text = json.dumps(
            {"language": self.language, "python": self.python, "req": sorted(self.requirements)},
            sort_keys=True,
        )
        return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class PatchResponse:
    """One agent's answer: a unified diff against the base commit."""

    name: str
    patch: str


@dataclass(frozen=True, slots=True)
class RepoTask:
    """A whole repository task, its snapshot resolved against the task file's folder."""

    instance_id: str
    repo: str
    problem: str
    snapshot: Snapshot
    base_commit: str
    environment: Environment
    fail_to_pass: tuple[str, ...]
    pass_to_pass: tuple[str, ...]
    responses: tuple[PatchResponse, ...]
    test_patch: str = ""
    source: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    pair: tuple[str, ...] = ()
    """Names of the two responses the workspace compares, when the task file's ``pair``
    says so; empty: every response (a ranking for 3..8, ``stored.as_store_task``)."""


def line_of(text: str, key: str) -> int | None:
    """The first line where ``"key"`` appears in the JSON text (1-based), if it does."""
    at = text.find(json.dumps(key))
    return text.count("\n", 0, at) + 1 if at >= 0 else None


class _Fields:
    """Reads typed fields out of one JSON object, raising RepoTaskError that locates them."""

    def __init__(self, file: str, text: str, data: dict[str, Any], prefix: str = "") -> None:
        self.file, self.text, self.data, self.prefix = file, text, data, prefix

    def fail(self, name: str, message: str) -> RepoTaskError:
        leaf = name.rsplit(".", 1)[-1].split("[")[0]
        return RepoTaskError(
            self.file, message, field=self.prefix + name, line=line_of(self.text, leaf)
        )

    def get(self, name: str, kind: type, default: Any = ...) -> Any:
        if name not in self.data:
            if default is ...:
                raise self.fail(name, "missing")
            return default
        value = self.data[name]
        if not isinstance(value, kind):
            raise self.fail(name, f"expected {kind.__name__}, got {type(value).__name__}")
        return value

    def text_list(self, name: str) -> tuple[str, ...]:
        value = self.get(name, list, [])
        if not all(isinstance(item, str) for item in value):
            raise self.fail(name, "expected a list of strings")
        return tuple(value)

    def child(self, name: str) -> _Fields:
        return _Fields(self.file, self.text, self.get(name, dict), f"{self.prefix}{name}.")


def parse_task(path: Path, text: str) -> RepoTask:
    """A task from its JSON text; ``path`` locates the snapshot and names the errors."""
    file = str(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RepoTaskError(file, f"not JSON: {exc.msg}", line=exc.lineno) from exc
    if not isinstance(data, dict):
        raise RepoTaskError(file, "a task is a JSON object")
    top = _Fields(file, text, data)
    if top.get("format", str) != FORMAT:
        raise top.fail("format", f"expected {FORMAT!r}")
    snap = top.child("snapshot")
    kind = snap.get("kind", str)
    if kind not in ("bundle", "tarball"):
        raise snap.fail("kind", "expected 'bundle' or 'tarball'")
    digest = snap.get("sha256", str)
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise snap.fail("sha256", "expected 64 lower-case hex digits")
    env = top.child("environment")
    responses = []
    for index, item in enumerate(top.get("responses", list)):
        if not isinstance(item, dict):
            raise top.fail(f"responses[{index}]", "expected an object")
        one = _Fields(file, text, item, f"responses[{index}].")
        responses.append(PatchResponse(one.get("name", str), one.get("patch", str)))
    if len(responses) < 2:
        raise top.fail("responses", f"a task needs 2 or more responses, got {len(responses)}")
    names = [r.name for r in responses]
    if len(set(names)) != len(names):
        raise top.fail("responses", "response names must be unique")
    task = RepoTask(
        instance_id=top.get("instance_id", str),
        repo=top.get("repo", str),
        problem=top.get("problem_statement", str, ""),
        snapshot=Snapshot(
            path=(path.parent / snap.get("path", str)).resolve(),
            sha256=digest,
            kind=kind,
            strip=snap.get("strip", int, 1),
        ),
        base_commit=top.get("base_commit", str),
        environment=Environment(
            language=env.get("language", str),
            requirements=env.text_list("requirements"),
            test_command=env.get("test_command", str),
            python=env.get("python", str, "3.11"),
        ),
        fail_to_pass=top.text_list("FAIL_TO_PASS"),
        pass_to_pass=top.text_list("PASS_TO_PASS"),
        responses=tuple(responses),
        test_patch=top.get("test_patch", str, ""),
        source=file,
        pair=top.text_list("pair"),
    )
    if task.pair and (len(task.pair) != 2 or not set(task.pair) <= set(names)):
        raise top.fail("pair", f"expected two response names of {', '.join(names)}")
    if task.environment.language != "python":
        raise env.fail("language", "only python repository tasks run today")
    if not task.fail_to_pass:
        raise top.fail("FAIL_TO_PASS", "at least one test must go from failing to passing")
    return task


def load_task(path: Path) -> RepoTask:
    """Read and check one task file (RepoTaskError names what is wrong and where)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RepoTaskError(str(path), f"cannot read the task: {exc.strerror}") from exc
    return parse_task(path, text)


def task_json(task: RepoTask, snapshot_name: str) -> dict[str, Any]:
    """The file form of ``task``, its snapshot named relative to the task file."""
    env = task.environment
    return {
        "format": FORMAT,
        "instance_id": task.instance_id,
        "repo": task.repo,
        "problem_statement": task.problem,
        "snapshot": {
            "path": snapshot_name,
            "kind": task.snapshot.kind,
            "sha256": task.snapshot.sha256,
            "strip": task.snapshot.strip,
        },
        "base_commit": task.base_commit,
        "environment": {
            "language": env.language,
            "python": env.python,
            "requirements": list(env.requirements),
            "test_command": env.test_command,
        },
        "test_patch": task.test_patch,
        "FAIL_TO_PASS": list(task.fail_to_pass),
        "PASS_TO_PASS": list(task.pass_to_pass),
        "responses": [{"name": r.name, "patch": r.patch} for r in task.responses],
        **({"pair": list(task.pair)} if task.pair else {}),
    }
