"""Every run names the exact image it ran on (TestRun.image_digest), in both modes.

A tag such as ``coderlhf-toolbox:1`` survives a rebuild; the engine's image id does not, so
evidence that travels (sync, trusted audits) can say which toolchains produced it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from coderlhf_tui import serialize
from coderlhf_tui.runners.base import RunRequest, run_many, run_response
from coderlhf_tui.runners.docker_backend import DockerBackend
from coderlhf_tui.runners.settings import RunnerSettings
from tests.runners.helpers import IMAGE, python_task

pytestmark = pytest.mark.docker


def test_a_keypress_run_records_the_engines_image_id(backend: DockerBackend, client: Any) -> None:
    run = run_response(
        python_task("x = 1", "pass"), "a", backend=backend, settings=backend.settings
    )
    expected = client.images.get(IMAGE).id
    assert run.image == IMAGE
    assert run.image_digest == expected and expected.startswith("sha256:")
    assert serialize.test_run_from_dict(serialize.test_run_to_dict(run)).image_digest == expected


def test_batch_worker_runs_record_it_too(client: Any, settings: RunnerSettings) -> None:
    settings = replace(settings, pool_size=0, reuse_containers=True)
    backend = DockerBackend(settings, client=client, pooled=False)
    try:
        requests = [
            RunRequest(python_task("x = 1", "pass", task_id=f"d{n}"), "a") for n in range(3)
        ]
        reports = run_many(requests, backend=backend, settings=settings, jobs=1)
    finally:
        backend.close()
    expected = client.images.get(IMAGE).id
    assert [r.run.isolation for r in reports] == ["docker-worker"] * 3
    assert {r.run.image_digest for r in reports} == {expected}
