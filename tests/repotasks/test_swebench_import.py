"""SWE-bench instances and predictions become task files that load and check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coderlhf_tui.repotasks.checking import check_task
from coderlhf_tui.repotasks.snapshots import commit_tarball
from coderlhf_tui.repotasks.swebench import import_instances, write_tasks
from coderlhf_tui.repotasks.task_format import RepoTaskError, Snapshot, load_task
from tests.repotasks.helpers import CALC_V1, make_tarball
from tests.repotasks.test_task_format import FIX

TEST_PATCH = """\
diff --git a/test_calc.py b/test_calc.py
new file mode 100644
--- /dev/null
+++ b/test_calc.py
@@ -0,0 +1,2 @@
+def test_sub():
+    assert __import__("calc").sub(3, 1) == 2
"""


def _inputs(tmp_path: Path) -> tuple[Path, Path, Path]:
    snapshots = tmp_path / "snapshots"
    snapshots.mkdir()
    tarball = make_tarball(snapshots / "example__calc.tar.gz", {"calc.py": CALC_V1})
    base = commit_tarball(Snapshot(tarball, "0" * 64, "tarball"), tmp_path / "probe")
    instance = {
        "instance_id": "example__calc-7",
        "repo": "example/calc",
        "base_commit": base,
        "patch": FIX,
        "test_patch": TEST_PATCH,
        "problem_statement": "sub is wrong",
        "FAIL_TO_PASS": json.dumps(["test_calc.py::test_sub"]),  # as the dataset has them
        "PASS_TO_PASS": "[]",
    }
    instances = tmp_path / "instances.jsonl"
    instances.write_text(json.dumps({"instance_id": "other", "repo": "x/y"}) + "\n"
                         + json.dumps(instance) + "\n")  # fmt: skip
    predictions = tmp_path / "preds.json"
    predictions.write_text(json.dumps({
        "example__calc-7": {"model_name_or_path": "model-a", "model_patch": FIX},
    }))  # fmt: skip
    return instances, predictions, snapshots


def test_instances_and_predictions_import_as_tasks(tmp_path: Path) -> None:
    instances, predictions, snapshots = _inputs(tmp_path)
    with pytest.raises(RepoTaskError) as caught:  # line 1 lacks base_commit
        import_instances(instances, [predictions], snapshots, test_command="pytest")
    assert caught.value.line == 1 and caught.value.field == "base_commit"
    lines = instances.read_text().splitlines()
    instances.write_text(lines[1] + "\n")
    tasks = import_instances(
        instances, [predictions], snapshots, test_command="python3 -m pytest", include_gold=True
    )
    assert [(r.name) for r in tasks[0].responses] == ["gold", "model-a"]
    assert tasks[0].fail_to_pass == ("test_calc.py::test_sub",)
    [path] = write_tasks(tasks, tmp_path / "tasks")
    task = load_task(path)  # the written file is a valid task, its snapshot beside it
    assert task.snapshot.path.parent == (tmp_path / "tasks").resolve()
    assert check_task(task, tmp_path / "cache") == []


def test_a_missing_snapshot_names_what_was_tried(tmp_path: Path) -> None:
    instances, predictions, snapshots = _inputs(tmp_path)
    instances.write_text(instances.read_text().splitlines()[1] + "\n")
    (snapshots / "example__calc.tar.gz").unlink()
    with pytest.raises(RepoTaskError, match=r"no snapshot for example__calc-7 .*\.bundle"):
        import_instances(instances, [predictions], snapshots, test_command="t", include_gold=True)


def test_a_test_patch_that_does_not_apply_is_the_tasks_error(tmp_path: Path) -> None:
    instances, predictions, snapshots = _inputs(tmp_path)
    instance = json.loads(instances.read_text().splitlines()[1])
    instance["test_patch"] = FIX.replace("return a - b\n+", "return a + a\n+")
    instances.write_text(json.dumps(instance) + "\n")
    [task] = import_instances(
        instances, [predictions], snapshots, test_command="t", include_gold=True
    )
    with pytest.raises(RepoTaskError, match="hunk #1") as caught:
        check_task(task, tmp_path / "cache")
    assert caught.value.field == "test_patch"
