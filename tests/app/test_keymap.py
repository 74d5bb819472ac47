"""The user's keymap (the ``keys`` section of the config file): applied in a running app, and
refused, with a message naming the file, the key and both bindings, when one key would answer
two bindings in one place."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from coderlhf_tui.app import build_app
from coderlhf_tui.config import ConfigError
from coderlhf_tui.keymap import key_conflicts, load_keymap
from coderlhf_tui.screens.pair import PairScreen
from coderlhf_tui.screens.queue import QueueScreen
from coderlhf_tui.store import Store
from tests.core.helpers import run_cli


@pytest.fixture
def anyio_backend() -> str:
    """Textual runs on asyncio."""
    return "asyncio"


def write_keys(keys: dict[str, str]) -> Path:
    """The user's config file (CODERLHF_CONFIG, a per-test path) with this ``keys`` section."""
    path = Path(os.environ["CODERLHF_CONFIG"])
    path.write_text(yaml.safe_dump({"keys": keys}), encoding="utf-8")
    return path


def test_the_default_bindings_answer_one_key_each() -> None:
    assert key_conflicts({}) == []


def test_a_key_bound_twice_on_one_screen_is_refused() -> None:
    path = write_keys({"pair.tests": "d"})
    with pytest.raises(ConfigError) as refused:
        load_keymap()
    message = str(refused.value)
    assert str(path) in message
    assert "'d' is bound to pair.tests and pair.diff (pair screen)" in message


def test_a_key_the_whole_app_answers_is_refused_everywhere_else() -> None:
    write_keys({"pair.submit": "ctrl+s,ctrl+q"})
    with pytest.raises(ConfigError, match=r"'ctrl\+q' is bound to app.quit and pair.submit"):
        load_keymap()


def test_keys_of_different_screens_may_repeat() -> None:
    write_keys({"queue.next": "t"})  # `t` runs tests on the pair screen, not on the queue
    assert load_keymap() == {"queue.next": "t"}


def test_coderlhf_open_refuses_the_keymap_with_exit_2(workspace: Path) -> None:
    path = write_keys({"code.next_finding": "j"})
    done = run_cli("open", "--db", workspace)
    assert done.returncode == 2, done.stderr
    assert f"coderlhf: {path}: keys:" in done.stderr
    assert "'j' is bound to code.down and code.next_finding" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.anyio
async def test_a_remapped_key_works_in_the_running_app(workspace: Path, store: Store) -> None:
    write_keys({"queue.next": "x"})
    app = build_app(workspace, "ak", store=store)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, QueueScreen)
        await pilot.press("n")  # the default key answers no more
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, PairScreen)
        assert app.screen.pair_task is not None
