"""The main demo's repository tasks: set up with the demo workspace, never in its way.

``coderlhf demo`` is the first command a user runs, so its repository tasks come with it:
the task files and bundles go into a folder beside the demo database (the store keeps the
task file's path), the sdists into the user cache. Fetching them needs pip, git and the
package index; when any of those is missing the demo still opens with its other tasks, and
the message says why and which command adds the repository tasks later.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from coderlhf_tui.repotasks.cache_dir import default_cache
from coderlhf_tui.repotasks.demo import build_demo
from coderlhf_tui.repotasks.stored import import_repo_tasks
from coderlhf_tui.repotasks.task_format import RepoTaskError, load_task
from coderlhf_tui.store import Store


@dataclass(frozen=True, slots=True)
class DemoRepoTasks:
    """What setting up the demo's repository tasks did: ``added`` tasks, or ``error``."""

    folder: Path
    total: int = 0
    added: int = 0
    error: str = ""


def tasks_folder(db: Path) -> Path:
    """Where the demo workspace's repository tasks live: beside its database."""
    return db.with_name(f"{db.stem}-repotasks")


def later_command(db: Path) -> str:
    """The command that adds the demo's repository tasks to this workspace afterwards."""
    return f"coderlhf repo demo {tasks_folder(db)} --db {db}"


def add_demo_repo_tasks(
    store: Store,
    db: Path,
    cache: Path | None = None,
    log: Callable[[str], None] = lambda _: None,
) -> DemoRepoTasks:
    """Write the demo's repository tasks beside ``db`` and add the new ones to ``store``."""
    folder = tasks_folder(db)
    try:
        paths = build_demo(cache or default_cache(), folder, log=log)
        tasks = [load_task(path) for path in paths]
    except (RepoTaskError, OSError, subprocess.SubprocessError) as exc:
        lines = str(exc).strip().splitlines() or [type(exc).__name__]
        why = lines[0] if len(lines) == 1 else f"{lines[0]} ... {lines[-1]}"
        return DemoRepoTasks(folder, error=why[:300])
    return DemoRepoTasks(folder, len(tasks), import_repo_tasks(store, tasks))


def describe(result: DemoRepoTasks, db: Path) -> str:
    """One line for the user: the tasks added, or why not and how to add them later."""
    if not result.error:
        return f"repository tasks: {result.total} ({result.added} new) in {result.folder}"
    return (
        f"repository tasks not added ({result.error}); the demo works without them."
        f" Add them later with: {later_command(db)}"
    )
