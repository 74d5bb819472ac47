"""The peers of the app benchmark: Textual on its own, doing the same things bare.

``benchmarks/app_perf.py`` compares each app figure with what the framework costs without
coderlhf, measured in the same run on the same machine, so that a ratio says how much the
app adds and stays meaningful on a slower or busier machine:

  * first paint: a fresh process showing one screen of text in a bare Textual app
    (``first_paint_child``, started with ``--peer``), against the same for the queue;
  * typing: the same keys into a bare ``TextArea`` alone on a screen (``typing_peer``),
    both ways the app's keys are measured: through the pilot's ``press`` and sent as the
    terminal driver sends them (``driver_keys``).

Each returns main-thread CPU (``time.thread_time``): wall time on a shared machine
measures the other processes as much as the one under test.
"""

from __future__ import annotations

import time

START_CPU, START_WALL = time.thread_time(), time.perf_counter()
"""A first-paint child's clock starts before its imports (Textual's are part of the cost)."""

import asyncio  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from textual.app import App, ComposeResult  # noqa: E402

SIZE = (160, 48)

TYPED = "the left response handles empty input and the right one does not " * 3
"""What both the app and the peer type (one key per character)."""


def key_name(char: str) -> str:
    return "space" if char == " " else char


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


async def press_all(pilot: Any, text: str) -> list[float]:
    """Main-thread CPU of each key press (the press, its handling and the pilot's wait)."""
    spent = []
    for char in text:
        cpu = time.thread_time()
        await pilot.press(key_name(char))
        spent.append(time.thread_time() - cpu)
    return spent


SETTLE_S = 0.05
"""How long a driver-sent key is given to be handled and painted (three frames at 60 per
second), as ``critiques_app.py`` measures the comment editor's keys."""


async def driver_keys(app: App[Any], text: str) -> list[float]:
    """Main-thread CPU (s) of each key of ``text`` sent as the terminal driver sends it,
    from its arrival until ``SETTLE_S`` later (handled, autosaved, painted). Unlike the
    pilot's ``press``, nothing of the harness runs on the app's thread in between: the
    pilot waits for the app to be idle by polling every widget, which costs about as much
    as a typed key and no terminal user pays it."""
    from textual import events

    spent = []
    for char in text:
        event = events.Key(key_name(char), char)
        event.set_sender(app)
        started = time.thread_time()
        app._driver.send_message(event)  # type: ignore[union-attr]
        await asyncio.sleep(SETTLE_S)
        spent.append(time.thread_time() - started)
    return spent


async def idle_windows(count: int) -> list[float]:
    """Main-thread CPU (s) of ``count`` settle windows with no key (timers, the cursor's
    blink): printed beside the keys, not subtracted from them."""
    spent = []
    for _ in range(count):
        started = time.thread_time()
        await asyncio.sleep(SETTLE_S)
        spent.append(time.thread_time() - started)
    return spent


def ms(values: list[float], share: float) -> float:
    """A percentile of CPU times in seconds, in milliseconds (rounded)."""
    return round(percentile(values, share) * 1000, 2)


async def typing_peer() -> dict[str, float]:
    """The same keys into a bare TextArea, through the pilot and sent as the driver sends
    them: p50 and p95 of main-thread CPU per key, in ms, and the idle settle window."""
    from textual.widgets import TextArea

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield TextArea(soft_wrap=True)

    app = Bare()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        spent = await press_all(pilot, TYPED)
        await pilot.pause(0.2)
        sent = await driver_keys(app, TYPED)
        idle = await idle_windows(20)
        typed = app.query_one(TextArea).text
    assert typed == TYPED * 2, "the peer's keys were not all delivered"
    return {
        "p50": ms(spent, 0.5),
        "p95": ms(spent, 0.95),
        "driver_p50": ms(sent, 0.5),
        "driver_p95": ms(sent, 0.95),
        "idle_p50": ms(idle, 0.5),
        "idle_p95": ms(idle, 0.95),
    }


def run_child(args: list[str]) -> dict[str, float]:
    """Run this file's or app_perf's child mode in a fresh interpreter; its JSON answer."""
    done = subprocess.run(
        [sys.executable, *args], check=True, capture_output=True, text=True, timeout=300
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def peer_first_paint() -> dict[str, float]:
    """A fresh process: import Textual, show one screen of text, painted."""
    return run_child([__file__])


def child_report(start_cpu: float, start_wall: float, extra: dict[str, float]) -> None:
    """Print what a first-paint child measured (read back by ``run_child``)."""
    report = {
        "cpu_s": time.thread_time() - start_cpu,
        "wall_s": time.perf_counter() - start_wall,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        **extra,
    }
    print(json.dumps(report))


def main() -> None:
    import asyncio

    from textual.widgets import Static

    rows = "\n".join(f"t{i:05d}  python  new  Task {i}: implement the step" for i in range(48))

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static(rows)

    async def paint() -> None:
        async with Bare().run_test(size=SIZE) as pilot:
            await pilot.pause()
            child_report(START_CPU, START_WALL, {})

    asyncio.run(paint())


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
