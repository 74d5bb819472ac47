"""The annotation app: a queue of tasks and a pair screen to compare, test and score them.

The app holds the session (store, rubric, annotator, services), the user's keymap and
theme, and the long-running work: test runs and scans run in thread workers owned by the
app, so leaving a screen never orphans a run, and their results come back as messages
that the app hands to whichever pair screen shows that task. Failures of that work are
handled in one place, ``on_worker_state_changed``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.theme import Theme
from textual.worker import Worker, WorkerState

from coderlhf_tui import config
from coderlhf_tui.domain import RESPONSE_KEYS, ResponseKey, Task, TestRun
from coderlhf_tui.keymap import load_keymap
from coderlhf_tui.rubric import Rubric, load_rubric
from coderlhf_tui.screens.help import HelpScreen
from coderlhf_tui.screens.pair import PairScreen
from coderlhf_tui.screens.queue import QueueScreen
from coderlhf_tui.store import Store
from coderlhf_tui.sync.client import SyncReport
from coderlhf_tui.widgets.bindings import bindings_for
from coderlhf_tui.workbench.highlight import tokenize
from coderlhf_tui.workbench.runs_and_findings import CheckService, CheckUnavailable, LiveChecks
from coderlhf_tui.workbench.session import WorkSession
from coderlhf_tui.workbench.syncer import Syncer
from coderlhf_tui.workbench.writer import AnnotationWriter

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

SYNC_INTERVAL_S = 30.0
"""How often the app syncs in the background while logged in (also after each submit)."""


@dataclass
class TestsDone(Message):
    """One response's run finished (``run``) or could not run (``error``)."""

    __test__ = False

    task_id: str
    key: ResponseKey
    run: TestRun | None
    error: str | None


@dataclass
class TestsFinished(Message):
    """Both runs of a task are done."""

    __test__ = False

    task_id: str


@dataclass
class ScanDone(Message):
    """A task's scan finished (or failed with ``error``)."""

    task_id: str
    error: str | None


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
    ) -> None:
        super().__init__()
        self.session = session
        self.syncer = syncer
        self.user_keymap = keymap or {}
        self.config_file = config_file
        self.register_theme(HIGH_CONTRAST)
        if theme_name:
            self.theme = theme_name
        self._tests: set[str] = set()
        self._scans: set[str] = set()
        self._lock = threading.Lock()

    def on_mount(self) -> None:
        if self.user_keymap:
            self.set_keymap(self.user_keymap)
        self.push_screen(QueueScreen(self.session))
        self.set_interval(5.0, self._refresh_sync)
        if self.syncer is not None:
            self.set_interval(SYNC_INTERVAL_S, self.request_sync)
            self.request_sync()

    def _refresh_sync(self) -> None:
        from coderlhf_tui.widgets.status_line import StatusLine

        for status in self.screen.query(StatusLine):
            status.update_state(sync=self.session.sync_label())

    # -- background sync -------------------------------------------------------------------------

    def request_sync(self) -> bool:
        """Sync in the background now; False when not logged in or a round is already running
        (that round is then followed by one more)."""
        if self.syncer is None or not self.syncer.claim():
            return False
        self._sync()
        return True

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
            for screen in self.screen_stack:
                if isinstance(screen, QueueScreen):
                    screen.reload(keep=True)
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
        """Show a task on the pair screen."""
        if isinstance(self.screen, PairScreen):
            self.screen.load_task(task_id)
        else:
            self.push_screen(PairScreen(self.session, task_id))

    def pair_screens(self) -> list[PairScreen]:
        """Pair screens on the stack (normally at most one)."""
        return [s for s in self.screen_stack if isinstance(s, PairScreen)]

    def action_help(self) -> None:
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
        for screen in self.pair_screens():
            screen.flush()
        self.exit()

    def on_unmount(self) -> None:
        """Last stop: the screens have saved their drafts; wait until the writer wrote them."""
        for screen in self.pair_screens():
            screen.flush(update_ui=False)
        if self.session.writer is not None:
            self.session.writer.close()

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

    def tests_running(self, task_id: str) -> bool:
        """Whether this task's tests are running now."""
        with self._lock:
            return task_id in self._tests

    def scan_running(self, task_id: str) -> bool:
        """Whether this task is being scanned now."""
        with self._lock:
            return task_id in self._scans

    def start_tests(self, task: Task) -> bool:
        """Run both responses' tests in the background; False if they are already running."""
        with self._lock:
            if task.id in self._tests:
                return False
            self._tests.add(task.id)
        self._run_tests(task)
        return True

    @work(thread=True, group="tests", exit_on_error=False, description="run tests")
    def _run_tests(self, task: Task) -> None:
        try:
            with ThreadPoolExecutor(max_workers=2, thread_name_prefix="tests") as pool:
                futures = {key: pool.submit(self._one_run, task, key) for key in RESPONSE_KEYS}
                for key, future in futures.items():
                    run, error = future.result()
                    self.post_message(TestsDone(task.id, key, run, error))
        finally:
            with self._lock:
                self._tests.discard(task.id)
            self.post_message(TestsFinished(task.id))

    def _one_run(self, task: Task, key: ResponseKey) -> tuple[TestRun | None, str | None]:
        try:
            return self.session.checks.run_tests(task, key), None
        except CheckUnavailable as exc:
            return None, str(exc)
        except Exception as exc:  # the runner failed: show it on the panel, keep the app
            return None, f"{type(exc).__name__}: {exc}"

    def start_scan(self, task: Task) -> bool:
        """Scan both responses in the background; False if a scan is already running."""
        with self._lock:
            if task.id in self._scans:
                return False
            self._scans.add(task.id)
        self._run_scan(task)
        return True

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
            with self._lock:
                self._scans.discard(task.id)
        self.post_message(ScanDone(task.id, error))

    def prefetch(self, task_id: str | None) -> None:
        """Highlight the next task's code in the background so moving to it is instant."""
        if task_id is not None:
            self._prefetch(task_id)

    @work(thread=True, group="prefetch", exclusive=True, exit_on_error=False)
    def _prefetch(self, task_id: str) -> None:
        task = self.session.store.get_task(task_id)
        if task is not None:
            for response in task.responses:
                tokenize(task.language.value, response.code.replace("\t", "    "))

    @on(TestsDone)
    def _tests_done(self, message: TestsDone) -> None:
        for screen in self.pair_screens():
            screen.test_run_arrived(message.task_id, message.key, message.run, message.error)

    @on(TestsFinished)
    def _tests_finished(self, message: TestsFinished) -> None:
        for screen in self.pair_screens():
            screen.tests_finished(message.task_id)

    @on(ScanDone)
    def _scan_done(self, message: ScanDone) -> None:
        for screen in self.pair_screens():
            screen.scan_finished(message.task_id, message.error)

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
    )


def run_app(db_path: Path | str, annotator: str, rubric_path: Path | None = None) -> None:
    """Open the app on a workspace (the entry point of ``coderlhf open`` and ``coderlhf demo``)."""
    rubric = load_rubric(rubric_path)
    store = Store.open(db_path)
    try:
        app = build_app(db_path, annotator, rubric, store=store)
        try:
            app.run()
        finally:
            app.session.checks.close()
            if app.syncer is not None:
                app.syncer.close()
    finally:
        store.close()


__all__ = ["CoderlhfApp", "build_app", "run_app"]
