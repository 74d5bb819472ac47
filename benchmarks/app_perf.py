"""Annotation app performance, driven headless (issue 5).

Measures, on a workspace of 10,000 tasks:
  * start to first paint: process start -> the queue screen painted with every task listed;
  * opening a pair of two 2,000-line files with diff mode on (load + paint of the screen);
  * moving to the next pair (after the background prefetch, as when an engineer reads);
  * typing in the rationale, per key (pilot key press to processed, autosave included),
    and the same for a key nobody handles (the pilot's own floor, in wall and CPU time);
  * resident memory at the end.
The peer for the diff figure is the obvious way: highlighting both whole files with Pygments
before the first paint, in the same run (``diff_open_to_peer_ratio``). The line alignment
of two 2,000-line files that differ everywhere is timed on its own.

Run: .venv/bin/python benchmarks/app_perf.py [--tasks 10000] [--json]
"""

from __future__ import annotations

import time

PROCESS_START = time.perf_counter()
START_CPU = time.thread_time()

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coderlhf_tui.domain import Language, Response, Task  # noqa: E402
from coderlhf_tui.store import Store  # noqa: E402
from tests.app.tasks import big_pair  # noqa: E402

LANGS = list(Language)


def synthetic_tasks(count: int) -> list[Task]:
    """``count`` tasks of ~40-line responses across the ten languages."""
    tasks = []
    for i in range(count):
        body = "\n".join(f"    value_{j} = compute({i}, {j})  # step {j}" for j in range(40))
        other = body.replace("compute", "evaluate", 3)
        tasks.append(
            Task(
                id=f"t{i:05d}",
                language=LANGS[i % len(LANGS)],
                prompt=f"Task {i}: implement the **processing step** for batch {i}.",
                responses=(
                    Response("r1", f"def f():\n{body}\n"),
                    Response("r2", f"def f():\n{other}\n"),
                ),
            )
        )
    return tasks


def make_workspace(path: Path, count: int) -> None:
    with Store.open(path) as store:
        store.insert_tasks([big_pair(2000), *synthetic_tasks(count - 1)])


def paint_lines(view: object) -> None:
    """Render every visible line of a Line-API view (what a screen refresh does)."""
    height = view.scrollable_content_region.height  # type: ignore[attr-defined]
    for y in range(height):
        view.render_line(y)  # type: ignore[attr-defined]


