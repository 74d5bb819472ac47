"""The annotation app: a queue of tasks and a pair screen to compare, test and score them.

The app holds the session (store, rubric, annotator, services), the user's keymap and
theme, and the long-running work: test runs, scans and syncs run in thread workers owned
by the app, so leaving a screen never orphans a run. Screens ask for that work with
messages and the app answers with messages posted to the screens on its stack
(``screens/messages.py``); neither calls the other's methods. Failures of that work are
handled in one place, ``on_worker_state_changed``.

Start-up imports only what the queue needs (issue 18: first paint of 10,000 tasks within
0.5 s of CPU): the pair screen, the help screen, highlighting and the sync client load
after the first paint, the pair screen's modules on a background thread so that the first
open does not wait for them. The start-up heap is frozen out of the garbage collector's
reach, once before the queue is read (the collections that reading 10,000 rows triggers
walked every module: a third of the query's time) and again once the queue is on screen
(the task list): it never becomes garbage, and walking it made every full collection, and
so the slowest keystrokes, cost more.

When the terminal goes away (SIGHUP, SIGTERM, a hung-up or closed stdin) ``run_app`` has
``workbench/hangup.py`` call ``terminal_gone``, which writes the draft being edited and
everything queued for the writer before the process ends.
"""

from __future__ import annotations

import gc
import importlib
import os
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.theme import Theme
from textual.worker import Worker, WorkerState

from coderlhf_tui import config
from coderlhf_tui.domain import ResponseKey, Task, TestRun
from coderlhf_tui.keymap import load_keymap
from coderlhf_tui.rubric import Rubric, load_rubric
from coderlhf_tui.screens.messages import (
    OpenPair,
    PrefetchTask,
    RunScan,
    RunTests,
    ScanFinished,
    ScanStarted,
    SyncRequested,
    SyncStateChanged,
    TasksArrived,
    TestRunFinished,
    TestsStarted,
)
from coderlhf_tui.screens.queue import QueueScreen
from coderlhf_tui.store import Store
from coderlhf_tui.widgets.bindings import bindings_for
from coderlhf_tui.workbench.hangup import HangupWatch
from coderlhf_tui.workbench.runs_and_findings import CheckService, CheckUnavailable, LiveChecks
from coderlhf_tui.workbench.session import WorkSession
from coderlhf_tui.workbench.syncer import Syncer
from coderlhf_tui.workbench.writer import AnnotationWriter

if TYPE_CHECKING:
    from coderlhf_tui.sync.client import SyncReport

HIGH_CONTRAST = Theme(
    name="coderlhf-high-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FF00FF",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1A1A1A",
    success="#00FF00",
    warning="#FFAA00",
    error="#FF3333",
    boost="#333333",
    dark=True,
)
"""Pure black and white with saturated accents, for low vision and washed-out terminals."""

WARM_MODULES = ("coderlhf_tui.screens.pair",)
"""Imported on a background thread after the first paint: what opening a task needs."""

SYNC_INTERVAL_S = 30.0
"""How often the app syncs in the background while logged in (also after each submit)."""

RESCUE_TIMEOUT_S = 10.0
"""How long a hang-up waits for the writer (another process may hold the write lock)."""

EXIT_GRACE_S = 3.0
"""After a hang-up's writes, how long a clean exit may take before the process just ends."""


@dataclass
class SyncDone(Message):
    """A background sync round finished (``report`` None: not logged in)."""

    report: SyncReport | None


