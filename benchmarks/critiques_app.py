"""Line comments in the app, driven headless (issue 15).

Measures, at 160x48:
  * adding a comment from the keyboard (five times), per key: ``m``, three ``j``, ``m`` (the editor
    opens), ``down`` (category), ``shift+up`` (severity), 30 typed characters and
    ``ctrl+s`` (saved, markers and panel redrawn) -- wall time per press and the main
    thread's CPU time per press, with the keys that open and close the editor apart;
  * opening a pair of two 200-line responses whose annotation holds 200 comments
    (``load_task`` plus painting both panes), against the peer: the same pair with no
    comments, in the same run (the ratio is what comments add to an open).
The peer for the per-key figure is typing the same text into the rationale editor in the
same run (the app's own per-key budget, issue 5). The pair screen's focus keys (``s``,
``p``, ``r``, ``c``), which move the focus as ``m`` and ``ctrl+s`` do, are measured the
same way. The pilot's own cost per press is measured with a key nothing binds (``f24``).
The app is built as ``coderlhf open`` builds it (the start-up heap frozen after the first
paint).

Run: .venv/bin/python benchmarks/critiques_app.py [--repeat 15] [--json]
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
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coderlhf_tui.critiques import new_comment
from coderlhf_tui.domain import (
    Annotation,
    Language,
    LineComment,
    Response,
    Severity,
    Task,
)
from coderlhf_tui.rubric import load_rubric
from coderlhf_tui.store import Store

LINES = 200
COMMENTS = 200
ANNOTATOR = "bench"
COMMENT_ROUNDS = 5
"""Comments added from the keyboard (each one ``m`` that opens the editor, one ``ctrl+s``)."""


def pair(task_id: str) -> Task:
    """Two 200-line Python responses that differ every tenth line."""
    left = "\n".join(f"    total_{i} = step({i}, data)  # line {i}" for i in range(LINES))
    right = "\n".join(
        f"    total_{i} = step({i}, data)  # line {i}" if i % 10 else f"    total_{i} = 0"
        for i in range(LINES)
    )
    return Task(
        id=task_id,
        language=Language.PYTHON,
        prompt="Sum the steps.",
        responses=(Response("a", left), Response("b", right)),
    )


def comments(task: Task) -> list[LineComment]:
    """200 comments, 100 per response, ranges of one to three lines."""
    categories = list(load_rubric().comment_categories)
    out = []
    for n in range(COMMENTS):
        key = "a" if n % 2 == 0 else "b"
        start = 1 + (n // 2) * 2
        out.append(
            new_comment(
                task.response(key).code,
                key,
                start,
                start + n % 3,
                categories[n % len(categories)],
                list(Severity)[n % 5],
                f"comment {n}: the step overflows for large data",
            )
        )
    return out


def build(path: Path) -> None:
    with Store.open(path) as store:
        commented, plain = pair("commented"), pair("plain")
        store.insert_tasks([commented, plain])
        store.save_annotation(
            Annotation(str(uuid.uuid4()), "commented", ANNOTATOR, comments=comments(commented))
        )
        store.save_annotation(Annotation(str(uuid.uuid4()), "plain", ANNOTATOR))


def paint(screen: object) -> None:
    """Render every visible line of both panes (what the first refresh does)."""
    from coderlhf_tui.widgets.code_pane import CodePane

    for pane in screen.query(CodePane):  # type: ignore[attr-defined]
        for y in range(pane.scrollable_content_region.height):
            pane.render_line(y)


async def measure(path: Path, repeat: int) -> dict[str, object]:
    from coderlhf_tui.app import build_app
    from coderlhf_tui.screens.pair import PairScreen
    from coderlhf_tui.widgets.comments_panel import CommentsPanel

    store = Store.open(path)
    app = build_app(path, ANNOTATOR, store=store, freeze_heap=True)  # as `coderlhf open`
    out: dict[str, object] = {"load_average_start": round(os.getloadavg()[0], 2)}
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        app.open_pair("plain")
        await pilot.pause(0.3)
        screen = app.screen
        assert isinstance(screen, PairScreen)
        timings: dict[str, list[float]] = {"commented": [], "plain": []}
        cpu: dict[str, list[float]] = {"commented": [], "plain": []}
        for _ in range(repeat):
            for task_id in ("commented", "plain"):
                start, started_cpu = time.perf_counter(), time.thread_time()
                screen.load_task(task_id)
                paint(screen)
                timings[task_id].append(time.perf_counter() - start)
                cpu[task_id].append(time.thread_time() - started_cpu)
                await pilot.pause(0.05)
        screen.load_task("commented")
        await pilot.pause(0.2)
        out["panel_rows"] = screen.query_one(CommentsPanel).option_count
        for task_id in ("commented", "plain"):
            out[f"open_{task_id}_ms_p50"] = round(statistics.median(timings[task_id]) * 1000, 1)
            out[f"open_{task_id}_cpu_ms_p50"] = round(statistics.median(cpu[task_id]) * 1000, 1)
        out["open_ratio_commented_to_plain"] = round(
            statistics.median(cpu["commented"]) / statistics.median(cpu["plain"]), 2
        )

        screen.load_task("plain")
        await pilot.pause(0.2)
        keys = ["m", "j", "j", "j", "m", "down", "shift+up"]
        keys += [c if c != " " else "space" for c in "the counter is never reset, ok"]
        keys.append("ctrl+s")
        walls, cpus = [], []
        opens, saves = [], []
        for _ in range(COMMENT_ROUNDS):
            for key in keys:
                start, started_cpu = time.perf_counter(), time.thread_time()
                await pilot.press(key)
                walls.append(time.perf_counter() - start)
                cpus.append(time.thread_time() - started_cpu)
            opens.append(cpus[-len(keys) + 4])
            saves.append(cpus[-1])
            await pilot.press("j", "j", "j", "j")
            await pilot.pause(0.3)
        draft = screen.draft
        assert draft is not None and len(draft.annotation.comments) == COMMENT_ROUNDS, (
            "comment not added"
        )
        # the peer: typing in the rationale editor, the app's own per-key budget (issue 5)
        await pilot.press("r")
        await pilot.pause(0.3)
        peer = []
        for key in [c if c != " " else "space" for c in "the counter is never reset, ok"]:
            started_cpu = time.thread_time()
            await pilot.press(key)
            peer.append(time.thread_time() - started_cpu)
        await pilot.press("escape")
        out["peer_rationale_key_cpu_ms_p50"] = round(statistics.median(peer) * 1000, 2)
        focus_cpu = []
        for _ in range(5):
            for key in ("s", "p", "r", "escape", "c"):
                started_cpu = time.thread_time()
                await pilot.press(key)
                if key != "escape":
                    focus_cpu.append(time.thread_time() - started_cpu)
        out["focus_key_cpu_ms_p50"] = round(statistics.median(focus_cpu) * 1000, 2)
        out["focus_key_cpu_ms_max"] = round(max(focus_cpu) * 1000, 2)
        floor, floor_cpu = [], []
        for _ in range(20):
            start, started_cpu = time.perf_counter(), time.thread_time()
            await pilot.press("f24")
            floor.append(time.perf_counter() - start)
            floor_cpu.append(time.thread_time() - started_cpu)
        out["keys"] = len(keys) * COMMENT_ROUNDS
        in_editor = [  # in the open editor: choose, type
            n for n in range(len(walls)) if 5 <= n % len(keys) < len(keys) - 1
        ]
        for name, part in (("in_editor", in_editor), ("all", list(range(len(walls))))):
            wall, cpu_part = [walls[n] for n in part], sorted(cpus[n] for n in part)
            out[f"key_{name}_ms_p50"] = round(statistics.median(wall) * 1000, 2)
            out[f"key_{name}_cpu_ms_p50"] = round(statistics.median(cpu_part) * 1000, 2)
            out[f"key_{name}_cpu_ms_p95"] = round(
                cpu_part[int(0.95 * (len(cpu_part) - 1))] * 1000, 2
            )
        out["open_editor_cpu_ms_p50"] = round(statistics.median(opens) * 1000, 2)
        out["open_editor_cpu_ms_max"] = round(max(opens) * 1000, 2)
        out["save_comment_cpu_ms_p50"] = round(statistics.median(saves) * 1000, 2)
        out["save_comment_cpu_ms_max"] = round(max(saves) * 1000, 2)
        out["pilot_floor_ms_p50"] = round(statistics.median(floor) * 1000, 2)
        out["pilot_floor_cpu_ms_p50"] = round(statistics.median(floor_cpu) * 1000, 2)
    app.session.checks.close()
    out["load_average_end"] = round(os.getloadavg()[0], 2)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "critiques.db"
        build(path)
        result = asyncio.run(measure(path, args.repeat))
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for key, value in result.items():
        print(f"{key:36} {value}")


if __name__ == "__main__":
    main()
