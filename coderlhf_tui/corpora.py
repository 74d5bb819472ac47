"""Public code benchmarks as coderlhf tasks: HumanEval-X and LDB's first-try programs.

The corpus tests, the benchmarks and the audit all need the same conversion, so it lives
here once. Every converted task has two responses, as the domain wants:

- HumanEval-X (``humaneval_<lang>.jsonl.gz``): response A is the canonical solution as a
  complete program, response B a *mutated* copy that returns a default value ("", 0,
  None, ...) before doing any work, so it must fail. Tests are the benchmark's own: a
  ``script`` for Python, C++, Java and JavaScript (a check or ``main`` run with the
  solution), a ``unit`` test for Go (``go test`` with testify) and Rust (``#[test]``).
  Tasks that need a library the toolbox lacks (Rust crates, Boost, OpenSSL) are left out.
- LDB (``input_data/<benchmark>/seed/<model>/seed.jsonl``): response A is the model's first
  try, response B the canonical solution; ``metadata["labels"]`` holds LDB's stored
  ``is_solved`` for A (and True for B), the label a re-run should reproduce.

Nothing here runs code; it only reads files and builds ``Task`` objects.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from coderlhf_tui.domain import Language, Response, Task, TaskType, TestKind, TestSpec

HUMANEVAL_X_LANGUAGES: dict[str, Language] = {
    "python": Language.PYTHON,
    "cpp": Language.CPP,
    "java": Language.JAVA,
    "js": Language.JAVASCRIPT,
    "go": Language.GO,
    "rust": Language.RUST,
}
"""HumanEval-X's file suffix -> our language."""

RUST_CRATES = re.compile(r"^use (?:rand|regex|md5)\b.*$", re.MULTILINE)
"""HumanEval-X's Rust declarations import crates a plain ``rustc`` does not have."""


