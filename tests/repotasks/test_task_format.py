"""Task files, snapshots and patches on the host: real git, real tarballs, no engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from coderlhf_tui.repotasks.patches import apply_patch
from coderlhf_tui.repotasks.snapshots import (
    base_checkout,
    commit_tarball,
    git,
    response_checkout,
)
from coderlhf_tui.repotasks.task_format import RepoTaskError, Snapshot, load_task
from tests.repotasks.helpers import CALC_V1, make_tarball, task_dict, write_task

FIX = (
    "diff --git a/calc.py b/calc.py\n--- a/calc.py\n+++ b/calc.py\n@@ -1,6 +1,6 @@\n"
    " def add(a, b):\n     return a + b\n \n \n def sub(a, b):\n"
    "-    return a - b\n+    return a - b  # checked\n"
)


@pytest.fixture
def snapshot(tmp_path: Path) -> tuple[Path, str]:
    """A tarball snapshot beside where the task goes, and its commit id."""
    tarball = make_tarball(tmp_path / "calc-1.0.tar.gz", {"calc.py": CALC_V1})
    commit = commit_tarball(Snapshot(tarball, "0" * 64, "tarball"), tmp_path / "probe")
    return tarball, commit


def test_a_tarball_commit_depends_only_on_its_files(tmp_path: Path, snapshot: tuple) -> None:
    tarball, commit = snapshot
    again = commit_tarball(Snapshot(tarball, "0" * 64, "tarball"), tmp_path / "again")
    assert again == commit
    other = make_tarball(tmp_path / "other.tar.gz", {"calc.py": CALC_V1 + "\n"})
    assert commit_tarball(Snapshot(other, "0" * 64, "tarball"), tmp_path / "o") != commit


def test_a_valid_task_loads_with_its_snapshot_beside_it(tmp_path: Path, snapshot: tuple) -> None:
    tarball, commit = snapshot
    task = load_task(write_task(tmp_path, task_dict(tarball, commit)))
    assert task.snapshot.path == tarball.resolve()
    assert [r.name for r in task.responses] == ["a", "b"]
    checkout = base_checkout(task, tmp_path / "cache")
    assert (checkout / "calc.py").read_text() == CALC_V1


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"base_commit": None}, "base_commit", "missing"),
        ({"FAIL_TO_PASS": "test_calc.py::test_sub"}, "FAIL_TO_PASS", "expected list"),
        ({"responses": [{"name": "a", "patch": ""}]}, "responses", "2 or more"),
        ({"responses": [{"name": "a"}, {"name": "b", "patch": ""}]}, "responses[0].patch", ""),
        ({"snapshot": {"path": "x", "kind": "zip", "sha256": "0" * 64}}, "snapshot.kind", ""),
    ],
)
def test_errors_name_the_file_line_and_field(
    tmp_path: Path, snapshot: tuple, change: dict, field: str, words: str
) -> None:
    tarball, commit = snapshot
    data = {**task_dict(tarball, commit), **change}
    data = {k: v for k, v in data.items() if v is not None}
    path = write_task(tmp_path, data)
    with pytest.raises(RepoTaskError) as caught:
        load_task(path)
    assert caught.value.field == field
    assert str(path) in str(caught.value) and words in str(caught.value)
    if field != "base_commit":  # a missing field has no line; a present one does
        assert caught.value.line is not None
        key = field.split(".")[-1].split("[")[0]
        assert f'"{key}"' in path.read_text().splitlines()[caught.value.line - 1]


def test_missing_snapshot_and_hash_mismatch_are_named(tmp_path: Path, snapshot: tuple) -> None:
    tarball, commit = snapshot
    data = task_dict(tarball, commit)
    data["snapshot"] = {**data["snapshot"], "path": "gone.tar.gz"}
    with pytest.raises(RepoTaskError, match=r"snapshot not found: gone\.tar\.gz"):
        base_checkout(load_task(write_task(tmp_path, data)), tmp_path / "cache")
    data = task_dict(tarball, commit)
    data["snapshot"] = {**data["snapshot"], "sha256": "ab" * 32}
    with pytest.raises(RepoTaskError, match=r"has sha256 .* the task says abab") as caught:
        base_checkout(load_task(write_task(tmp_path, data)), tmp_path / "cache")
    assert caught.value.field == "snapshot.sha256"


def test_a_base_commit_not_in_the_snapshot_is_refused(tmp_path: Path, snapshot: tuple) -> None:
    tarball, _ = snapshot
    task = load_task(write_task(tmp_path, task_dict(tarball, "1" * 40)))
    with pytest.raises(RepoTaskError, match="base commit 1111") as caught:
        base_checkout(task, tmp_path / "cache")
    assert caught.value.field == "base_commit"


def test_a_patch_that_does_not_apply_names_its_hunk(tmp_path: Path, snapshot: tuple) -> None:
    tarball, commit = snapshot
    task = load_task(write_task(tmp_path, task_dict(tarball, commit)))
    base = base_checkout(task, tmp_path / "cache")
    good = apply_patch(response_checkout(base, tmp_path / "r1"), FIX, "a")
    assert good.ok and good.method == "apply"
    assert "# checked" in (tmp_path / "r1" / "calc.py").read_text()
    mul = "@@ -20,2 +20,2 @@ def mul(a, b):\n def mul(a, b):\n-    return a * a\n"
    mul += "+    return a * b\n"
    two_hunks = FIX + mul
    bad = apply_patch(response_checkout(base, tmp_path / "r2"), two_hunks, "b")
    assert not bad.ok
    assert bad.error == "b: calc.py: hunk #2 (@@ -20,2 +20,2 @@ def mul(a, b):) does not apply"
    assert (tmp_path / "r2" / "calc.py").read_text() == CALC_V1  # nothing half-applied


def test_three_way_takes_a_patch_whose_context_moved(tmp_path: Path) -> None:
    """A patch made against an older commit: plain apply refuses, the 3-way merge fits it."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "calc.py").write_text(CALC_V1)
    git(repo, "add", "calc.py")
    git(repo, "commit", "-q", "-m", "v1")
    (repo / "calc.py").write_text(CALC_V1.replace("a - b", "a - b  # checked"))
    patch = git(repo, "diff", "--full-index").stdout
    git(repo, "checkout", "-q", "--", ".")
    (repo / "calc.py").write_text(CALC_V1.replace("\n\n\ndef sub", "\n# v2\n\ndef sub"))
    git(repo, "commit", "-q", "-am", "v2: the context of the fix moved")
    applied = apply_patch(repo, patch, "old")
    assert applied.method == "3way", applied.error
    assert "a - b  # checked" in (repo / "calc.py").read_text()
    assert "# v2" in (repo / "calc.py").read_text()


