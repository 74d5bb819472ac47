"""A worker checks its machine before taking work: the engine, the image, its digest."""

from __future__ import annotations

import subprocess

import pytest

from coderlhf_tui.cluster.chunk import ChunkItem, run_chunk
from coderlhf_tui.cluster.spec import WorkerRefused, WorkerSpec
from coderlhf_tui.ingest import load_task_file
from coderlhf_tui.runners.settings import load_settings
from tests.cluster.conftest import BIN, engine_and_image
from tests.cluster.test_cluster_audit import DEMO
from tests.conftest import require_part

WRONG = "sha256:" + "0" * 64


@pytest.fixture(autouse=True)
def _engine() -> None:
    require_part("Docker engine with the toolbox image", engine_and_image(), "scripts/test")


def test_worker_command_refuses_another_image_digest() -> None:
    tag = load_settings().image
    argv = [str(BIN / "coderlhf"), "worker", "--scheduler", "tcp://127.0.0.1:1", "--check-only"]
    ok = subprocess.run(argv, capture_output=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    digest = ok.stderr.decode().split(f"image {tag} ", 1)[1].split()[0]
    assert digest.startswith("sha256:")
    pinned = subprocess.run([*argv, "--image-digest", f"{tag}={digest}"], capture_output=True)
    assert pinned.returncode == 0, pinned.stderr
    refused = subprocess.run([*argv, "--image-digest", f"{tag}={WRONG}"], capture_output=True)
    assert refused.returncode == 2
    assert b"worker refuses work: image " + tag.encode() in refused.stderr


def test_a_chunk_pinned_to_another_digest_is_refused_before_any_run() -> None:
    settings = load_settings()
    tasks, _ = load_task_file(DEMO)
    item = ChunkItem(tasks[0], tasks[0].keys, scan=False)
    with pytest.raises(WorkerRefused, match="the audit pins sha256:0000"):
        run_chunk([item], WorkerSpec(settings, {settings.image: WRONG}))