class CorpusError(ValueError):
    """A corpus record cannot be turned into a task (the message says which and why)."""


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """The records of a ``.jsonl`` or ``.jsonl.gz`` file, in order."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


# --- HumanEval-X ---------------------------------------------------------------------


def humaneval_x_tasks(root: Path, lang: str) -> list[Task]:
    """Every convertible task of ``root/humaneval_<lang>.jsonl.gz`` (see the module doc)."""
    tasks = []
    for record in read_jsonl(root / f"humaneval_{lang}.jsonl.gz"):
        try:
            tasks.append(humaneval_x_task(record, lang))
        except CorpusError:
            continue
    return tasks


def humaneval_x_task(record: Mapping[str, Any], lang: str) -> Task:
    """One HumanEval-X record as a task: A canonical, B mutated (CorpusError if impossible)."""
    language = HUMANEVAL_X_LANGUAGES[lang]
    head, body = _humaneval_x_parts(record, lang)
    solution = head + body
    mutated = head + _early_return(head, lang) + body
    kind = TestKind.UNIT if lang in ("go", "rust") else TestKind.SCRIPT
    test = record["test"]
    if lang == "go":
        test = f"{record['test_setup']}\n{test}"
    task_id = str(record["task_id"])
    return Task(
        id=f"humaneval-x/{task_id}",
        language=language,
        prompt=str(record.get("prompt", "")),
        responses=(
            Response("a", solution, model="canonical"),
            Response("b", mutated, model="mutant"),
        ),
        tests=TestSpec(kind=kind, code=test),
        task_type=TaskType.IMPLEMENT,
        metadata={"source": "humaneval-x", "task_id": task_id, "expected": {"a": True, "b": False}},
    )


def _humaneval_x_parts(record: Mapping[str, Any], lang: str) -> tuple[str, str]:
    """(everything up to the function body's opening, the canonical body)."""
    body = str(record["canonical_solution"])
    if lang == "rust":
        if RUST_CRATES.search(body) or re.search(r"\b(?:Regex|md5|rand)::", body):
            raise CorpusError(f"{record['task_id']}: needs a crate plain rustc does not have")
        head = RUST_CRATES.sub("", str(record["declaration"]))
    elif lang == "cpp":
        if re.search(r"#include\s*<(?:boost|openssl)/", str(record["declaration"]) + body):
            raise CorpusError(f"{record['task_id']}: needs Boost or OpenSSL")
        # the prompt (one task's declaration holds half a body), with the declaration's headers
        headers = re.findall(
            r"^(?:#include.*|using namespace.*)$", str(record["declaration"]), re.M
        )
        head = "\n".join(headers) + "\n" + str(record["prompt"])
    elif lang in ("python", "go"):
        head = str(record["prompt"])
    else:
        head = str(record["declaration"])
    if not head.endswith("\n"):
        head += "\n"
    return head, body


def _early_return(head: str, lang: str) -> str:
    """A first statement for the function body that returns a default value (the mutant)."""
    if lang == "python":
        return "    return None\n"
    if lang == "js":
        return "  return undefined;\n"
    if lang == "cpp":
        return "    return {};\n"
    if lang == "rust":
        return "    return Default::default();\n"
    signature = head.rstrip().splitlines()[-1]
    if lang == "java":
        return f"        if (true) return {_java_default(signature)};\n"
    return f"    return {_go_zero_values(signature)}\n"


_JAVA_METHOD = re.compile(r"^\s*public\s+(?:static\s+)?(.+?)\s+\w+\s*\(")
_JAVA_DEFAULTS = {
    "boolean": "false",
    "int": "0",
    "long": "0L",
    "short": "(short) 0",
    "byte": "(byte) 0",
    "double": "0.0",
    "float": "0.0f",
    "char": "'\\0'",
}


def _java_default(signature: str) -> str:
    match = _JAVA_METHOD.match(signature)
    if match is None:
        raise CorpusError(f"not a Java method signature: {signature!r}")
    return _JAVA_DEFAULTS.get(match.group(1).strip(), "null")


def _go_zero_values(signature: str) -> str:
    """``*new(T)`` for each result type of a Go ``func`` line (the zero values)."""
    start = signature.find("(")
    depth, index = 0, start
    for index in range(start, len(signature)):
        depth += {"(": 1, ")": -1}.get(signature[index], 0)
        if depth == 0:
            break
    results = signature[index + 1 :].rsplit("{", 1)[0].strip()
    if results.startswith("(") and results.endswith(")"):
        parts = _split_top_level(results[1:-1])
    else:
        parts = [results]
    types = [part.split()[-1] if " " in part.strip() else part.strip() for part in parts]
    return ", ".join(f"*new({t})" for t in types)


def _split_top_level(text: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in text:
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


# --- LDB -------------------------------------------------------------------------------

LDB_BENCHMARKS = ("humaneval", "mbpp")


def ldb_tasks(root: Path, benchmark: str, model: str) -> list[Task]:
    """One model's first tries on an LDB benchmark (``root`` is LDB's ``input_data``)."""
    path = root / benchmark / "seed" / model / "seed.jsonl"
    return [ldb_task(record, benchmark, model) for record in read_jsonl(path)]


def ldb_task(record: Mapping[str, Any], benchmark: str, model: str) -> Task:
    """One LDB seed record: A the model's program, B the canonical one, Python script tests."""
    if benchmark not in LDB_BENCHMARKS:
        raise CorpusError(f"unknown LDB benchmark {benchmark!r}")
    canonical = str(record["canonical_solution"])
    if benchmark == "humaneval":  # HumanEval's canonical solution is the body only
        canonical = str(record["prompt"]) + canonical
    task_id = str(record["task_id"])
    return Task(
        id=f"ldb/{model}/{task_id}",
        language=Language.PYTHON,
        prompt=str(record["prompt"]),
        responses=(
            Response("a", str(record.get("solution") or ""), model=model),
            Response("b", canonical, model="canonical"),
        ),
        tests=TestSpec(
            kind=TestKind.SCRIPT, code=str(record["test"]), entry_point=str(record["entry_point"])
        ),
        task_type=TaskType.IMPLEMENT,
        metadata={
            "source": f"ldb/{benchmark}",
            "task_id": task_id,
            "labels": {"a": bool(record.get("is_solved")), "b": True},
        },
    )
