"""Runner settings from the user config, and per-task overrides."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from coderlhf_tui.config import ConfigError
from coderlhf_tui.domain import Language, Limits
from coderlhf_tui.runners.settings import DEFAULT_IMAGE, load_settings
from tests.runners.helpers import python_task


def write(tmp_path: Path, runner: object) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump({"runner": runner}))
    return path


def test_defaults_without_a_config(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "absent.yaml")
    assert settings.limits == Limits() and settings.image == DEFAULT_IMAGE
    assert settings.jobs >= 1 and settings.backend == "docker"


def test_config_section_is_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        {"timeout_s": 3, "memory_mb": 128, "image": "x:1", "images": {"java": "j:17"}, "jobs": 3},
    )
    settings = load_settings(path)
    assert settings.limits.timeout_s == 3.0 and settings.limits.memory_mb == 128
    assert settings.image_for(Language.JAVA) == "j:17"
    assert settings.image_for(Language.GO) == "x:1"
    assert settings.jobs == 3
    task = python_task("x", "pass", timeout_s=1.5, memory_mb=64)
    assert settings.limits_for(task) == Limits(timeout_s=1.5, memory_mb=64)


@pytest.mark.parametrize(
    "runner",
    [
        {"timeout": 3},
        {"timeout_s": "slow"},
        {"memory_mb": -1},
        {"backend": "chroot"},
        {"images": {"cobol": "x"}},
        {"jobs": 0},
    ],
)
def test_bad_settings_name_the_key(tmp_path: Path, runner: dict[str, object]) -> None:
    with pytest.raises(ConfigError, match="runner"):
        load_settings(write(tmp_path, runner))
