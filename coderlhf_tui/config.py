"""User configuration: one YAML file in the platform's config folder.

Each part of coderlhf reads its own section (``runner``, ``keys``, ``sync``, ...), so
adding a setting never touches another part's code. ``CODERLHF_CONFIG`` points at a
different file (tests use it to stay out of the real user's home).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import platformdirs
import yaml

APP_NAME = "coderlhf"


class ConfigError(ValueError):
    """The configuration file exists but cannot be used; the message names file and key."""


def config_path() -> Path:
    """Where the user's config file lives (it need not exist)."""
    override = os.environ.get("CODERLHF_CONFIG")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.yaml"


def default_db_path() -> Path:
    """The default workspace database, in the platform's user data folder."""
    override = os.environ.get("CODERLHF_DB")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME)) / "workspace.db"


def load_config(path: Path | None = None) -> dict[str, Any]:
    """The whole config as a dict; an absent file is an empty config."""
    path = path or config_path()
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    return data


def section(name: str, path: Path | None = None) -> dict[str, Any]:
    """One section of the config (``{}`` when absent)."""
    path = path or config_path()
    value = load_config(path).get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: {name}: expected a mapping")
    return value


def save_section(name: str, value: dict[str, Any], path: Path | None = None) -> Path:
    """Replace one section, keeping the others; the file is written with mode 0600.

    The file may hold a server token, so it is created private and replaced atomically.
    """
    path = path or config_path()
    data = load_config(path)
    data[name] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        yaml.safe_dump(data, handle, sort_keys=True)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return path
