"""The demo's repository tasks graded on the real engine, in the hardened sandbox.

Grades follow from what the repository's own tests report: a correct fix resolves, a
fix that passes FAIL_TO_PASS but breaks a PASS_TO_PASS test does not, a patch that does
not apply is "patch failed" with its hunk, and a patch that ends the test process early
(even after printing a fake report) is EXITED_EARLY.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from coderlhf_tui.repotasks.environments import ensure_image, env_tag, list_images, prune_images
from coderlhf_tui.repotasks.grading import Grade, RepoGrader
from coderlhf_tui.repotasks.task_format import PatchResponse, RepoTask

pytestmark = pytest.mark.xdist_group("repotasks")

TOOLZ = "toolz__frequencies-empty"


def _grader(engine: Any, task: RepoTask, base: str, downloads: Path, cache: Path) -> RepoGrader:
    image = ensure_image(engine, task.environment, base, downloads, log=lambda _: None)
    return RepoGrader(engine, image, cache)


def _response(task: RepoTask, name: str) -> PatchResponse:
    return next(r for r in task.responses if r.name == name)


def test_toolz_fix_wrong_fix_and_stale_patch(
    engine: Any, demo_tasks: dict, base_image: str, downloads: Path, results: Path
) -> None:
    task = demo_tasks[TOOLZ]
    grader = _grader(engine, task, base_image, downloads, results)
    good = grader.grade(task, _response(task, "agent-a"))
    assert good.grade is Grade.RESOLVED and good.verdict == "PASSED"
    assert set(good.fail_to_pass.values()) == {"passed"} and len(good.tests) > 40

    wrong = grader.grade(task, _response(task, "agent-b"))
    assert wrong.grade is Grade.NOT_RESOLVED
    assert set(wrong.fail_to_pass.values()) == {"passed"}  # the issue's test passes...
    assert wrong.pass_to_pass["toolz/tests/test_recipes.py::test_countby"] == "failed"  # ...

    stale = grader.grade(task, _response(task, "agent-c"))
    assert stale.grade is Grade.PATCH_FAILED and not stale.tests
    assert "toolz/itertoolz.py: hunk #1 (@@ -544,8 +544,6 @@" in stale.detail

    again = grader.grade(task, _response(task, "agent-a"))
    assert again.cached and again.content_hash == good.content_hash
    assert again.tests == good.tests


def test_the_base_fails_the_issue_tests_and_passes_the_others(
    engine: Any, demo_tasks: dict, base_image: str, downloads: Path, tmp_path: Path
) -> None:
    """The demo's bug is real: with a patch that changes nothing the suite shows it."""
    task = demo_tasks[TOOLZ]
    noop = PatchResponse("noop", _touch_readme())
    run = _grader(engine, task, base_image, downloads, tmp_path).grade(task, noop)
    assert run.grade is Grade.NOT_RESOLVED
    assert set(run.fail_to_pass.values()) == {"failed"}
    assert set(run.pass_to_pass.values()) == {"passed"}


def _touch_readme() -> str:
    return (
        "diff --git a/NOTES.txt b/NOTES.txt\nnew file mode 100644\n--- /dev/null\n"
        "+++ b/NOTES.txt\n@@ -0,0 +1 @@\n+nothing\n"
    )


def test_an_early_exit_with_a_fake_report_is_exited_early(
    engine: Any, demo_tasks: dict, base_image: str, downloads: Path, tmp_path: Path
) -> None:
    task = demo_tasks[TOOLZ]
    fake = '{"tests": {"toolz/tests/test_itertoolz.py::test_frequencies": "passed"}}'
    conftest = (
        "import os, sys\n"
        f"sys.stdout.write('\\ncoderlhf-results {fake}\\n')\n"
        "sys.stdout.flush()\n"
        "os._exit(0)\n"
    )
    lines = conftest.splitlines()
    patch = (
        "diff --git a/conftest.py b/conftest.py\nnew file mode 100644\n--- /dev/null\n"
        f"+++ b/conftest.py\n@@ -0,0 +1,{len(lines)} @@\n" + "".join(f"+{line}\n" for line in lines)
    )
    run = _grader(engine, task, base_image, downloads, tmp_path).grade(
        task, PatchResponse("exits", patch)
    )
    assert run.grade is Grade.EXITED_EARLY and run.verdict == "EXITED_EARLY"
    assert not run.fail_to_pass


def test_a_test_patch_and_a_partial_fix(
    engine: Any, demo_tasks: dict, base_image: str, downloads: Path, tmp_path: Path
) -> None:
    task = demo_tasks["more-itertools__chunked-strict"]
    grader = _grader(engine, task, base_image, downloads, tmp_path)
    partial = grader.grade(task, _response(task, "agent-b"))
    assert partial.grade is Grade.PARTIALLY_RESOLVED
    # the test the task's test patch adds ran, and this fix fails it
    new_test = "tests/test_more.py::ChunkedTests::test_strict_short_tail_of_an_iterator"
    assert partial.fail_to_pass[new_test] == "failed"


def test_an_environment_image_with_requirements_from_the_host(
    engine: Any, demo_tasks: dict, base_image: str, downloads: Path, tmp_path: Path
) -> None:
    """python-slugify needs text-unidecode: downloaded on the host, installed in an image
    built with no network, shared by tasks with the same setup, listed and pruned."""
    task = demo_tasks["python-slugify__max-length-off-by-one"]
    grader = _grader(engine, task, base_image, downloads, tmp_path)
    assert grader.image == env_tag(task.environment)
    assert ensure_image(engine, task.environment, base_image, downloads) == grader.image
    good = grader.grade(task, _response(task, "agent-a"))
    assert good.grade is Grade.RESOLVED  # slugify imports text_unidecode: it is installed
    wrong = grader.grade(task, _response(task, "agent-b"))
    assert wrong.grade is Grade.NOT_RESOLVED
    assert "failed" in wrong.pass_to_pass.values()
    assert set(wrong.fail_to_pass.values()) == {"passed"}

    listed = {image.tag: image for image in list_images(engine)}
    assert "text-unidecode==1.3" in listed[grader.image].requirements
    other = dataclasses.replace(task.environment, requirements=("scratch-for-prune==0",))
    scratch = engine.containers.create(base_image, ["true"])
    try:
        scratch.commit(
            repository="coderlhf-env",
            tag=other.setup_hash(),
            conf={"Labels": {"coderlhf.env": other.setup_hash()}},
        )
    finally:
        scratch.remove(force=True)
    keep = {image.setup_hash for image in listed.values()}
    assert prune_images(engine, keep) == [env_tag(other)]
    assert grader.image in {image.tag for image in list_images(engine)}