class CoderlhfApp(App[None]):
    """The annotation workstation."""

    CSS_PATH = "app.tcss"
    TITLE = "coderlhf"
    BINDINGS = bindings_for("app")

    def __init__(
        self,
        session: WorkSession,
        *,
        keymap: dict[str, str] | None = None,
        theme_name: str | None = None,
        config_file: str = "",
        syncer: Syncer | None = None,
        freeze_heap: bool = False,
    ) -> None:
        super().__init__()
        self.freeze_heap = freeze_heap
        """Freeze the start-up heap after the first paint (``run_app`` does; a process that
        builds many apps, as the tests do, would keep each one's cycles for good)."""
        self.session = session
        self.syncer = syncer
        self.user_keymap = keymap or {}
        self.config_file = config_file
        self.register_theme(HIGH_CONTRAST)
        if theme_name:
            self.theme = theme_name
        self.ended_by = ""
        """Why the app ended when the terminal went away ('SIGHUP', ...); empty otherwise."""

    def on_mount(self) -> None:
        if self.freeze_heap:  # the modules and the app: reading 10,000 rows no longer walks them
            gc.freeze()
        if self.user_keymap:
            self.set_keymap(self.user_keymap)
        self.push_screen(QueueScreen(self.session))
        self.call_after_refresh(self._after_first_paint)
        self.set_interval(5.0, self._refresh_sync)
        if self.syncer is not None:
            self.set_interval(SYNC_INTERVAL_S, self.request_sync)
            self.request_sync()

    def _after_first_paint(self) -> None:
        if self.freeze_heap:
            gc.freeze()
        threading.Thread(target=self._warm_imports, name="warm-imports", daemon=True).start()

    def _warm_imports(self) -> None:
        for name in WARM_MODULES:
            importlib.import_module(name)
        if self.freeze_heap:  # the modules just loaded are start-up heap too
            gc.freeze()

    @property
    def _background_screens(self) -> list[Screen[object]]:
        """Textual's screens that may show through the top one, none when the top one is
        opaque (the queue, pair, ranking and repository screens; a dialog is translucent
        and still shows the screen under it). Textual counts the screen below the top
        one as showing whatever the top one is: the hidden queue screen then turned each
        repaint of its own into a repaint of the whole pair screen and asked for its own
        repaint again, so the 5 s sync tick it answers repainted all of the pair screen
        (~5 ms) every 5 s, whatever key was being handled (issue 15)."""
        if self._screen_stack and self._screen_stack[-1].styles.background.a == 1:
            return []
        return super()._background_screens

    def _answer(self, message: Message) -> None:
        """Post an answer to every screen on the stack (each handles what concerns it),
        a copy each: a message is dispatched once."""
        for screen in self.screen_stack:
            screen.post_message(replace(message))  # type: ignore[type-var]

    def _refresh_sync(self) -> None:
        self._answer(SyncStateChanged(self.session.sync_label()))

    # -- background sync -------------------------------------------------------------------------

    def request_sync(self) -> bool:
        """Sync in the background now; False when not logged in or a round is already running
        (that round is then followed by one more)."""
        if self.syncer is None or not self.syncer.claim():
            return False
        self._sync()
        return True

    @on(SyncRequested)
    def _sync_requested(self) -> None:
        self.request_sync()

    @work(thread=True, group="sync", exit_on_error=False, description="sync")
    def _sync(self) -> None:
        assert self.syncer is not None
        again = True
        try:
            while again:
                self.session.flush_writes(timeout=60)  # a submit just made goes in this round
                report = self.syncer.sync_once()
                self.post_message(SyncDone(report))
                again = self.syncer.release()
        except BaseException:
            while self.syncer.release():
                pass
            raise

    def action_sync_now(self) -> None:
        if self.syncer is None:
            self.notify("Not logged in to a server: coderlhf login URL --token T", timeout=4)
            return
        self.request_sync()
        self.notify("Syncing…", timeout=2)

    @on(SyncDone)
    def _sync_done(self, message: SyncDone) -> None:
        self._refresh_sync()
        report = message.report
        if report is None:
            return
        if report.pulled.tasks:
            self._answer(TasksArrived())
        if report.rejected:
            self.notify(
                "The server refused: " + "; ".join(report.rejected[:3]),
                severity="error",
                timeout=8,
            )
        elif report.state == "error":
            self.notify(f"Sync failed: {report.error}", severity="error", timeout=8)

    # -- screens ---------------------------------------------------------------------------------

    def open_pair(self, task_id: str) -> None:
        """Show a task on the pair screen (the one on top, else a new one); a task of more
        than two responses on the ranking screen (screens/ranking.py); a repository task
        on the repository pair view (screens/repo_pair_stored.py)."""
        from coderlhf_tui.screens.pair import PairScreen
        from coderlhf_tui.screens.repo_pair_stored import repository_screen

        if (repo_screen := repository_screen(self.session, task_id)) is not None:
            self.push_screen(repo_screen)
        elif self.session.store.response_counts([task_id]).get(task_id, 2) > 2:
            from coderlhf_tui.screens.ranking import RankingScreen

            if isinstance(self.screen, RankingScreen):
                self.screen.post_message(OpenPair(task_id))
            else:
                self.push_screen(RankingScreen(self.session, task_id))
        elif isinstance(self.screen, PairScreen):
            self.screen.post_message(OpenPair(task_id))
        else:
            self.push_screen(PairScreen(self.session, task_id))

    @on(OpenPair)
    def _open_pair(self, message: OpenPair) -> None:
        self.open_pair(message.task_id)

    def action_help(self) -> None:
        from coderlhf_tui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.user_keymap, self.config_file))

    def action_lead(self) -> None:
        """Open the lead screen (imported on first use: it brings the statistics stack,
        which an annotator's start-up does not need)."""
        from coderlhf_tui.screens.lead import LeadScreen

        session = self.session
        self.push_screen(LeadScreen(session.store, session.rubric, lead=session.annotator))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "sync_now":
            return self.syncer is not None
        return True

    async def action_quit(self) -> None:
        self.session.save_open_draft(time.monotonic())
        self.exit()

    def on_unmount(self) -> None:
        """Last stop: save the draft being edited and wait until the writer wrote it all."""
        self.session.save_open_draft(time.monotonic())
        if self.session.writer is not None:
            self.session.writer.close()

    def terminal_gone(self, reason: str) -> None:
        """The terminal hung up or the process was told to end (called once, off the UI
        thread, by ``HangupWatch``): write the open draft and the writer's queue first,
        release the sandbox pool, then end. The UI thread may be stuck writing to a dead
        terminal, so nothing here waits for it; if a clean exit does not follow within
        ``EXIT_GRACE_S``, the process ends without one."""
        self.ended_by = reason
        self.session.rescue_open_draft(timeout=RESCUE_TIMEOUT_S)
        self.session.checks.close()
        deadline = threading.Timer(EXIT_GRACE_S, os._exit, (1,))
        deadline.daemon = True  # a clean exit does not wait for it
        deadline.start()
        with suppress(RuntimeError):  # the app ended on its own meanwhile (end of file)
            self.call_from_thread(self.exit)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Every action that works here, for the command palette."""
        yield from super().get_system_commands(screen)
        seen: set[str] = set()
        for node in (screen.focused, screen, self):
            if node is None:
                continue
            bindings: list[Binding] = list(getattr(node, "BINDINGS", []))
            for binding in bindings:
                if binding.id is None or binding.id in seen or binding.id.startswith("dialog."):
                    continue
                action = binding.action
                name, _, _ = action.partition("(")
                if node.check_action(name, ()) is False:
                    continue
                seen.add(binding.id)
                keys = self.user_keymap.get(binding.id, binding.key)
                yield SystemCommand(
                    binding.description,
                    f"{keys}  ·  {binding.id}",
                    partial(node.run_action, action),
                )

    # -- tests and scans in workers -------------------------------------------------------------

    @on(RunTests)
    def _run_tests_requested(self, message: RunTests) -> None:
        task = message.task
        if task.tests is not None and self.session.in_flight.claim("tests", task.id):
            self._answer(TestsStarted(task.id))
            self._run_tests(task)

    @work(thread=True, group="tests", exit_on_error=False, description="run tests")
    def _run_tests(self, task: Task) -> None:
        waiting = list(task.keys)
        try:
            with ThreadPoolExecutor(max_workers=2, thread_name_prefix="tests") as pool:
                futures = {key: pool.submit(self._one_run, task, key) for key in task.keys}
                for key, future in futures.items():
                    run, error = future.result()
                    waiting.remove(key)
                    if not waiting:
                        self.session.in_flight.release("tests", task.id)
                    self.post_message(TestRunFinished(task.id, key, run, error, not waiting))
        finally:
            if waiting:  # stopped before the end: the screens must stop waiting too
                self.session.in_flight.release("tests", task.id)
                self.post_message(TestRunFinished(task.id, waiting[0], None, "stopped", True))

    def _one_run(self, task: Task, key: ResponseKey) -> tuple[TestRun | None, str | None]:
        try:
            return self.session.checks.run_tests(task, key), None
        except CheckUnavailable as exc:
            return None, str(exc)
        except Exception as exc:  # the runner failed: show it on the panel, keep the app
            return None, f"{type(exc).__name__}: {exc}"

    @on(RunScan)
    def _run_scan_requested(self, message: RunScan) -> None:
        if self.session.in_flight.claim("scan", message.task.id):
            self._answer(ScanStarted(message.task.id))
            self._run_scan(message.task)

    @work(thread=True, group="scan", exit_on_error=False, description="scan")
    def _run_scan(self, task: Task) -> None:
        error: str | None = None
        try:
            self.session.checks.scan(task)
        except CheckUnavailable as exc:
            error = str(exc)
        except Exception as exc:  # the scanner failed: say so, keep the app
            error = f"{type(exc).__name__}: {exc}"
        finally:
            self.session.in_flight.release("scan", task.id)
        self.post_message(ScanFinished(task.id, error))

    @on(TestRunFinished)
    @on(ScanFinished)
    def _forward(self, message: TestRunFinished | ScanFinished) -> None:
        """A worker's result, posted to the app from its thread: on to the screens."""
        self._answer(message)

    @on(PrefetchTask)
    def _prefetch_requested(self, message: PrefetchTask) -> None:
        self._prefetch(message.task_id)

    @work(thread=True, group="prefetch", exclusive=True, exit_on_error=False)
    def _prefetch(self, task_id: str) -> None:
        """Highlight the next task's code in the background so moving to it is instant."""
        from coderlhf_tui.workbench.highlight import tokenize

        task = self.session.store.get_task(task_id)
        if task is not None:
            for response in task.responses:
                tokenize(task.language.value, response.code.replace("\t", "    "))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place worker failures surface (a bug in our own code, not bad input)."""
        if event.state is WorkerState.ERROR and event.worker.group != "prefetch":
            error = event.worker.error
            self.notify(
                f"{event.worker.description or 'background work'} failed: {error}",
                severity="error",
                timeout=8,
            )


def build_app(
    db_path: Path | str,
    annotator: str,
    rubric: Rubric | None = None,
    *,
    store: Store | None = None,
    checks: CheckService | None = None,
    freeze_heap: bool = False,
) -> CoderlhfApp:
    """The app on a workspace, configured from the user's config file."""
    store = store or Store.open(db_path)
    rubric = rubric or load_rubric()
    ui = config.section("ui")
    session = WorkSession(
        store,
        rubric,
        annotator,
        checks or LiveChecks(store),
        Path(db_path).name,
        writer=AnnotationWriter(db_path),
    )
    return CoderlhfApp(
        session,
        keymap=load_keymap(),
        theme_name=str(ui["theme"]) if ui.get("theme") else None,
        config_file=str(config.config_path()),
        syncer=Syncer(db_path) if Syncer.logged_in() else None,
        freeze_heap=freeze_heap,
    )


def run_app(db_path: Path | str, annotator: str, rubric_path: Path | None = None) -> None:
    """Open the app on a workspace (the entry point of ``coderlhf open`` and ``coderlhf demo``).

    Raises ``SystemExit(1)`` after the terminal went away (the work is saved by then)."""
    rubric = load_rubric(rubric_path)
    store = Store.open(db_path)
    try:
        app = build_app(db_path, annotator, rubric, store=store, freeze_heap=True)
        watch = HangupWatch(app.terminal_gone).start()
        try:
            app.run()
        finally:
            watch.stop()
            app.session.checks.close()
            if app.syncer is not None:
                app.syncer.close()
    finally:
        store.close()
    if app.ended_by:
        raise SystemExit(f"coderlhf: ended by {app.ended_by}; everything typed is saved")


__all__ = ["CoderlhfApp", "build_app", "run_app"]
