"""Runner configuration: default limits, the language -> image map, pool size, parallelism.

Read from the ``runner`` section of the user's config file (``coderlhf_tui.config``), e.g.::

    runner:
      backend: docker            # or bwrap
      image: coderlhf-toolbox:1  # every language's image unless ``images`` names another
      images: {java: eclipse-temurin:17}
      timeout_s: 10
      memory_mb: 512
      cpus: 1.0
      pids: 128
      output_bytes: 1000000
      disk_mb: 256
      compile_timeout_s: 60
      pool_size: 2
      jobs: 4                    # default: the number of cores
      reuse_containers: true     # batch: many runs per worker container (false: one each)
      bwrap_root: /              # the toolchain root bubblewrap binds read-only

A task's ``tests.timeout_s`` / ``tests.memory_mb`` override the defaults for that task only.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from coderlhf_tui import config
from coderlhf_tui.domain import Language, Limits, Task

DEFAULT_IMAGE = "coderlhf-toolbox:1"
BACKENDS = ("docker", "bwrap")


@dataclass(frozen=True, slots=True)
class RunnerSettings:
    """Everything a runner needs to know that is not in the task itself."""

    limits: Limits = field(default_factory=Limits)
    image: str = DEFAULT_IMAGE
    images: Mapping[str, str] = field(default_factory=dict)
    backend: str = "docker"
    compile_timeout_s: float = 60.0
    pool_size: int = 2
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    stored_output_chars: int = 16_000
    bwrap_root: str = "/"
    reuse_containers: bool = True
    """Batch runs (``coderlhf test``) run many responses one after another in each worker
    container, with fresh-container state restored between them (docker_batch); False
    gives every run its own container, as a keypress always does."""

    def image_for(self, language: Language) -> str:
        """The image a language's tests run in."""
        return self.images.get(language.value, self.image)

    def limits_for(self, task: Task) -> Limits:
        """The configured limits with the task's own timeout / memory overrides applied."""
        limits = self.limits
        tests = task.tests
        if tests is not None and tests.timeout_s is not None:
            limits = replace(limits, timeout_s=float(tests.timeout_s))
        if tests is not None and tests.memory_mb is not None:
            limits = replace(limits, memory_mb=int(tests.memory_mb))
        return limits


_LIMIT_KEYS: dict[str, type] = {
    "timeout_s": float,
    "memory_mb": int,
    "cpus": float,
    "pids": int,
    "output_bytes": int,
    "disk_mb": int,
}
_OTHER_KEYS: dict[str, type] = {
    "backend": str,
    "image": str,
    "images": dict,
    "compile_timeout_s": float,
    "pool_size": int,
    "jobs": int,
    "bwrap_root": str,
    "reuse_containers": bool,
}


def load_settings(path: Path | None = None) -> RunnerSettings:
    """The ``runner`` section of the config as RunnerSettings (ConfigError names a bad key)."""
    return settings_from_dict(
        config.section("runner", path), source=str(path or config.config_path())
    )


def settings_from_dict(raw: Mapping[str, Any], source: str = "runner") -> RunnerSettings:
    """Validate and convert a ``runner`` mapping; unknown keys are errors, not silence."""
    unknown = set(raw) - set(_LIMIT_KEYS) - set(_OTHER_KEYS)
    if unknown:
        raise config.ConfigError(f"{source}: runner: unknown key(s) {', '.join(sorted(unknown))}")
    values = {
        key: _typed(source, key, raw[key], kind) for key, kind in _LIMIT_KEYS.items() if key in raw
    }
    limits = Limits(**values)
    for key, value in values.items():
        if value <= 0:
            raise config.ConfigError(f"{source}: runner.{key}: must be positive, got {value}")
    other = {
        key: _typed(source, key, raw[key], kind) for key, kind in _OTHER_KEYS.items() if key in raw
    }
    if other.get("backend", "docker") not in BACKENDS:
        raise config.ConfigError(f"{source}: runner.backend: one of {', '.join(BACKENDS)}")
    images = other.get("images", {})
    known = {language.value for language in Language}
    for language, image in images.items():
        if language not in known or not isinstance(image, str) or not image:
            raise config.ConfigError(f"{source}: runner.images.{language}: a language and an image")
    for key in ("pool_size", "jobs"):
        if key in other and other[key] < (0 if key == "pool_size" else 1):
            raise config.ConfigError(f"{source}: runner.{key}: out of range")
    return RunnerSettings(limits=limits, **other)


def _typed(source: str, key: str, value: Any, kind: type) -> Any:
    if kind is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, kind) and (kind is bool or not isinstance(value, bool)):
        return value
    raise config.ConfigError(f"{source}: runner.{key}: expected {kind.__name__}, got {value!r}")
