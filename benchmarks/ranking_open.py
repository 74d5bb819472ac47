"""Benchmark: open a ranked task of eight 500-line responses to first paint (issue 14).

Target: <= 200 ms from asking for the task to the ranking screen painted (the first
response's visible lines rendered, the ranking list drawn), at 80x24 and 160x48. The peer
in the same run is the pair screen opening a pair of two 500-line responses. Two figures
each: the first open (the screen is built and mounted) and warm opens (the same screen
loads the task again, highlight cache cleared every time, as for a task never seen).

    .venv/bin/python benchmarks/ranking_open.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coderlhf_tui.domain import Language, Response, Task
from coderlhf_tui.store import Store


def _response(n: int, lines: int = 500) -> str:
    body = [f"def handler_{n}(request, store):"]
    body += [
        f"    value_{j} = store.lookup(request[{j}], {n} + {j})  # step {j}"
        for j in range(lines - 2)
    ]
    return "\n".join([*body, "    return value_0\n"])


def make_workspace(path: Path) -> None:
    with Store.open(path) as store:
        store.insert_tasks(
            [
                Task(
                    "ranked-8x500",
                    Language.PYTHON,
                    "Rank eight handlers.",
                    tuple(Response(f"r{k}", _response(k), f"m{k}") for k in range(8)),
                ),
                Task(
                    "pair-2x500",
                    Language.PYTHON,
                    "Compare two handlers.",
                    tuple(Response(f"r{k}", _response(k)) for k in range(2)),
                ),
                Task(
                    "other-ranked",
                    Language.PYTHON,
                    "Another.",
                    tuple(Response(f"r{k}", _response(k, 40)) for k in range(3)),
                ),
                Task(
                    "other-pair",
                    Language.PYTHON,
                    "Another pair.",
                    tuple(Response(f"r{k}", _response(k, 40)) for k in range(2)),
                ),
            ]
        )


def paint_lines(view: object) -> None:
    height = view.scrollable_content_region.height  # type: ignore[attr-defined]
    for y in range(height):
        view.render_line(y)  # type: ignore[attr-defined]


async def measure(path: Path, size: tuple[int, int], repeat: int) -> dict[str, float]:
    from coderlhf_tui.app import build_app
    from coderlhf_tui.screens.pair import PairScreen
    from coderlhf_tui.screens.ranking import RankingScreen
    from coderlhf_tui.widgets.code_pane import CodePane
    from coderlhf_tui.widgets.rank_list import RankList
    from coderlhf_tui.workbench import highlight

    store = Store.open(path)
    app = build_app(path, "bench", store=store)
    out: dict[str, float] = {}
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for task_id, other, screen_type, pane_id, name in (
            ("ranked-8x500", "other-ranked", RankingScreen, "#rank-code", "ranking"),
            ("pair-2x500", "other-pair", PairScreen, "#code-left", "pair"),
        ):
            highlight._cache.clear()
            start, cpu = time.perf_counter(), time.thread_time()
            app.open_pair(task_id)
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, screen_type), screen
            paint_lines(screen.query_one(pane_id, CodePane))
            if name == "ranking":
                screen.query_one(RankList).render()
            out[f"{name}_first_open_ms"] = round((time.perf_counter() - start) * 1000, 1)
            out[f"{name}_first_open_cpu_ms"] = round((time.thread_time() - cpu) * 1000, 1)
            walls, cpus = [], []
            for _ in range(repeat):
                screen.load_task(other)
                await pilot.pause(0.05)
                highlight._cache.clear()
                start, cpu = time.perf_counter(), time.thread_time()
                screen.load_task(task_id)
                paint_lines(screen.query_one(pane_id, CodePane))
                walls.append(time.perf_counter() - start)
                cpus.append(time.thread_time() - cpu)
                await pilot.pause(0.3)
            out[f"{name}_open_ms"] = round(statistics.median(walls) * 1000, 1)
            out[f"{name}_open_cpu_ms"] = round(statistics.median(cpus) * 1000, 1)
            screen.dismiss(None)
            await pilot.pause()
    app.session.flush_writes(5.0)
    store.close()
    out["ratio_ranking_over_pair_open"] = round(out["ranking_open_ms"] / out["pair_open_ms"], 2)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        make_workspace(path)
        for size in ((80, 24), (160, 48)):
            result = asyncio.run(measure(path, size, args.repeat))
            print(json.dumps({"size": f"{size[0]}x{size[1]}", **result}))


if __name__ == "__main__":
    main()