def test_fuzzy_apply_takes_an_agent_patch_with_a_stale_context_line(tmp_path: Path) -> None:
    """No index lines (3-way has no blobs), a stale context line three lines from the change
    and a miscounted header: plain and 3-way refuse, the fuzzy step applies the change."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "calc.py").write_text(CALC_V1)
    git(repo, "add", "calc.py")
    git(repo, "commit", "-q", "-m", "v1")
    patch = (
        "--- a/calc.py\n+++ b/calc.py\n@@ -1,9 +1,9 @@\n def add(x, y):\n     return a + b\n"
        " \n \n def sub(a, b):\n-    return a - b\n+    return a - b  # checked\n"
    )
    applied = apply_patch(repo, patch, "agent")
    assert applied.method == "fuzzy", applied.error
    assert (repo / "calc.py").read_text() == CALC_V1.replace("a - b", "a - b  # checked")
    worse = patch.replace(" def sub(a, b):", " def sub(x, y):").replace("def add(x", "def add(a")
    git(repo, "checkout", "-q", "--", ".")
    refused = apply_patch(repo, worse.replace("-    return a - b", "-    return b - a"), "bad")
    assert not refused.ok
    assert refused.error == "bad: calc.py: hunk #1 (@@ -1,9 +1,9 @@) does not apply"
    assert (repo / "calc.py").read_text() == CALC_V1


def test_a_three_way_conflict_leaves_the_checkout_as_it_was(tmp_path: Path) -> None:
    """--3way exits 1 with conflict markers and unmerged entries; the checkout is put back
    (a test patch applied before stays), and the error names the hunk."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "calc.py").write_text(CALC_V1)
    git(repo, "add", "calc.py")
    git(repo, "commit", "-q", "-m", "v1")
    (repo / "calc.py").write_text(CALC_V1.replace("a - b", "a - b  # mine"))
    (repo / "new.py").write_text("x = 1\n")
    git(repo, "add", "-N", "new.py")
    patch = git(repo, "diff", "--full-index").stdout
    git(repo, "reset", "-q")
    (repo / "new.py").unlink()
    (repo / "calc.py").write_text(CALC_V1.replace("a - b", "b - a"))
    git(repo, "commit", "-q", "-am", "v2: the same line changed")
    (repo / "test_calc.py").write_text("def test(): pass\n")  # applied before, unstaged
    applied = apply_patch(repo, patch, "late")
    assert not applied.ok
    assert applied.error.startswith("late: calc.py: hunk #1 (@@ -3,4 +3,4 @@")
    assert (repo / "calc.py").read_text() == CALC_V1.replace("a - b", "b - a")
    assert not (repo / "new.py").exists()
    assert (repo / "test_calc.py").read_text() == "def test(): pass\n"
    assert git(repo, "status", "--porcelain").stdout == "?? test_calc.py\n"
