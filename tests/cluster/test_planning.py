"""How an audit is cut into chunks: every run once, big chunks first, small ones last."""

from __future__ import annotations

import pytest

from coderlhf_tui.cluster.chunk import ChunkItem
from coderlhf_tui.cluster.planning import CHUNK_RUNS_MAX, CHUNK_RUNS_MIN, chunks_of
from coderlhf_tui.ingest import load_task_file
from tests.cluster.test_cluster_audit import DEMO


def items(count: int) -> list[ChunkItem]:
    tasks, _ = load_task_file(DEMO)
    return [ChunkItem(tasks[n % len(tasks)], ("a", "b"), scan=False) for n in range(count)]


@pytest.mark.parametrize(("tasks", "threads"), [(500, 2), (2000, 8), (40, 1)])
def test_default_chunks_shrink_and_cover_every_run_once(tasks: int, threads: int) -> None:
    work = items(tasks)
    chunks = chunks_of(work, threads)
    assert [item for chunk in chunks for item in chunk] == work
    sizes = [2 * len(chunk) for chunk in chunks]
    assert sizes == sorted(sizes, reverse=True)  # big first, small last
    assert sizes[0] <= CHUNK_RUNS_MAX and sizes[-1] <= CHUNK_RUNS_MIN
    # the last chunk of every thread is small: the threads finish together
    assert sum(sizes[-threads:]) <= threads * CHUNK_RUNS_MIN


def test_a_fixed_chunk_size_is_kept() -> None:
    chunks = chunks_of(items(7), threads=4, runs_per_chunk=4)
    assert [len(chunk) for chunk in chunks] == [2, 2, 2, 1]
