"""Fixtures of the runner tests: real backends against the real engine."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from coderlhf_tui.runners.docker_backend import DockerBackend
from coderlhf_tui.runners.settings import RunnerSettings
from tests.runners.helpers import IMAGE, docker_client


@pytest.fixture(scope="module")
def client() -> Any:
    return docker_client()


@pytest.fixture(scope="module")
def settings() -> RunnerSettings:
    return RunnerSettings(image=IMAGE, pool_size=1, jobs=2)


@pytest.fixture(scope="module")
def backend(client: Any, settings: RunnerSettings) -> Iterator[DockerBackend]:
    """An unpooled Docker backend: every run starts and removes its own container."""
    backend = DockerBackend(settings, client=client, pooled=False)
    yield backend
    backend.close()
