"""The messages between the screens and the app: screens ask, the app answers.

A screen never calls a method of the app and the app never calls a method of a screen.
A screen posts a request (``OpenPair``, ``RunTests``, ``RunScan``, ``PrefetchTask``,
``SyncRequested``); it bubbles to the app, which owns the long-running work in its
workers. The app answers by posting to every screen on the stack (``TestsStarted``,
``TestRunFinished``, ``ScanStarted``, ``ScanFinished``, ``TasksArrived``,
``SyncStateChanged``); answers do not bubble, and a screen that does not care about one
simply has no handler for it. What is running right now is shared state, not a message:
``WorkSession.in_flight``.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from coderlhf_tui.domain import ResponseKey, Task, TestRun

# -- requests: a screen to the app ------------------------------------------------------------


@dataclass
class OpenPair(Message):
    """Show this task on the pair screen."""

    task_id: str


@dataclass
class RunTests(Message):
    """Run both responses' tests in the sandbox (nothing happens if they are running)."""

    task: Task


@dataclass
class RunScan(Message):
    """Scan both responses (nothing happens if a scan of this task is running)."""

    task: Task


@dataclass
class PrefetchTask(Message):
    """Highlight this task's code in the background: the annotator will likely open it next."""

    task_id: str


@dataclass
class SyncRequested(Message):
    """Sync now (after a submit); a no-op when not logged in."""


# -- answers: the app to the screens ----------------------------------------------------------


@dataclass
class TestsStarted(Message, bubble=False):
    """A task's tests started running."""

    __test__ = False  # not a pytest class

    task_id: str


@dataclass
class TestRunFinished(Message, bubble=False):
    """One response's run finished (``run``) or could not run (``error``); ``last`` is True on
    the task's final run, when nothing of its tests runs any more."""

    __test__ = False

    task_id: str
    key: ResponseKey
    run: TestRun | None
    error: str | None
    last: bool


@dataclass
class ScanStarted(Message, bubble=False):
    """A task's scan started."""

    task_id: str


@dataclass
class ScanFinished(Message, bubble=False):
    """A task's scan finished and its findings are stored (or it failed with ``error``)."""

    task_id: str
    error: str | None


@dataclass
class TasksArrived(Message, bubble=False):
    """A sync brought new tasks: lists of tasks should reload."""


@dataclass
class SyncStateChanged(Message, bubble=False):
    """The sync label for the status line ('local', 'synced', '2 pending', 'offline', ...)."""

    label: str