async def measure(path: Path) -> dict[str, object]:
    from coderlhf_tui.app import build_app
    from coderlhf_tui.screens.pair import PairScreen
    from coderlhf_tui.widgets.diff_view import DiffView
    from coderlhf_tui.widgets.queue_table import QueueTable

    store = Store.open(path)
    app = build_app(path, "bench", store=store, freeze_heap=True)  # as `coderlhf open`
    out: dict[str, Any] = {}
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(QueueTable)
        out["first_paint_s"] = round(time.perf_counter() - PROCESS_START, 3)
        out["first_paint_cpu_s"] = round(time.thread_time() - START_CPU, 3)
        out["queue_rows"] = table.row_count()

        # open the big pair in diff mode: enter opens row 0 (the 2,000-line pair)
        app.open_pair("t00001")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PairScreen)
        screen.action_toggle_diff()
        await pilot.pause(0.5)
        diff = screen.query_one(DiffView)
        opens, opens_cpu = [], []
        for _ in range(5):
            from coderlhf_tui.workbench import highlight

            highlight._cache.clear()  # a cold open every time
            start, cpu = time.perf_counter(), time.thread_time()
            screen.load_task("big-pair")
            paint_lines(diff)
            opens.append(time.perf_counter() - start)
            opens_cpu.append(time.thread_time() - cpu)
            out["diff_rows"] = diff.row_count()
            await pilot.pause(0.6)  # let the background highlight land
            screen.load_task("t00001")
            await pilot.pause(0.1)
        out["open_2000_line_diff_ms"] = round(statistics.median(opens) * 1000, 1)
        out["open_2000_line_diff_cpu_ms"] = round(statistics.median(opens_cpu) * 1000, 1)

        # the peer: highlight both whole files before painting
        from coderlhf_tui.workbench.highlight import tokenize

        task = store.get_task("big-pair")
        assert task is not None
        peer = []
        for _ in range(3):
            start = time.perf_counter()
            for response in task.responses:
                highlight._cache.clear()
                tokenize("python", response.code)
            peer.append(time.perf_counter() - start)
        out["peer_whole_file_highlight_ms"] = round(statistics.median(peer) * 1000, 1)
        out["diff_open_to_peer_ratio"] = round(
            out["open_2000_line_diff_ms"] / out["peer_whole_file_highlight_ms"], 2
        )

        # the line alignment alone on two 2,000-line files that differ everywhere but in
        # their braces, blank lines and returns (quadratic in difflib alone: 28 s)
        from coderlhf_tui.workbench.diffing import side_by_side

        shapes = ["    }}", "", "    {p}_{i} = {i}", "    return x", "if ({p}{i}) {{"]
        differ = [[shapes[i % 5].format(p=p, i=i) for i in range(2000)] for p in "lr"]
        start = time.thread_time()
        side_by_side(*differ)
        out["align_2000_lines_differing_everywhere_cpu_ms"] = round(
            (time.thread_time() - start) * 1000, 1
        )

        # next pair, side by side and in diff mode, after the prefetch has run
        screen.action_toggle_diff()  # side by side
        await pilot.pause(0.3)
        nexts, nexts_cpu = [], []
        for mode in ("panes", "diff"):
            if mode == "diff":
                screen.action_toggle_diff()
            for _ in range(15):
                await pilot.pause(0.3)  # the engineer reads; the prefetch finishes
                start, cpu = time.perf_counter(), time.thread_time()
                screen.action_next_pair()
                for view in screen.query("CodePane, DiffView"):
                    if view.display:
                        paint_lines(view)
                nexts.append(time.perf_counter() - start)
                nexts_cpu.append(time.thread_time() - cpu)
        out["next_pair_ms_p50"] = round(statistics.median(nexts) * 1000, 1)
        out["next_pair_ms_max"] = round(max(nexts) * 1000, 1)
        out["next_pair_cpu_ms_p50"] = round(statistics.median(nexts_cpu) * 1000, 1)

        # typing in the rationale
        await pilot.press("r")
        await pilot.pause(0.2)
        keys, keys_cpu = [], []
        for ch in "the left response handles empty input and the right one does not " * 3:
            start, cpu = time.perf_counter(), time.thread_time()
            await pilot.press(ch if ch != " " else "space")
            keys.append(time.perf_counter() - start)
            keys_cpu.append(time.thread_time() - cpu)
        keys.sort()
        out["typing_ms_p50"] = round(statistics.median(keys) * 1000, 2)
        out["typing_ms_p95"] = round(keys[int(len(keys) * 0.95)] * 1000, 2)
        out["typing_ms_max"] = round(keys[-1] * 1000, 2)
        out["typing_cpu_ms_p50"] = round(statistics.median(keys_cpu) * 1000, 2)
        out["typing_cpu_ms_p95"] = round(sorted(keys_cpu)[int(len(keys_cpu) * 0.95)] * 1000, 2)
        # the harness's own floor: Pilot.press sleeps in 20 ms steps until the app is idle,
        # so a key the focused editor ignores measures what the pilot adds to every press
        floor, floor_cpu = [], []
        for _ in range(30):
            start, cpu = time.perf_counter(), time.thread_time()
            await pilot.press("f24")
            floor.append(time.perf_counter() - start)
            floor_cpu.append(time.thread_time() - cpu)
        out["pilot_floor_ms_p50"] = round(statistics.median(floor) * 1000, 2)
        out["typing_net_of_floor_ms_p50"] = round(
            out["typing_ms_p50"] - out["pilot_floor_ms_p50"], 2
        )
        # the same for main-thread CPU: the pilot's own waiting loop costs CPU on every press
        out["pilot_floor_cpu_ms_p50"] = round(statistics.median(floor_cpu) * 1000, 2)
        out["typing_cpu_net_of_floor_ms_p95"] = round(
            out["typing_cpu_ms_p95"] - out["pilot_floor_cpu_ms_p50"], 2
        )
        await pilot.pause(0.6)
    store.close()
    out["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--make", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make:  # child process: build the workspace, so its memory is not counted
        make_workspace(args.make, args.tasks)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        subprocess.run(
            [sys.executable, __file__, "--make", str(path), "--tasks", str(args.tasks)], check=True
        )
        global PROCESS_START
        # first paint counts from here: imports of the app happen inside measure()
        global START_CPU
        PROCESS_START = time.perf_counter()
        START_CPU = time.thread_time()
        result = asyncio.run(measure(path))
    result["tasks"] = args.tasks
    result["load_average_1m"] = round(__import__("os").getloadavg()[0], 1)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:32} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
