"""Loaders for the public labelled corpora in ../shared/data/external, shared by the
detection benchmark, the audit benchmark and their tests.

- CyberSecEval (meta-llama/PurpleLlama): insecure ``origin_code`` snippets with a CWE label.
- SVEN (eth-sri/sven): vulnerable / fixed versions of the same real-world function.
- LDB (FloridSleeves/LLMDebugger): several models' first attempts at HumanEval/MBPP, with
  the hidden tests; two different solutions to the same prompt make a preference pair.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
EXTERNAL = (REPO.parent / "shared" / "data" / "external").resolve()

CSE_LANGUAGES = {
    "c": "c",
    "cpp": "cpp",
    "java": "java",
    "javascript": "javascript",
    "php": "php",
    "python": "python",
    "rust": "rust",
}
"""CyberSecEval languages we scan (C# is not one of coderlhf's languages)."""

SVEN_EXTENSIONS = {"py": "python", "c": "c", "h": "c", "C": "cpp", "cc": "cpp", "cpp": "cpp"}


@dataclass(frozen=True, slots=True)
class LabelledSnippet:
    """One insecure snippet: language, the CWE it was labelled with, the code."""

    id: str
    language: str
    cwe: str
    code: str


@dataclass(frozen=True, slots=True)
class VulnFixPair:
    """The vulnerable and the fixed version of one function."""

    id: str
    language: str
    cwe: str
    vulnerable: str
    fixed: str


def normalise_cwe(text: str) -> str:
    """``cwe-022`` / ``CWE-22`` -> ``CWE-22``."""
    number = text.strip().upper().removeprefix("CWE-").lstrip("0") or "0"
    return f"CWE-{number}"


def cyberseceval(external: Path = EXTERNAL) -> list[LabelledSnippet]:
    """CyberSecEval instruct snippets in our languages, one per distinct (code, CWE)."""
    records = json.loads((external / "cyberseceval" / "instruct.json").read_text())
    seen: set[tuple[str, str]] = set()
    out: list[LabelledSnippet] = []
    for record in records:
        language = CSE_LANGUAGES.get(record["language"])
        key = (record["origin_code"], record["cwe_identifier"])
        if language is None or key in seen:
            continue
        seen.add(key)
        out.append(
            LabelledSnippet(
                id=f"cse-{record['prompt_id']}-{record['language']}",
                language=language,
                cwe=normalise_cwe(record["cwe_identifier"]),
                code=record["origin_code"],
            )
        )
    return out


def sven(external: Path = EXTERNAL) -> list[VulnFixPair]:
    """SVEN's train and val pairs whose file is in one of our languages."""
    out: list[VulnFixPair] = []
    for path in sorted((external / "sven" / "data_train_val").glob("*/cwe-*.jsonl")):
        for index, line in enumerate(path.read_text().splitlines()):
            record = json.loads(line)
            language = SVEN_EXTENSIONS.get(record["file_name"].rsplit(".", 1)[-1])
            if language is None:
                continue
            out.append(
                VulnFixPair(
                    id=f"sven-{path.parent.name}-{path.stem}-{index}",
                    language=language,
                    cwe=normalise_cwe(record["vul_type"]),
                    vulnerable=record["func_src_before"],
                    fixed=record["func_src_after"],
                )
            )
    return out


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def ldb_pairs(external: Path = EXTERNAL, limit: int = 500) -> list[dict[str, Any]]:
    """Up to ``limit`` task-file records (docs/formats.md) built from LDB's seed programs.

    For every prompt, the distinct non-empty solutions of the different models are paired
    in a fixed order (a passing one first when there is one, so most pairs hold one passing
    and one failing response); the hidden test becomes a ``script`` test with the entry point.
    """
    tasks: list[dict[str, Any]] = []
    for suite in ("humaneval", "mbpp"):
        by_task: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        for model_dir in sorted((external / "ldb" / "input_data" / suite / "seed").iterdir()):
            for record in _jsonl(model_dir / "seed.jsonl"):
                if record.get("solution", "").strip():
                    by_task.setdefault(record["task_id"], []).append((model_dir.name, record))
        for task_id, entries in sorted(by_task.items()):
            distinct: dict[str, tuple[str, dict[str, Any]]] = {}
            for model, record in entries:
                distinct.setdefault(record["solution"].strip(), (model, record))
            ordered = sorted(
                distinct.values(), key=lambda e: (str(e[1].get("is_solved")) != "true", e[0])
            )
            for i in range(len(ordered)):
                for j in range(i + 1, len(ordered)):
                    tasks.append(_ldb_task(suite, task_id, ordered[i], ordered[j]))
    tasks.sort(key=lambda t: t["id"])
    if len(tasks) <= limit:
        return tasks
    return [tasks[i * len(tasks) // limit] for i in range(limit)]  # spread over both suites


def full_solution(prompt: str, entry_point: str, code: str) -> str:
    """A model's solution as a runnable module, following the HumanEval convention.

    Some seeds are a bare function body (the completion after the prompt): those get the
    prompt put first. Whole functions get the prompt's import lines they lack (a prompt's
    ``from typing import List`` is often not repeated).
    """
    if f"def {entry_point}" not in code:
        return prompt + code
    imports = [
        line
        for line in prompt.splitlines()
        if line.startswith(("import ", "from ")) and line not in code
    ]
    return "\n".join([*imports, code]) if imports else code


def _ldb_task(
    suite: str, task_id: str, a: tuple[str, dict[str, Any]], b: tuple[str, dict[str, Any]]
) -> dict[str, Any]:
    record = a[1]
    entry = record["entry_point"]
    test = f"{record['test']}\n\ncheck({entry})\n"
    slug = task_id.replace("/", "-").lower()
    return {
        "id": f"ldb-{suite}-{slug}-{a[0]}-vs-{b[0]}",
        "language": "python",
        "prompt": record["prompt"],
        "task_type": "implement",
        "responses": [
            {
                "id": "a",
                "model": a[0],
                "code": full_solution(record["prompt"], entry, a[1]["solution"]),
            },
            {
                "id": "b",
                "model": b[0],
                "code": full_solution(record["prompt"], entry, b[1]["solution"]),
            },
        ],
        "tests": {"kind": "script", "code": test, "entry_point": entry, "timeout_s": 10},
        "metadata": {
            "source": f"ldb/{suite}",
            "is_solved": {"a": a[1].get("is_solved"), "b": b[1].get("is_solved")},
        },
    }


def write_jsonl(records: list[dict[str, Any]], path: Path) -> Path:
    """Write task records one per line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path
