"""The content hash that lets a repeated test run be answered from the store.

It covers everything that can change a run's outcome: the response's code, the task's
tests, the plan the recipe made of them (so a recipe change invalidates old results), the
image, the limits and the isolation. Same hash, same run: no need to run it again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from typing import Any

from coderlhf_tui.domain import Language, Limits, TestSpec
from coderlhf_tui.runners.recipe import Plan

HASH_VERSION = 2
"""Bump when the meaning of a stored run changes (verdict rules, output capping...).
2: a pass needs proof of completion (EXITED_EARLY)."""


def run_hash(
    *,
    language: Language,
    code: str,
    tests: TestSpec | None,
    plan: Plan | None,
    image: str,
    limits: Limits,
    isolation: str,
    extra: dict[str, Any] | None = None,
) -> str:
    """A sha256 hex digest over a canonical JSON rendering of the run's inputs."""
    document = {
        "v": HASH_VERSION,
        "language": language.value,
        "code": code,
        "tests": asdict(tests) if tests is not None else None,
        "plan": _plan_dict(plan) if plan is not None else None,
        "image": image,
        "limits": asdict(limits),
        "isolation": isolation,
        "extra": extra or {},
    }
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plan_dict(plan: Plan) -> dict[str, Any]:
    return {
        "files": dict(sorted(plan.files.items())),
        "steps": [[s.name, s.command, s.kind, s.stdin, s.proof] for s in plan.steps],
    }
