"""``]`` from a code task's pair or ranking screen onto a repository task opens the
repository view (the code screens load their own kind in place, a repository task is not
theirs to show)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from coderlhf_tui.app import build_app
from coderlhf_tui.domain import Language, Response, Task
from coderlhf_tui.repotasks.stored import import_repo_tasks
from coderlhf_tui.repotasks.task_format import RepoTask
from coderlhf_tui.screens.pair import PairScreen
from coderlhf_tui.screens.ranking import RankingScreen
from coderlhf_tui.screens.repo_pair_ranked import StoredRepoRankScreen
from coderlhf_tui.screens.repo_pair_stored import StoredRepoPairScreen
from coderlhf_tui.store import Store

pytestmark = pytest.mark.anyio

RANKED = "toolz__frequencies-ranked"
PAIRED = "toolz__frequencies-empty"


@pytest.fixture
def anyio_backend() -> str:
    """Textual runs on asyncio."""
    return "asyncio"


@pytest.mark.parametrize(
    ("responses", "repo_id", "view"),
    [(2, PAIRED, StoredRepoPairScreen), (3, RANKED, StoredRepoRankScreen)],
)
async def test_next_from_a_code_task_opens_the_repository_view(
    demo_tasks: dict[str, RepoTask], tmp_path: Path, responses: int, repo_id: str, view: Any
) -> None:
    code = Task(
        id="code-task",
        language=Language.PYTHON,
        prompt="add two numbers",
        responses=tuple(
            Response(id=f"r{n}", code=f"def add(a, b):\n    return a + b + {n}\n", model="m")
            for n in range(responses)
        ),
    )
    db = tmp_path / "w.db"
    with Store.open(db) as store:
        store.insert_tasks([code])
        import_repo_tasks(store, [demo_tasks[repo_id]])
        app = build_app(db, "ak", store=store)
        try:
            async with app.run_test(size=(200, 50)) as pilot:
                order = app.session.order
                at = order.index(repo_id)
                before = order[at - 1] if at else None
                if before != code.id:  # the queue's order decides which way to step
                    step, before = "left_square_bracket", order[at + 1]
                else:
                    step = "right_square_bracket"
                assert before == code.id
                app.open_pair(code.id)
                screen_kind: Any = RankingScreen if responses > 2 else PairScreen
                await pilot.pause(0.3)
                assert isinstance(app.screen, screen_kind)
                app.screen.set_focus(None)  # no field takes the key
                await pilot.press(step)
                for _ in range(50):
                    if isinstance(app.screen, view):
                        break
                    await pilot.pause(0.1)
                assert isinstance(app.screen, view)
                assert app.screen.store_task.id == repo_id
        finally:
            app.session.checks.close()
